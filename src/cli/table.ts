/**
 * Plain-text rendering of results for the terminal. Pure: returns lines, each made one line by
 * terminalLine (a submission's id, keys and values are in them: see src/util/text.ts).
 */
import { bucketOf, heldBackReason, isIncomplete, rowScore } from '../core/score.ts';
import { diagnosisText, type CheckResult, type SubmissionResult } from '../core/vocabulary.ts';
import { terminalLine } from '../util/text.ts';

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
    const score = bucket === 'hidden' || bucket === 'pendingManual' || bucket === 'heldBack' ? '   -' : String(rowScore(c, result.mode)).padStart(4);
    lines.push(`  ${markOf(c, result.mode)} ${pad(c.id, 20)} ${score}/${String(c.points).padEnd(3)} ${verbose || c.status !== 'pass' ? c.message : ''}`.trimEnd());
    if (c.diagnoses?.length) lines.push(`       ${' '.repeat(20)} diagnosis: ${diagnosisText(c)}`);
  }
  return lines.map(terminalLine);
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
  ].map(terminalLine);
}

/** What the CLI says when grades.csv left some grades out. */
export function withheldGradeLines(refused: string[]): string[] {
  if (!refused.length) return [];
  return [`grades.csv has no grade for ${refused.length} incomplete submission${refused.length > 1 ? 's' : ''} (${refused.join(', ')}): ` +
    'points were held back through a fault of the grading machine, not of the students. Fix the machine and grade again, or pass --allow-incomplete to write their partial scores.'];
}

/** The first few submission ids of a list, for a line that speaks of many. */
const someIds = (ids: readonly string[]) => `${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}`;

/** What the CLI says when grades.csv left rows without a grade because two submissions claim one id. */
export function idConflictLines(conflicts: { id: string; submissions: string[] }[]): string[] {
  return conflicts.map((c) => terminalLine(`grades.csv has no grade for student ${c.id}: ${c.submissions.length} submissions name that id in hw2.json (${someIds(c.submissions)}); a TA must decide`));
}

/**
 * One line per reason points were held back, with the submissions it touched: a TA fixes the
 * machine once (installs a dataset, say) rather than reading the same line a hundred times.
 */
export function heldBackCauses(results: readonly SubmissionResult[]): string[] {
  const byCause = new Map<string, string[]>();
  for (const r of results) {
    for (const c of r.checks) {
      if (bucketOf(c, r.mode) !== 'heldBack') continue;
      // The model's own path starts the message; the cause is what follows it.
      const cause = `${c.cause === 'harness' ? 'the harness failed' : 'the grading machine lacked something'}: ${c.message.replace(/^\S+ could not be measured: /, '')}`;
      const ids = byCause.get(cause) ?? [];
      if (!ids.includes(r.submission.id)) ids.push(r.submission.id);
      byCause.set(cause, ids);
    }
  }
  return [...byCause].map(([cause, ids]) => `${cause} (${ids.length} submission${ids.length === 1 ? '' : 's'}: ${someIds(ids)})`);
}
