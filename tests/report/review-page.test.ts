/**
 * The review pages as HTML: a pair's answer and everything a TA or a folder name puts in the
 * page stay text; the page's data block cannot be closed from inside; one script runs, ours.
 */
import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import type { CheckResult, SubmissionResult } from '../../src/core/vocabulary.ts';
import { overviewPage, questionPage } from '../../src/report/review-page.ts';

const EVIL = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';

function result(id: string, text: string): SubmissionResult {
  const proof: CheckResult = { id: 'q1.proof', question: 'q1', title: 'Q1 proof', kind: 'manual', visibility: 'public', status: 'manual', score: 0, points: 6, message: 'Graded by a TA from the text below.', text };
  const auto: CheckResult = { id: 'q1.other', question: 'q1', title: `auto ${EVIL}`, kind: 'auto', visibility: 'public', status: 'fail', score: 0, points: 1, message: EVIL };
  return {
    contract: 1, resultVersion: 2, harness: { name: 'hw2-harness', version: '0.1.0' }, mode: 'grade',
    submission: { id, path: id, hash: '', group: { ids: ['123456782'], names: [EVIL] } },
    score: 0, maxScore: 7, pendingManual: 6, heldBack: 0, incomplete: [], problems: [], checks: [proof, auto],
  };
}

describe('the by-question page', () => {
  const html = questionPage({
    check: { id: 'q1.proof', title: `Q1 ${EVIL}`, points: 6 },
    entries: [
      { result: result('pair-a', `${EVIL} and $x^2$`), decision: { points: 4, items: ['half'], remark: EVIL, ta: EVIL, at: '2026-01-01T10:00:00.000Z', version: 'v' } },
      { result: result(`pair-${EVIL}`, '') },
    ],
    items: [{ id: 'half', label: EVIL, points: -2 }],
    notes: `Reference: $E[xx^\\top] = I$ ${EVIL}`,
    ta: EVIL, nonce: 'n0nce', manualFile: `/tmp/${EVIL}.csv`, claimRenewMs: 30_000,
  });
  const doc = parse(html);

  it('runs one script, ours, with the nonce; no element a pair or a TA wrote', () => {
    expect(doc.querySelectorAll('script').map((s) => [s.getAttribute('type'), s.getAttribute('nonce')])).toEqual([['application/json', undefined], [undefined, 'n0nce']]);
    expect(doc.querySelectorAll('img, a[href^="javascript"], [onerror]')).toHaveLength(0);
    expect(doc.querySelector('section[data-submission="pair-a"] .answer-box')!.text).toContain(EVIL);
  });

  it('carries its data as JSON that reads back exactly, whatever the strings hold', () => {
    const data = JSON.parse(doc.querySelector('#review-data')!.text);
    expect(data.decisions['pair-a']).toMatchObject({ points: 4, remark: EVIL, ta: EVIL });
    expect(data.items[0].label).toBe(EVIL);
    expect(data.order).toEqual(['pair-a', `pair-${EVIL}`]);
  });

  it('typesets the answer\'s and the notes\' LaTeX, and shows the question\'s automatic checks', () => {
    expect(doc.querySelectorAll('section[data-submission="pair-a"] .answer-box .katex')).toHaveLength(1);
    expect(doc.querySelectorAll('.notes .katex')).toHaveLength(1);
    expect(doc.querySelector('section[data-submission="pair-a"] details.auto .message')!.text).toBe(EVIL);
    // An answer not given says so, from the check's message.
    expect(doc.querySelector(`section[data-submission="pair-${EVIL}"] .missing`)).not.toBeNull();
  });
});

describe('the overview', () => {
  it('lists each check with graded / total, the mean and who graded, every string as text', () => {
    const doc = parse(overviewPage({
      rows: [{ id: 'q1.proof', title: EVIL, points: 6, graded: 1, total: 2, mean: '4.00', tas: [EVIL], holder: 'bob' }],
      ta: 'alice', nonce: 'n', out: '/o', manualFile: '/o/manual.csv', rubricFile: '/r.json', warnings: [EVIL],
    }));
    const cells = doc.querySelectorAll('tbody tr td').map((td) => td.text);
    expect(cells).toEqual(['q1.proof', EVIL, '6', '1 / 2', '', '4.00', `${EVIL} (bob grading now)`]);
    expect(doc.querySelectorAll('script')).toHaveLength(2);
    expect(doc.querySelectorAll('img')).toHaveLength(0);
  });
});
