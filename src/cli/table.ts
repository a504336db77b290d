/** Plain-text rendering of results for the terminal. Pure: returns lines. */
import type { SubmissionResult } from '../engine/types.ts';

const MARK: Record<string, string> = {
  pass: 'PASS', partial: 'PART', fail: 'FAIL', error: 'ERR ', manual: 'TA  ', skipped: 'SKIP', hidden: 'HIDE',
};

const pad = (s: string, n: number) => (s.length >= n ? s.slice(0, n) : s + ' '.repeat(n - s.length));

export function resultLines(result: SubmissionResult, verbose: boolean): string[] {
  const lines = [`${result.submission.id}: ${result.score} / ${result.maxScore}` +
    (result.pendingManual ? ` (${result.pendingManual} points wait for a TA)` : '')];
  for (const p of result.problems) lines.push(`  ! ${p}`);
  for (const c of result.checks) {
    const score = c.status === 'hidden' || (c.status === 'manual' && !c.ta) ? '   -' : String(c.score).padStart(4);
    lines.push(`  ${MARK[c.status]} ${pad(c.id, 20)} ${score}/${String(c.points).padEnd(3)} ${verbose || c.status !== 'pass' ? c.message : ''}`.trimEnd());
    if (c.diagnosis) lines.push(`       ${' '.repeat(20)} diagnosis: ${c.diagnosis}`);
  }
  return lines;
}

export function summaryLines(results: SubmissionResult[]): string[] {
  const width = Math.max(10, ...results.map((r) => r.submission.id.length));
  return [
    `${pad('submission', width)}  score`,
    ...results.map((r) => `${pad(r.submission.id, width)}  ${String(r.score).padStart(6)} / ${r.maxScore}`),
  ];
}
