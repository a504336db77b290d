/**
 * Task 2 checks. The pair's MLP is re-measured by the harness on the full official
 * FashionMNIST test set; what the pair printed is only compared with the measurement, and a
 * claim off by more than the rubric's tolerance becomes an integrity warning with both numbers.
 */
import type { Diagnosis, Evidence, IntegrityWarning, Outcome } from '../src/core/vocabulary.ts';
import { diagnosed, inputError, manual, notSubmitted } from '../src/core/outcomes.ts';
import { defineCheck, type CheckInput } from '../src/registry/define.ts';
import { accuracyCredit } from '../reference/task2.ts';
import { percent } from '../src/util/numeric.ts';
import { lossKey, lossSeries, thinHistory } from '../src/data/history.ts';
import type { Evaluated } from '../src/models/evaluate.ts';

/** Loss series a curves check draws (the training loss and, e.g., val_loss): more is not a chart a TA reads. */
const MAX_DRAWN_SERIES = 8;

/**
 * Why a model has no measurement: the submission's fault (an input error, 0 with the reason)
 * or the grading machine's (a harness error of cause 'environment': the points are held back,
 * never the pair's 0).
 */
export function notMeasured(m: Evaluated | undefined, prefix = ''): Outcome {
  if (!m || m.ok) return inputError(`${prefix}the model was not evaluated`);
  if (m.environment) return { kind: 'harnessError', cause: 'environment', message: `${prefix}${m.message}` };
  return inputError(`${prefix}${m.message}`);
}

/** The diagnosis that names a contradicted accuracy claim, with both numbers ('<question>.claim-contradicted'). */
export function integrityDiagnoses(question: 'task2' | 'task3', w: IntegrityWarning | undefined, tolerance: number): Diagnosis[] | undefined {
  return w ? [{ code: `${question}.claim-contradicted`, text: `Integrity: the claimed accuracy ${percent(w.claimed)} differs from the measured ${percent(w.measured)} by more than ${percent(tolerance)}` }] : undefined;
}

export function claimCheck(what: string, claimed: number | undefined, measured: number, tolerance: number): IntegrityWarning | undefined {
  if (claimed === undefined) return undefined;
  // A claim in percent (89.3) is read as 0.893.
  const c = claimed > 1 ? claimed / 100 : claimed;
  return Math.abs(c - measured) > tolerance ? { what, claimed: c, measured } : undefined;
}

const accuracy = defineCheck({
  id: 'task2.accuracy',
  question: 'task2',
  title: 'Task 2.2 test accuracy of the MLP (≥ 85% to pass, ≥ 89% for full marks), measured by the harness',
  kind: 'auto',
  points: 6,
  visibility: 'public',
  needs: ['models'],
  run(input) {
    if (!input.answers.task2?.model) return notSubmitted('answers.task2.model');
    const measured = input.models['task2.model'];
    if (!measured?.ok) return notMeasured(measured);
    const r = measured.result;
    const rule = input.rubric.task2;
    const warning = claimCheck('task2 test accuracy', input.answers.task2.claimed?.testAccuracy, r.accuracy, rule.claimTolerance);
    const evidence: Evidence = { type: 'thresholds', label: 'measured test accuracy', value: r.accuracy, thresholds: [{ label: 'pass', value: rule.pass }, { label: 'full', value: rule.full }] };
    return {
      kind: 'graded',
      fraction: accuracyCredit(r.accuracy, rule),
      message: `Measured ${percent(r.accuracy)} on the ${r.count.toLocaleString('en-US')} official test images (${r.backend}, ${r.params.toLocaleString('en-US')} parameters).` +
        (warning ? ` Your notebook claims ${percent(warning.claimed)}.` : ''),
      diagnoses: integrityDiagnoses('task2', warning, rule.claimTolerance),
      expected: { pass: rule.pass, full: rule.full }, actual: { measured: r.accuracy, claimed: input.answers.task2.claimed?.testAccuracy ?? null },
      evidence, integrity: warning ? [warning] : undefined,
    };
  },
});

