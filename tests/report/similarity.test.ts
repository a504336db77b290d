/**
 * similarity.html and summary.html's section: the two sides shown with their shared regions
 * marked, every string of the submissions escaped (they are hostile), no script, nothing that
 * loads, and no word that accuses.
 */
import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { SIMILARITY_VERSION, type SimilarityReport } from '../../src/core/similarity.ts';
import { renderSummary } from '../../src/report/render.ts';
import { renderSimilarity, similaritySectionHtml } from '../../src/report/similarity.ts';

const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';

const report: SimilarityReport = {
  version: SIMILARITY_VERSION,
  submissions: 3,
  pairsWithEvidence: 2,
  threshold: 24,
  method: ['k-grams'],
  notes: [`${HOSTILE}: could not be read`],
  pairs: [
    {
      a: `a${HOSTILE}`, b: 'b', score: 50, flagged: true,
      kinds: { wrong: 10, draws: 40, seed: 0, code: 0, text: 0 },
      reasons: [`1 wrong answer in common (${HOSTILE})`],
      wrong: [{ field: `q2.gradients ${HOSTILE}`, value: HOSTILE, sharedBy: 2, bits: 10 }],
      draws: [{ fileA: `${HOSTILE}.npy`, fileB: 'x.npy', digest: 'ab'.repeat(32), bytes: 32768, sharedBy: 2 }],
      seeds: [],
      code: [{
        a: { label: 'code cell 3', segments: [{ text: 'x = 1\n', match: false }, { text: `y = "${HOSTILE}"`, match: true }] },
        b: { label: `code cell ${HOSTILE}`, segments: [{ text: `z = "${HOSTILE}"`, match: true }] },
        shared: 4,
      }],
      text: [],
    },
    { a: 'b', b: 'c', score: 3, flagged: false, kinds: { wrong: 0, draws: 0, seed: 3, code: 0, text: 0 }, reasons: ['Same seed'], wrong: [], draws: [], seeds: [{ value: '7', sharedBy: 2 }], code: [], text: [] },
  ],
};

describe('renderSimilarity', () => {
  const html = renderSimilarity(report, new Date('2026-11-27T12:00:00Z'));
  // <pre> parsed as markup, not as raw text: the marks inside it are what is tested.
  const root = parse(html, { blockTextElements: { script: true, style: true } });

  it('escapes every string a submission controls: no element, attribute or script of theirs', () => {
    expect(root.querySelectorAll('script')).toHaveLength(0);
    expect(root.querySelectorAll('img')).toHaveLength(0);
    expect(root.querySelectorAll('[onerror]')).toHaveLength(0);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // The data attribute holds the ids escaped, so the attribute cannot be closed early.
    expect(root.querySelector('.simpair')!.getAttribute('data-pair')).toBe(`a${HOSTILE} b`);
  });

  it('allows no request: a Content-Security-Policy of default-src none, and no link or image', () => {
    expect(root.querySelector('meta[http-equiv="Content-Security-Policy"]')!.getAttribute('content')).toContain("default-src 'none'");
    expect(root.querySelectorAll('link, a[href], iframe, object')).toHaveLength(0);
  });

  it('shows each pair side by side with the shared regions marked on both sides', () => {
    const sides = root.querySelectorAll('.sides > div');
    expect(sides).toHaveLength(2);
    expect(sides[0]!.querySelector('mark')!.text).toBe(`y = "${HOSTILE}"`);
    expect(sides[1]!.querySelector('mark')!.text).toBe(`z = "${HOSTILE}"`);
    expect(sides[0]!.querySelector('pre')!.text.startsWith('x = 1\n')).toBe(true);
    expect(root.querySelectorAll('.simpair.flagged')).toHaveLength(1);
    expect(root.querySelector('.simpair.flagged table td')!.text).toBe(`q2.gradients ${HOSTILE}`);
  });

  it('ranks and shows evidence without accusing anyone', () => {
    expect(html.toLowerCase()).not.toMatch(/\b(cheat|cheated|cheating|plagiari[sz]\w*|guilty|copied from)\b/);
    expect(html).toContain('A high rank is a reason to look, not a finding');
  });
});

describe('summary.html with the similarity section', () => {
  it('lists the ranked pairs, escaped, only when hw2 similarity adds it', () => {
    const section = similaritySectionHtml(report);
    const with_ = parse(renderSummary([], new Date(), { similarityHtml: section }), { blockTextElements: { script: true, style: true } });
    const rows = with_.querySelectorAll('h2 + p + table tbody tr');
    expect(rows.map((r) => r.querySelectorAll('td')[1]!.text)).toEqual([`a${HOSTILE}`, 'b']);
    expect(with_.querySelectorAll('script')).toHaveLength(0);
    expect(renderSummary([], new Date())).not.toContain('Similarity across the course');
  });
});
