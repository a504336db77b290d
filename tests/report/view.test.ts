/**
 * summary.html's pass rate and mean of a check count only rows with a known score, through
 * score.ts: a row that waits for a TA (Task 3 on the synthetic set) or is held back is not a
 * 0 of the class. Found by review: task3.accuracy showed mean 0.00 and 0/N passed.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult, SubmissionResult } from '../../src/core/vocabulary.ts';
import { summaryView } from '../../src/report/view.ts';
import { RESULT_VERSION } from '../../src/core/result-schema.ts';

const row = (status: CheckResult['status'], score: number, extra: Partial<CheckResult> = {}): CheckResult =>
  ({ id: 'task3.accuracy', question: 'task3', title: 'accuracy', kind: 'auto', visibility: 'public', status, score, points: 5, message: '', ...extra });
const result = (id: string, c: CheckResult): SubmissionResult => ({
  contract: 1, resultVersion: RESULT_VERSION, harness: { name: 'hw2-harness', version: 't' }, mode: 'grade', submission: { id, path: id, hash: '' },
  score: c.status === 'pass' ? c.score : 0, maxScore: 5, pendingManual: c.status === 'manual' ? 5 : 0, heldBack: c.cause ? 5 : 0, incomplete: [], problems: [], checks: [c],
});

describe('the summary\'s row for a check', () => {
  it('counts the scored rows only: 1 of 1 passed, mean 5 — not 1 of 3, mean 1.67', () => {
    const view = summaryView([
      result('a', row('pass', 5)),
      result('b', row('manual', 0)),
      result('c', row('error', 0, { cause: 'environment' })),
    ], new Date(0));
    expect(view.checks[0]).toMatchObject({ passRate: '1/1', mean: '5.00' });
  });

  it('says "by a TA" when no row has a score yet', () => {
    const view = summaryView([result('b', row('manual', 0))], new Date(0));
    expect(view.checks[0]).toMatchObject({ passRate: 'by a TA', mean: '–' });
  });
});