const reinit = defineCheck({
  id: 'task2.reinit',
  question: 'task2',
  title: 'Task 2.3 another initialization: the change in accuracy',
  kind: 'auto',
  points: 2,
  visibility: 'public',
  needs: ['models'],
  run(input) {
    const t2 = input.answers.task2;
    if (!t2?.reinitModel) return notSubmitted('answers.task2.reinitModel');
    const base = input.models['task2.model'];
    const other = input.models['task2.reinitModel'];
    if (!other?.ok) return notMeasured(other);
    if (!base?.ok) return notMeasured(base, 'the first model could not be measured, so there is no change to measure: ');
    const change = other.result.accuracy - base.result.accuracy;
    const warning = claimCheck('task2 accuracy after re-initialization', t2.claimed?.reinitTestAccuracy, other.result.accuracy, input.rubric.task2.claimTolerance);
    const same = t2.reinitModel.path === t2.model?.path;
    const message = `Measured ${percent(other.result.accuracy)} with ${t2.reinitInit ?? 'the other init'} against ${percent(base.result.accuracy)}: a change of ${change >= 0 ? '+' : ''}${(100 * change).toFixed(2)} points.`;
    if (same) return { kind: 'graded', fraction: 0, message, diagnoses: diagnosed('task2.reinit-same-model', 'Both models are the same file: item 3 asks to retrain with another init') };
    return {
      kind: 'graded',
      fraction: warning ? 0.5 : 1,
      message: warning ? `${message} Your notebook claims ${percent(warning.claimed)}.` : message,
      diagnoses: integrityDiagnoses('task2', warning, input.rubric.task2.claimTolerance),
      actual: { base: base.result.accuracy, reinit: other.result.accuracy, change }, integrity: warning ? [warning] : undefined,
    };
  },
});

/**
 * The hyper-parameters item 2 asks to write down, as key patterns. Whole names, so that
 * "resumedAfterEpoch" is not the number of epochs nor "batchNorm" the batch size.
 */
const HYPER = [
  ['optimizer', /^optim(izer|iser)?$/i], ['learning rate', /^(lr|learning.?rate)$/i],
  ['epochs', /^((n|num|number).?(of.?)?)?epochs?$/i], ['batch size', /^batch(.?size)?$/i],
] as const;

/** A value written down: a number, a boolean, or text with a letter or digit that is not a placeholder. */
const written = (v: unknown) => typeof v === 'number' || typeof v === 'boolean'
  || (typeof v === 'string' && /[\p{L}\p{N}]/u.test(v) && !/^\s*(todo|tbd|\?+|n\/?a|none|-+)\s*$/i.test(v));

const description = defineCheck({
  id: 'task2.description',
  question: 'task2',
  title: 'Task 2.2 architecture and every hyper-parameter written down',
  kind: 'auto',
  points: 1,
  visibility: 'public',
  needs: [],
  run(input) {
    const t2 = input.answers.task2;
    if (!t2?.architecture && !t2?.hyperparameters) return notSubmitted('answers.task2.architecture and hyperparameters');
    // A key counts only with a value: "batchSize": "" names the hyper-parameter without giving it.
    const given = Object.entries(t2.hyperparameters ?? {}).filter(([, v]) => written(v));
    const keys = given.map(([k]) => k);
    const missing = [...(written(t2.architecture) ? [] : ['architecture']), ...HYPER.filter(([, re]) => !keys.some((k) => re.test(k))).map(([name]) => name)];
    const total = HYPER.length + 1;
    return {
      kind: 'graded',
      fraction: (total - missing.length) / total,
      message: missing.length ? `Missing: ${missing.join(', ')}.` : `Architecture and ${keys.length} hyper-parameters given.`,
      actual: { architecture: t2.architecture ?? null, hyperparameters: t2.hyperparameters ?? null },
    };
  },
});

/**
 * A running loss summed over epochs and never reset: the series rises at every point, by steps
 * that (like a real loss) mostly shrink, and ends well above where it began (each step is a whole
 * epoch's loss: the homework's MLP logged so goes 0.60, 1.01, 1.37, …). A loss stuck near chance
 * that creeps up to ln 10 (2.24, 2.30, 2.303, …) also rises by shrinking steps, but by a few percent.
 */
