/**
 * Runs the registry's checks over one loaded submission and scores it. Pure apart from the
 * clock: the same submission, rubric, seed and inputs give the same result. The checks come
 * in as a parameter: the engine imports none.
 */
import { issueText } from '../intake/issues.ts';
import type { LoadedSubmission } from '../contract/load.ts';
import { statusOf, outcomeScore, incompleteLines, totals } from '../core/score.ts';
import { RESULT_VERSION } from '../core/result-schema.ts';
import type { CheckResult, Outcome, SubmissionResult } from '../core/vocabulary.ts';
import { markdownByQuestion } from '../intake/notebook.ts';
import type { AnyCheck, Inputs, Need, Registry } from '../registry/define.ts';
import { NO_SOLUTION } from '../registry/solution-data.ts';
import type { Rubric } from '../rubric/rubric.ts';
import { HARNESS_VERSION } from './version.ts';

export interface GradeOptions {
  mode: 'grade' | 'check';
  seed: number;
  /** The inputs the pipeline read (only those some enabled check needs). */
  inputs?: Partial<Inputs>;
}

/**
 * A check the rubric gives no points is not graded at all: not run, nothing read for it, and
 * no row in the result (a row of 0/0 would read as a failure in every grade sheet).
 */
export const isEnabled = (check: AnyCheck, rubric: Rubric) => (rubric.checks[check.id]?.points ?? 0) > 0;

const EMPTY: Inputs = { solution: NO_SOLUTION, arrays: {}, files: [], notebook: undefined, models: {}, histories: {} };

/** A check that throws is a harness fault: it becomes a held-back result, never a crash. */
function runCheck(check: AnyCheck, input: object): { outcome: Outcome; harnessFault: boolean } {
  try {
    const outcome = check.run(input as never);
    if (outcome.kind !== 'graded') return { outcome, harnessFault: false };
    const fraction = Number.isFinite(outcome.fraction) ? Math.min(1, Math.max(0, outcome.fraction)) : 0;
    return { outcome: { ...outcome, fraction }, harnessFault: false };
  } catch (error) {
    const message = `Not graded yet: internal error in check ${check.id}: ${String((error as Error)?.message ?? error).slice(0, 300)}. Please report it.`;
    return { outcome: { kind: 'harnessError', cause: 'harness', message }, harnessFault: true };
  }
}

export interface Graded {
  result: SubmissionResult;
  /** Checks that failed through a fault of the harness, not of the submission. */
  harnessFaults: string[];
}

/** The outcome of one check before it runs, when the submission or the machine decides it. */
function decidedBefore(check: AnyCheck, sub: LoadedSubmission, inputs: Inputs): Outcome | undefined {
  const loadError = inputs.solution.loadError;
  if (check.kind === 'auto' && (loadError?.code === 'isolation' || loadError?.code === 'start')) {
    // The machine could not run the module (no OS isolation where the rubric requires it, or
    // no child process at all): since its exports may answer any part, no automatic check is
    // graded yet.
    return { kind: 'harnessError', cause: 'environment', message: `Not graded yet: ${loadError.message}` };
  }
  // Rule checks look at the files, so they run whenever the folder itself could be read.
  if (sub.problems.length && !(check.question === 'rules' && sub.files)) {
    // Nothing of hw2.json could be read: automatic checks score 0 with the reason; manual
    // ones still wait for a TA, who can grade them from the notebook.
    return check.kind === 'auto'
      ? { kind: 'inputError', message: sub.problems.join('; ') }
      : { kind: 'manual', message: `Graded by a TA from the notebook: ${sub.problems.join('; ')}` };
  }
  const partErrors = sub.partErrors[check.question];
  if (check.kind === 'auto' && partErrors?.length) {
    // The question's part of hw2.json did not validate: its automatic checks report why.
    return { kind: 'inputError', message: `This part of hw2.json could not be read: ${partErrors.map(issueText).join('; ')}`, issues: partErrors };
  }
  return undefined;
}

function row(check: AnyCheck, outcome: Outcome, points: number, visibility: CheckResult['visibility']): CheckResult {
  const r: CheckResult = {
    id: check.id, question: check.question, title: check.title, kind: check.kind, visibility,
    status: statusOf(outcome), score: outcomeScore(outcome, points), points, message: outcome.message,
  };
  // The check did not run through no fault of the submission: the points wait for a regrade.
  if (outcome.kind === 'harnessError') r.cause = outcome.cause;
  if (outcome.kind === 'graded' && outcome.diagnoses?.length) r.diagnoses = outcome.diagnoses;
  if (outcome.kind === 'manual' && outcome.text !== undefined) r.text = outcome.text;
  if (outcome.kind === 'inputError' && outcome.issues?.length) r.issues = outcome.issues;
  if (outcome.expected !== undefined) r.expected = outcome.expected;
  if (outcome.actual !== undefined) r.actual = outcome.actual;
  if (outcome.seed !== undefined) r.seed = outcome.seed;
  if (outcome.evidence !== undefined) r.evidence = outcome.evidence;
  return r;
}

export function gradeSubmission(sub: LoadedSubmission, registry: Registry, rubric: Rubric, options: GradeOptions): Graded {
  const inputs: Inputs = { ...EMPTY, files: sub.files ?? [], ...options.inputs };
  const base = { answers: sub.answers, rubric, seed: options.seed, ...(sub.group ? { groupIds: sub.group.ids } : {}) };
  const notebookAnswers = inputs.notebook?.ok ? markdownByQuestion(inputs.notebook.facts.markdown) : {};
  const harnessFaults: string[] = [];
  const outcomes: Outcome[] = [];
  const checks: CheckResult[] = registry.filter((check) => isEnabled(check, rubric)).map((check) => {
    const { points, visibility } = rubric.checks[check.id]!;
    let outcome: Outcome = decidedBefore(check, sub, inputs) ?? (() => {
      // The check sees exactly what it declared: an input it did not declare is not there.
      const input: Record<string, unknown> = { ...base };
      for (const need of check.needs as Need[]) input[need] = inputs[need];
      const ran = runCheck(check, input);
      if (ran.harnessFault) harnessFaults.push(check.id);
      return ran.outcome;
    })();
    // A manual check without text in hw2.json shows what the notebook says under that question.
    // Only a manual check: an automatic one left to a TA (Task 3 on the synthetic set) keeps
    // its own message, which carries the measurement.
    const fromNotebook = notebookAnswers[check.question];
    if (check.kind === 'manual' && outcome.kind === 'manual' && !outcome.text && fromNotebook) {
      outcome = { ...outcome, message: 'Graded by a TA from the notebook\'s answer below.', text: fromNotebook };
    }
    outcomes.push(outcome);
    const r = row(check, outcome, points, visibility);
    return options.mode === 'check' && visibility === 'hidden' ? hide(r) : r;
  });
  const integrity = outcomes.flatMap((o) => (o.kind === 'graded' ? o.integrity ?? [] : []));
  const scored = totals(checks, options.mode);
  const solution = inputs.solution;
  const result: SubmissionResult = {
    contract: 1,
    resultVersion: RESULT_VERSION,
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
 * and actual values, and diagnoses are dropped, since any of them can leak the key.
 */
function hide(row: CheckResult): CheckResult {
  return {
    id: row.id, question: row.question, title: row.title, kind: row.kind, visibility: 'hidden',
    status: 'hidden', score: 0, points: row.points, message: 'Hidden check: graded later by the course.',
  };
}
