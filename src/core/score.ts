/**
 * Scoring, written once. Every number a grader, a student or a spreadsheet sees — result.json,
 * the console, report.html, summary.html, the grade sheets, Gradescope — comes from here, so
 * they cannot disagree. Pure.
 *
 * The rules:
 * - a check scores its fraction of its points, rounded to two decimals (`roundPoints`);
 * - a manual check (or one left to a TA) counts the TA's points once a TA gave them (`ta`),
 *   and until then its points are pending, not 0;
 * - a check that failed through no fault of the submission (status error with a cause: the
 *   grading machine lacked something, or the harness failed) scores nothing and its points
 *   are held back as "not graded yet": never 0 for the student, never part of the score; a
 *   submission with such a check is incomplete;
 * - in student mode (`hw2 check`) a hidden check counts nothing: its points are "graded later";
 * - totals are sums of row scores, rounded to two decimals once.
 */
import { QUESTIONS, type CheckResult, type Outcome, type QuestionId, type Status, type SubmissionResult } from './vocabulary.ts';

export type Mode = SubmissionResult['mode'];

/** Points are kept to two decimals so sums print and compare cleanly. */
export const roundPoints = (x: number) => Math.round(x * 100) / 100;

/** A check's status from what it returned. */
export function statusOf(outcome: Outcome): Status {
  switch (outcome.kind) {
    case 'harnessError':
    case 'inputError':
      return 'error';
    case 'manual':
      return 'manual';
    case 'notSubmitted':
      return 'fail';
    case 'graded':
      return outcome.fraction >= 1 ? 'pass' : outcome.fraction > 0 ? 'partial' : 'fail';
  }
}

/**
 * The score a freshly graded row records: its share of the points; 0 for an error (whatever
 * fraction came with it: the check did not judge the answer) and for a manual check until a TA
 * gives points.
 */
export function outcomeScore(outcome: Outcome, points: number): number {
  return outcome.kind === 'graded' ? roundPoints(outcome.fraction * points) : 0;
}

/**
 * A check that failed through no fault of the submission: its points are held back. Any
 * `cause` counts (today 'environment'; a harness fault marked with a cause of its own is held
 * back the same way), since a cause is only ever set for faults that are not the student's.
 */
export const isHeldBack = (c: CheckResult) => c.status === 'error' && c.cause !== undefined;

/** Why points are held back, in words, for lines that speak of several checks at once. */
export function heldBackReason(checks: readonly CheckResult[]): string {
  const causes = new Set(checks.filter(isHeldBack).map((c) => c.cause));
  return causes.size === 0 || (causes.size === 1 && causes.has('environment'))
    ? 'the grading machine lacked something'
    : 'the grading machine or the harness failed';
}

/** Hidden from the student in student mode: counts nothing and is graded later. */
const isHiddenFromStudent = (c: CheckResult, mode: Mode) => c.status === 'hidden' || (mode === 'check' && c.visibility === 'hidden');

/** Where a row's points go. Exactly one bucket per row; the order of the tests is the rule. */
export type Bucket = 'hidden' | 'ta' | 'heldBack' | 'pendingManual' | 'scored';

export function bucketOf(c: CheckResult, mode: Mode): Bucket {
  if (isHiddenFromStudent(c, mode)) return 'hidden';
  // A TA's points are final, whatever the row said before the TA looked at it.
  if (c.ta) return 'ta';
  if (isHeldBack(c)) return 'heldBack';
  if (c.status === 'manual') return 'pendingManual';
  return 'scored';
}

/** The points a row adds to the submission's score. */
export function rowScore(c: CheckResult, mode: Mode): number {
  switch (bucketOf(c, mode)) {
    case 'ta': return roundPoints(c.ta!.points);
    case 'scored': return c.score;
    default: return 0;
  }
}

/** Whether a row's score is known (shown as a number) rather than pending, held back or hidden. */
export const isScored = (c: CheckResult, mode: Mode) => ['ta', 'scored'].includes(bucketOf(c, mode));

export interface PartTotals {
  /** Points counted. */
  score: number;
  /** Every check's points, hidden ones included. */
  maxScore: number;
  /** Points of manual checks that wait for a TA. */
  pendingManual: number;
  /** Points of checks the grading machine could not run: not graded yet. */
  heldBack: number;
  /** Points hidden from the student in student mode: graded later by the course. */
  hidden: number;
  /** Of `score`, the points a TA gave. */
  byTa: number;
}

export interface Totals extends PartTotals {
  /** Every question that has checks, in the order of QUESTIONS. */
  perQuestion: Partial<Record<QuestionId, PartTotals>>;
}

function partTotals(checks: readonly CheckResult[], mode: Mode): PartTotals {
  const sum = (bucket: Bucket | null, value: (c: CheckResult) => number) =>
    roundPoints(checks.reduce((a, c) => a + (bucket === null || bucketOf(c, mode) === bucket ? value(c) : 0), 0));
  return {
    score: sum(null, (c) => rowScore(c, mode)),
    maxScore: sum(null, (c) => c.points),
    pendingManual: sum('pendingManual', (c) => c.points),
    heldBack: sum('heldBack', (c) => c.points),
    hidden: sum('hidden', (c) => c.points),
    byTa: sum('ta', (c) => rowScore(c, mode)),
  };
}

export function totals(checks: readonly CheckResult[], mode: Mode): Totals {
  const perQuestion: Totals['perQuestion'] = {};
  for (const q of QUESTIONS) {
    const mine = checks.filter((c) => c.question === q);
    if (mine.length) perQuestion[q] = partTotals(mine, mode);
  }
  return { ...partTotals(checks, mode), perQuestion };
}

/** One line per held-back check: "task2.accuracy: <why it could not run>". */
export function incompleteLines(checks: readonly CheckResult[], mode: Mode): string[] {
  return checks.filter((c) => bucketOf(c, mode) === 'heldBack').map((c) => `${c.id}: ${c.message}`);
}

/**
 * Some check's points are held back: the score is not a grade yet. Read off the checks, like
 * every total here, so a result assembled by hand cannot slip a held-back check past it.
 */
export const isIncomplete = (r: Pick<SubmissionResult, 'checks' | 'mode'>) => r.checks.some((c) => bucketOf(c, r.mode) === 'heldBack');

/** The result with its totals recomputed from its checks (after TA points, or for an older result.json). */
export function withTotals(result: SubmissionResult): SubmissionResult {
  const t = totals(result.checks, result.mode);
  return {
    ...result,
    score: t.score,
    maxScore: t.maxScore,
    pendingManual: t.pendingManual,
    heldBack: t.heldBack,
    incomplete: incompleteLines(result.checks, result.mode),
  };
}