function runningSum(loss: number[]): boolean {
  if (loss.length < 3 || !(loss[0]! > 0)) return false;
  const steps = loss.slice(1).map((v, i) => v - loss[i]!);
  if (!steps.every((d) => d > 0)) return false;
  const falls = steps.slice(1).filter((d, i) => d <= steps[i]!).length;
  return falls >= (steps.length - 1) / 2 && loss[loss.length - 1]! >= 1.25 * loss[0]!;
}

/**
 * A history file judged as a loss curve: present, at least two points, falling. Shared by
 * Tasks 2 and 3; `question` names the diagnosis's code ('task2.loss-not-decreasing').
 */
export function curvesOutcome(question: 'task2' | 'task3', input: CheckInput<'histories'>, file: string | undefined, answerPath: string): Outcome {
  if (!file) return notSubmitted(answerPath);
  const parsed = input.histories[file];
  if (!parsed?.ok) return inputError(parsed?.message ?? `${file} was not read`);
  const h = parsed.history;
  const loss = lossSeries(h);
  if (!loss) return { kind: 'graded', fraction: 0, message: `${file} has no "loss" series (series found: ${Object.keys(h.series).join(', ') || 'none'}).` };
  if (loss.length < 2) return { kind: 'graded', fraction: 0, message: `${file} has ${loss.length} point of loss; a curve needs at least two.` };
  // One value repeated is not a curve (a placeholder, or a loss never computed): nothing to judge.
  if (loss.every((v) => v === loss[0])) {
    return { kind: 'graded', fraction: 0, message: `${file}: every one of its ${loss.length} loss values is ${loss[0]}: that is not a loss curve.`, diagnoses: diagnosed(`${question}.loss-constant`, 'The loss never changes: was it logged at all?') };
  }
  const half = Math.floor(loss.length / 2);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const decreasing = loss[loss.length - 1]! < loss[0]! && mean(loss.slice(-half)) < mean(loss.slice(0, half));
  // The verdict above uses every point; the evidence (stored in result.json, drawn in the
  // report) keeps at most MAX_DRAWN_SERIES loss series, the training loss always among them, of
  // at most about MAX_DRAWN_POINTS points each, evenly strided with the first and last kept.
  const trainKey = lossKey(h)!;
  const others = Object.keys(h.series).filter((k) => /loss/i.test(k) && k !== trainKey).slice(0, MAX_DRAWN_SERIES - 1);
  const drawn = new Set([trainKey, ...others]);
  const thinned = thinHistory({ x: h.x, xLabel: h.xLabel, series: Object.fromEntries(Object.entries(h.series).filter(([k]) => drawn.has(k))) });
  const evidence: Evidence = { type: 'curves', xLabel: h.xLabel, yLabel: 'loss', x: thinned.x, series: thinned.series };
  return {
    kind: 'graded',
    fraction: decreasing ? 1 : 0.5,
    message: `${loss.length} points of loss from ${loss[0]!.toPrecision(3)} to ${loss[loss.length - 1]!.toPrecision(3)}${decreasing ? '.' : ': it does not decrease.'}`,
    diagnoses: decreasing ? undefined : runningSum(loss)
      ? [{ code: `${question}.loss-running-sum`, text: 'The loss only grows, by less each epoch: a running sum of the loss that is never reset (or never divided by the number of batches) each epoch' }]
      : [{ code: `${question}.loss-not-decreasing`, text: 'The training loss does not fall: is the learning rate too high, or the loss logged before training?' }],
    evidence,
  };
}

const curves = defineCheck({
  id: 'task2.curves',
  question: 'task2',
  title: 'Task 2.2 loss curves: present and decreasing',
  kind: 'auto',
  points: 2,
  visibility: 'public',
  needs: ['histories'],
  run: (input) => curvesOutcome('task2', input, input.answers.task2?.history, 'answers.task2.history'),
});

const display = defineCheck({
  id: 'task2.display',
  question: 'task2',
  title: 'Task 2.1 six images with their labels displayed',
  kind: 'manual',
  points: 2,
  visibility: 'public',
  needs: [],
  run: (input) => manual(input.answers.task2?.display, 'answers.task2.display'),
});

export const task2Checks = [accuracy, reinit, description, curves, display] as const;
