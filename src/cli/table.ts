/** Plain-text rendering of results for the terminal. Pure: returns lines. */
import { bucketOf, heldBackReason, isIncomplete } from '../engine/score.ts';
import type { CheckResult, SubmissionResult } from '../engine/types.ts';

const MARK: Record<string, string> = {
  pass: 'PASS', partial: 'PART', fail: 'FAIL', error: 'ERR ', manual: 'TA  ', skipped: 'SKIP', hidden: 'HIDE',
};

/** Held-back checks get their own mark: they are not the student's error. */
const markOf = (c: CheckResult, mode: SubmissionResult['mode']) => (bucketOf(c, mode) === 'heldBack' ? 'WAIT' : MARK[c.status]);

const pad = (s: string, n: number) => (s.length >= n ? s.slice(0, n) : s + ' '.repeat(n - s.length));

/** Why a score is not final yet, in words: TA points to come, points held back. Empty when final. */
export function notFinalNotes(result: SubmissionResult): string[] {
  return [
    ...(result.pendingManual ? [`${result.pendingManual} points wait for a TA`] : []),
    ...(result.heldBack ? [`${result.heldBack} points not graded yet: ${heldBackReason(result.checks)}`] : []),
  ];
}

export function resultLines(result: SubmissionResult, verbose: boolean): string[] {
  const notes = notFinalNotes(result);
  const lines = [`${result.submission.id}: ${result.score} / ${result.maxScore}${notes.length ? ` (${notes.join('; ')})` : ''}`];
  for (const p of result.problems) lines.push(`  ! ${p}`);
  for (const c of result.checks) {
    const bucket = bucketOf(c, result.mode);
    const score = bucket === 'hidden' || bucket === 'pendingManual' || bucket === 'heldBack' ? '   -' : String(c.ta ? c.ta.points : c.score).padStart(4);
    lines.push(`  ${markOf(c, result.mode)} ${pad(c.id, 20)} ${score}/${String(c.points).padEnd(3)} ${verbose || c.status !== 'pass' ? c.message : ''}`.trimEnd());
    if (c.diagnosis) lines.push(`       ${' '.repeat(20)} diagnosis: ${c.diagnosis}`);
  }
  return lines;
}

export function summaryLines(results: SubmissionResult[]): string[] {
  const width = Math.max(10, ...results.map((r) => r.submission.id.length));
  const incomplete = results.filter(isIncomplete);
  return [
    `${pad('submission', width)}  score`,
    ...results.map((r) => `${pad(r.submission.id, width)}  ${String(r.score).padStart(6)} / ${r.maxScore}` +
      (isIncomplete(r) ? `  INCOMPLETE: ${r.heldBack} points not graded yet` : '')),
    ...(incomplete.length
      ? [`${incomplete.length} incomplete (${heldBackReason(incomplete.flatMap((r) => r.checks))}; their scores are not grades yet): ${incomplete.map((r) => r.submission.id).join(', ')}`]
      : []),
  ];
}

/** What the CLI says when grades.csv left some grades out. */
export function withheldGradeLines(refused: string[]): string[] {
  if (!refused.length) return [];
  return [`grades.csv has no grade for ${refused.length} incomplete submission${refused.length > 1 ? 's' : ''} (${refused.join(', ')}): ` +
    'points were held back through a fault of the grading machine, not of the students. Fix the machine and grade again, or pass --allow-incomplete to write their partial scores.'];
}

/** What the CLI says when grades.csv left rows without a grade because two submissions claim one id. */
export function idConflictLines(conflicts: { id: string; submissions: string[] }[]): string[] {
  const some = (ids: string[]) => `${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}`;
  return conflicts.map((c) => `grades.csv has no grade for student ${c.id}: ${c.submissions.length} submissions name that id in hw2.json (${some(c.submissions)}); a TA must decide`);
}
