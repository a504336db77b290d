/**
 * Runs every check over one loaded submission and scores it. Pure apart from the clock:
 * the same submission, rubric and seed give the same result.
 */
import { CHECKS } from '../../checks/index.ts';
import type { LoadedSubmission } from '../contract/load.ts';
import type { Rubric } from './rubric.ts';
import type { CheckDef, CheckInput, CheckResult, Outcome, SubmissionResult } from './types.ts';
import { HARNESS_VERSION } from './version.ts';
import { partError } from './outcome.ts';
import { NO_SOLUTION, type SolutionData } from './solution.ts';
import type { LoadedArray } from '../data/attachments.ts';
import { markdownByQuestion, type ParsedNotebook } from '../intake/notebook.ts';
import type { Evaluated } from '../models/evaluate.ts';
import type { ParsedHistory } from '../data/history.ts';
import { incompleteLines, outcomeScore, statusOf, totals } from './score.ts';

export interface GradeOptions {
  mode: 'grade' | 'check';
  seed: number;
  solution?: SolutionData;
  arrays?: Record<string, LoadedArray>;
  notebook?: ParsedNotebook;
  models?: Record<string, Evaluated>;
  histories?: Record<string, ParsedHistory>;
  checks?: readonly CheckDef[];
}

/** A check that throws is a harness fault: it becomes an error result, never a crash. */
function runCheck(check: CheckDef, input: CheckInput): { outcome: Outcome; harnessFault: boolean } {
  try {
    const outcome = check.run(input);
    const fraction = Number.isFinite(outcome.fraction) ? Math.min(1, Math.max(0, outcome.fraction)) : 0;
    return { outcome: { ...outcome, fraction }, harnessFault: false };
  } catch (error) {
    return {
      // Not the student's fault: held back (cause 'harness') rather than scored 0.
      outcome: { fraction: 0, inputError: true, environmentError: true, message: `Not graded yet: internal error in check ${check.id}: ${String((error as Error)?.message ?? error).slice(0, 300)}. Please report it.` },
      harnessFault: true,
    };
  }
}

export interface Graded {
  result: SubmissionResult;
  /** Checks that failed through a fault of the harness, not of the submission. */
  harnessFaults: string[];
}

export function gradeSubmission(sub: LoadedSubmission, rubric: Rubric, options: GradeOptions): Graded {
  const solution = options.solution ?? NO_SOLUTION;
  const input: CheckInput = {
    answers: sub.answers, partErrors: sub.partErrors, rubric, seed: options.seed, solution, arrays: options.arrays ?? {},
    files: sub.files ?? [], models: options.models ?? {}, histories: options.histories ?? {}, ...(options.notebook ? { notebook: options.notebook } : {}), ...(sub.group ? { groupIds: sub.group.ids } : {}),
  };
  const notebookAnswers = options.notebook?.ok ? markdownByQuestion(options.notebook.facts.markdown) : {};
  const harnessFaults: string[] = [];
  const outcomes: Outcome[] = [];
  const checks: CheckResult[] = (options.checks ?? CHECKS).map((check) => {
    const { points, visibility } = rubric.checks[check.id]!;
    let outcome: Outcome;
    let harnessFault = false;
    if (check.kind === 'auto' && (solution.loadError?.code === 'isolation' || solution.loadError?.code === 'start')) {
      // The machine could not run the module (no OS isolation where the rubric requires it, or
      // no child process at all): since its exports may answer any part, no automatic check is
      // graded yet.
      outcome = { fraction: 0, inputError: true, environmentError: true, message: `Not graded yet: ${solution.loadError.message}` };
    } else if (sub.problems.length && !(check.question === 'rules' && sub.files)) {
      // Rule checks look at the files, so they run whenever the folder itself could be read.
      // Nothing of hw2.json could be read: automatic checks score 0 with the reason; manual
      // ones still wait for a TA, who can grade them from the notebook.
      outcome = check.kind === 'auto'
        ? { fraction: 0, inputError: true, message: sub.problems.join('; ') }
        : { fraction: 0, manual: true, message: `Graded by a TA from the notebook: ${sub.problems.join('; ')}` };
    } else if (check.kind === 'auto' && partError(input, check.question)) {
      // The question's part of hw2.json did not validate: its automatic checks report why.
      outcome = partError(input, check.question)!;
    } else {
      const ran = runCheck(check, input);
      ({ outcome, harnessFault } = ran);
      if (harnessFault) harnessFaults.push(check.id);
    }
    // A manual check without text in hw2.json shows what the notebook says under that question.
    const fromNotebook = notebookAnswers[check.question];
    if (outcome.manual && !outcome.text && fromNotebook) {
      outcome = { ...outcome, notSubmitted: false, message: 'Graded by a TA from the notebook\'s answer below.', text: fromNotebook };
    }
    outcomes.push(outcome);
    const status = statusOf(outcome);
    const row: CheckResult = {
      id: check.id, question: check.question, title: check.title, kind: check.kind, visibility, status,
      score: outcomeScore(outcome, points), points, message: outcome.message,
    };
    // The grading machine lacked something: the points wait for a regrade, not the student's 0.
    if (outcome.environmentError) row.cause = harnessFault ? 'harness' : 'environment';
    if (outcome.diagnosis) row.diagnosis = outcome.diagnosis;
    if (outcome.expected !== undefined) row.expected = outcome.expected;
    if (outcome.actual !== undefined) row.actual = outcome.actual;
    if (outcome.text !== undefined) row.text = outcome.text;
    if (outcome.seed !== undefined) row.seed = outcome.seed;
    if (outcome.evidence !== undefined) row.evidence = outcome.evidence;
    return options.mode === 'check' && visibility === 'hidden' ? hide(row) : row;
  });
  const integrity = outcomes.flatMap((o) => o.integrity ?? []);
  const scored = totals(checks, options.mode);
  const result: SubmissionResult = {
    contract: 1,
    harness: { name: 'hw2-harness', version: HARNESS_VERSION },
    mode: options.mode,
    submission: { id: sub.id, path: sub.dir, hash: sub.hash, ...(sub.group ? { group: sub.group } : {}), ...(sub.files ? { files: sub.files } : {}) },
    score: scored.score,
    maxScore: scored.maxScore,
    pendingManual: scored.pendingManual,
    heldBack: scored.heldBack,
    incomplete: incompleteLines(checks, options.mode),
    problems: [...sub.problems, ...sub.warnings],
    ...(integrity.length && options.mode === 'grade' ? { integrity } : {}),
    ...(solution.file ? { solution: {
      file: solution.file, ms: solution.ms, exports: solution.exports.map((e) => e.name),
      ...(solution.isolation ? { isolation: solution.isolation } : {}),
      ...(solution.output ? { output: solution.output } : {}),
      ...(solution.loadError ? { error: solution.loadError.message } : {}),
    } } : {}),
    checks,
  };
  return { result, harnessFaults };
}

/**
 * Student mode: a hidden check keeps only what identifies it. Its message, score, expected
 * and actual values, and diagnosis are dropped, since any of them can leak the key.
 */
function hide(row: CheckResult): CheckResult {
  return {
    id: row.id, question: row.question, title: row.title, kind: row.kind, visibility: 'hidden',
    status: 'hidden', score: 0, points: row.points, message: 'Hidden check: graded later by the course.',
  };
}
