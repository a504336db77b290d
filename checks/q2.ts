/**
 * Q2 checks: forward pass, gradients, SGD step. Each later step is also judged against the
 * pair's own earlier values (error carried forward), so one slip costs its own points once.
 *
 * Rules (issue 15):
 * - Every number is judged at the precision it was written at (src/util/numeric.ts
 *   judgeAtPrecision): p = max(its significant digits, the rubric's precision.minSignificantDigits,
 *   4 by default); right when it is the reference rounded to p digits give or take one unit in the
 *   p-th digit (hand computations carry rounded intermediates), or within
 *   precision.floatRelTolerance of it (many digits from a float32 notebook). Each message says at
 *   how many digits the values were judged. No looser tolerance: hidden-layer gradients computed
 *   with the already-updated output weights are 0.13–0.25% off, a different number at 4 digits.
 * - q2.forward judges each of h1, h2, o1, o2, E on its own, 1/5 of the check each. An E that is
 *   not the reference's but equals ½·Σ(t−o)² of the pair's own outputs earns half of E's share
 *   (times the rubric's carriedForwardCredit, 1 by default): 0.5/5 of the check.
 * - Carried-forward credit is given only for attempts. A set of values that is not one is never
 *   "the pair's own values": all 0, one value repeated for every quantity, copies of the inputs
 *   (outputs equal to the targets t, gradients equal to the initial weights, "updated" equal to
 *   the gradients or to the initial weights), values outside the activation's range (h, o), or
 *   numbers that are not finite. Such a set earns only where a value is right outright (for an
 *   update: one whose digits show its step; a kept bias is no attempt either), and is named by a diagnosis
 *   (q2.degenerate-forward, q2.degenerate-gradients, q2.degenerate-update).
 * - An updated weight is judged at its own written precision. Where that precision cannot show
 *   the step (the initial weight itself would pass: w2 = 0.2 − 0.01·0.000404 is 0.2000 at 4
 *   digits), the weight is judged together with the pair's gradient for it: right only when the
 *   gradient is right too, carried forward when the gradient is the pair's own attempt, otherwise
 *   wrong (q2.step-below-precision).
 * - A zero step is not an update: an updated weight equal to its initial value, where the
 *   precision shows the step, is wrong and never carried forward from the pair's own gradient
 *   (q2.not-updated). The shared biases b1, b2 may be kept fixed (hw2.md: a convention to accept).
 */
import { Q2_PARAMS, type Q2Param } from '../src/contract/schema.ts';
import {
  backpropFromForward, forwardPass, referenceQ2, type Q2Forward, type Q2Instance,
} from '../reference/q2.ts';
import type { Diagnosis, Evidence, Outcome } from '../src/core/vocabulary.ts';
import { diagnosed, notSubmitted } from '../src/core/outcomes.ts';
import { defineCheck, type CheckInput } from '../src/registry/define.ts';
import { judgeAtPrecision, judgedAt, show, unitInDigit, type PrecisionRule } from '../src/util/numeric.ts';

const FORWARD_KEYS = ['h1', 'h2', 'o1', 'o2'] as const;
const FORWARD_VALUES = [...FORWARD_KEYS, 'E'] as const;
/** Share of E's credit when E follows from the pair's own wrong outputs (times carriedForwardCredit). */
const CARRIED_E_SHARE = 0.5;

function instanceOf(input: CheckInput): Q2Instance {
  return input.rubric.q2.instance;
}

/** Is a written number the expected one, at the precision it was written at? */
type Same = (written: number, expected: number) => boolean;

function sameAtPrecision(rule: PrecisionRule): Same {
  return (written, expected) => judgeAtPrecision(written, expected, rule).ok;
}

/** "judged at 6 significant digits", or "judged at 4 to 6 significant digits (each value at the digits written)". */
function precisionNote(values: number[], rule: PrecisionRule): string {
  const digits = values.map((v) => judgeAtPrecision(v, 1, rule).digits);
  if (!digits.length) return judgedAt(rule.minSignificantDigits);
  const lo = Math.min(...digits);
  const hi = Math.max(...digits);
  return lo === hi ? judgedAt(lo) : `judged at ${lo} to ${hi} significant digits (each value at the digits written, at least ${rule.minSignificantDigits})`;
}

/**
 * Why a set of values is not an attempt, or undefined when it is one: numbers that are not
 * finite, all 0, one value repeated for every entry, or a copy of one of `copies`.
 */
function degeneracy(values: number[], same: Same, copies: [string, number[]][] = []): string | undefined {
  if (!values.length) return undefined;
  if (values.some((v) => !Number.isFinite(v))) return 'numbers that are not finite';
  if (values.every((v) => v === 0)) return 'all 0';
  if (values.length > 1 && values.every((v) => same(v, values[0]!))) return `one value (${show(values[0]!)}) repeated`;
  for (const [name, copy] of copies) {
    if (copy.length === values.length && values.every((v, i) => same(v, copy[i]!))) return `copies of ${name}`;
  }
  return undefined;
}

/**
 * The pair's forward values when it gave all of them and they are an attempt; needed to carry an
 * error forward. `why` says why they are not one (then `values` is undefined).
 */
function pairForward(input: CheckInput): { values?: Q2Forward; why?: string } {
  const f = input.answers.q2?.forward;
  if (!f || FORWARD_KEYS.some((k) => f[k] === undefined)) return {};
  const inst = instanceOf(input);
  const same = sameAtPrecision(input.rubric.precision);
  const hidden = FORWARD_KEYS.map((k) => f[k]!);
  const [lo, hi] = inst.activation === 'sigmoid' ? [0, 1] : [-1, 1];
  const why = degeneracy(hidden, same)
    ?? (same(f.o1!, inst.t[0]!) && same(f.o2!, inst.t[1]!) ? 'outputs copied from the targets t' : undefined)
    ?? (hidden.some((v) => !(v > lo && v < hi)) ? `values outside the ${inst.activation}'s range (${lo}, ${hi})` : undefined);
  return why ? { why } : { values: f as Q2Forward };
}

/** The pair's own loss convention, read off its E and outputs: 1 for ½Σ, 2 for Σ. */
function pairLossFactor(input: CheckInput): number {
  const f = pairForward(input).values;
  if (!f) return 1;
  const same = sameAtPrecision(input.rubric.precision);
  const [t1, t2] = instanceOf(input).t as [number, number];
  const sse = (t1 - f.o1) ** 2 + (t2 - f.o2) ** 2;
  return same(f.E, sse) && !same(f.E, sse / 2) ? 2 : 1;
}

const forward = defineCheck({
  id: 'q2.forward',
  question: 'q2',
  title: 'Q2.1 forward pass: the loss E',
  kind: 'auto',
  points: 4,
  visibility: 'public',
  needs: [],
  run(input): Outcome {
    const given = input.answers.q2?.forward;
    if (!given) return notSubmitted('answers.q2.forward');
    const inst = instanceOf(input);
    const same = sameAtPrecision(input.rubric.precision);
    const ref = referenceQ2(inst).forward;
    const own = pairForward(input);
    const [t1, t2] = inst.t as [number, number];
    const ownE = own.values ? ((t1 - own.values.o1) ** 2 + (t2 - own.values.o2) ** 2) / 2 : undefined;
    // Each of h1, h2, o1, o2, E on its own; E may follow from the pair's own (attempted) outputs.
    const verdicts = Object.fromEntries(FORWARD_VALUES.map((k) => {
      const v = given[k];
      if (v === undefined) return [k, 'missing'];
      if (same(v, ref[k])) return [k, 'right'];
      if (k === 'E' && ownE !== undefined && same(v, ownE)) return [k, 'carried'];
      return [k, 'wrong'];
    })) as Record<(typeof FORWARD_VALUES)[number], 'right' | 'carried' | 'wrong' | 'missing'>;
    const count = (v: string) => FORWARD_VALUES.filter((k) => verdicts[k] === v);
    const right = count('right');
    const carried = verdicts.E === 'carried';
    const wrong = FORWARD_VALUES.filter((k) => verdicts[k] === 'wrong' || verdicts[k] === 'missing');
    const fraction = (right.length + (carried ? CARRIED_E_SHARE * input.rubric.q2.carriedForwardCredit : 0)) / FORWARD_VALUES.length;
    const expected = { ...ref };
    const actual = { ...given };
    const evidence: Evidence = {
      type: 'table',
      columns: ['', 'yours', 'reference'],
      rows: FORWARD_VALUES.map((k) => ({ cells: [k, given[k] ?? null, ref[k]], verdicts: [null, verdicts[k], null] })),
    };
    const variants: [string, string, Q2Forward][] = [
      ['q2.sse-without-half', 'MSE without the ½: E must be ½·Σ(t−o)², which for two outputs is the mean; Σ(t−o)² is twice that',
        forwardPass({ ...inst, loss: 'sse' }, inst.weights)],
      ['q2.no-biases', 'Biases left out of the forward pass (b1 feeds h1 and h2, b2 feeds o1 and o2)',
        forwardPass(inst, inst.weights, { noHiddenBias: true, noOutputBias: true })],
      ['q2.no-hidden-bias', 'The hidden layer\'s bias b1 left out of the forward pass', forwardPass(inst, inst.weights, { noHiddenBias: true })],
      ['q2.no-output-bias', 'The output layer\'s bias b2 left out of the forward pass', forwardPass(inst, inst.weights, { noOutputBias: true })],
      ['q2.linear-output', 'No sigmoid on the output layer', forwardPass(inst, inst.weights, { linearOutput: true })],
    ];
    const variant = verdicts.E === 'right' ? undefined : variants.find(([, , v]) => same(given.E, v.E));
    const diagnoses: Diagnosis[] = [
      ...(variant ? diagnosed(variant[0], variant[1])! : []),
      ...(own.why && FORWARD_KEYS.some((k) => verdicts[k] !== 'right')
        ? diagnosed('q2.degenerate-forward', `h1, h2, o1, o2 are not an attempt (${own.why}): nothing is carried forward from them`)!
        : []),
    ];
    const written = FORWARD_VALUES.flatMap((k) => (given[k] === undefined ? [] : [given[k]]));
    const parts = [`${right.length} of ${FORWARD_VALUES.length} correct, ${precisionNote(written, input.rubric.precision)}`];
    if (carried) parts.push(`E = ${show(given.E)} follows from your outputs (half credit for E); expected E = ${show(ref.E)}`);
    if (wrong.length) parts.push(`wrong: ${wrong.map((k) => (verdicts[k] === 'missing' ? `${k} (missing)` : k)).join(', ')}`);
    if (verdicts.E === 'wrong') parts.push(`E = ${show(given.E)}; expected ${show(ref.E)}`);
    return {
      kind: 'graded', fraction, message: `${parts.join('; ')}.`,
      ...(diagnoses.length ? { diagnoses } : {}), expected, actual, evidence,
    };
  },
});

/** A named slip in one parameter: the code the summary counts, the words a student reads. */
interface Slip {
  code: string;
  text: string;
}

interface ParamJudgement {
  param: Q2Param;
  verdict: 'right' | 'carried' | 'wrong' | 'missing';
  note?: Slip;
}

const MISSING: Slip = { code: 'q2.missing', text: 'missing' };

const UPDATED_WEIGHTS_SLIP: Slip = {
  code: 'q2.gradient-updated-weights',
  text: 'computed with the output weights w7–w10 already updated; backpropagation uses the weights of the forward pass',
};

/**
 * Names the one mistake that explains a wrong value, when one does. `withUpdatedWeights` is the
 * hidden-layer gradient backpropagated through the already-updated output weights.
 */
function explainGradient(value: number, ref: number, same: Same, withUpdatedWeights?: number): Slip | undefined {
  if (same(value, -ref)) return { code: 'q2.gradient-sign', text: 'sign error' };
  if (same(value, 2 * ref)) return { code: 'q2.gradient-double', text: 'twice the reference (loss without the ½)' };
  if (same(value, ref / 2)) return { code: 'q2.gradient-half', text: 'half the reference' };
  if (withUpdatedWeights !== undefined && same(value, withUpdatedWeights)) return UPDATED_WEIGHTS_SLIP;
  return undefined;
}

/** The side-by-side table for the report: the pair's value, the reference's, the verdict. */
function table(judged: ParamJudgement[], pair: Partial<Record<Q2Param, number>>, reference: Record<Q2Param, number>, referenceLabel = 'reference'): Evidence {
  return {
    type: 'table',
    columns: ['', 'yours', referenceLabel],
    rows: judged.map((j) => ({ cells: [j.param, pair[j.param] ?? null, reference[j.param]], verdicts: [null, j.verdict, null] })),
  };
}

function summarize(judged: ParamJudgement[], credit: number, precision: string, extra: Diagnosis[] = []): { kind: 'graded'; fraction: number; message: string; diagnoses?: Diagnosis[] } {
  const right = judged.filter((j) => j.verdict === 'right').length;
  const carried = judged.filter((j) => j.verdict === 'carried').length;
  const wrong = judged.filter((j) => j.verdict === 'wrong' || j.verdict === 'missing');
  const fraction = (right + credit * carried) / judged.length;
  const parts = [`${right} of ${judged.length} correct, ${precision}`];
  if (carried) parts.push(`${carried} follow correctly from your own earlier values (error carried forward)`);
  if (wrong.length) parts.push(`wrong: ${wrong.map((j) => (j.note ? `${j.param} (${j.note.text})` : j.param)).join(', ')}`);
  const notes = new Map<string, { slip: Slip; params: Q2Param[] }>();
  for (const j of wrong) if (j.note && j.note !== MISSING) notes.set(j.note.code, { slip: j.note, params: [...(notes.get(j.note.code)?.params ?? []), j.param] });
  const diagnoses = [
    ...[...notes.values()].map(({ slip, params }) => ({ code: slip.code, text: `${slip.text[0]!.toUpperCase()}${slip.text.slice(1)} in ${params.join(', ')}` })),
    ...extra,
  ];
  return { kind: 'graded', fraction, message: `${parts.join('; ')}.`, ...(diagnoses.length ? { diagnoses } : {}) };
}

const gradients = defineCheck({
  id: 'q2.gradients',
  question: 'q2',
  title: 'Q2.2 backward pass: dE/dw',
  kind: 'auto',
  points: 5,
  visibility: 'public',
  needs: [],
  run(input): Outcome {
    const given = input.answers.q2?.gradients;
    if (!given) return notSubmitted('answers.q2.gradients');
    const inst = instanceOf(input);
    const same = sameAtPrecision(input.rubric.precision);
    const ref = referenceQ2(inst);
    const own = pairForward(input).values;
    // Biases are judged only when given: a pair that keeps the shared biases fixed needs none.
    const params = Q2_PARAMS.filter((p) => p.startsWith('w') || given[p] !== undefined);
    const present = params.filter((p) => given[p] !== undefined);
    // Gradients that are not an attempt (all 0, one value, the initial weights copied) earn only where right outright.
    const why = degeneracy(present.map((p) => given[p]!), same, [['the initial weights', present.map((p) => inst.weights[p])]]);
    // Carried forward only from an error: forward values that are right are judged against the reference alone.
    const ownWrong = own && FORWARD_VALUES.some((k) => !same(own[k], ref.forward[k]));
    const carried = own && ownWrong && !why ? carriedGradients(inst, own, pairLossFactor(input), input.rubric.precision) : undefined;
    // The hidden layer's gradients backpropagated through w7–w10 after the step: a mistake 0.13–0.25% off.
    const withUpdated = backpropFromForward(inst, { ...inst.weights, ...pick(ref.updated, ['w7', 'w8', 'w9', 'w10']) }, ref.forward);
    const judged: ParamJudgement[] = params.map((param) => {
      const value = given[param];
      if (value === undefined) return { param, verdict: 'missing', note: MISSING };
      if (same(value, ref.gradients[param])) return { param, verdict: 'right' };
      if (carried && followsFrom(value, carried[param], input.rubric.precision)) return { param, verdict: 'carried' };
      const hidden = !['w7', 'w8', 'w9', 'w10', 'b2'].includes(param);
      return { param, verdict: 'wrong', note: explainGradient(value, ref.gradients[param], same, hidden ? withUpdated[param] : undefined) };
    });
    const extra = why && judged.some((j) => j.verdict !== 'right')
      ? diagnosed('q2.degenerate-gradients', `The gradients are not an attempt (${why}): they earn no carried-forward credit, and no update is carried forward from them`)!
      : [];
    const precision = precisionNote(present.map((p) => given[p]!), input.rubric.precision);
    return { ...summarize(judged, input.rubric.q2.carriedForwardCredit, precision, extra), expected: ref.gradients, actual: given, evidence: table(judged, given, ref.gradients) };
  },
});

/**
 * The gradients that follow from the pair's own forward values, as a range: the pair wrote h and
 * o rounded, but computed its gradients from what it had before rounding, and h·(1 − h) near
 * h = 0.99 loses digits (0.993307 leaves 0.006693). So each of h1, h2, o1, o2 moves by half a unit
 * of its written digits (16 corners; the gradients are monotone in each over so small a move).
 */
function carriedGradients(inst: Q2Instance, own: Q2Forward, lossFactor: number, rule: PrecisionRule): Record<Q2Param, [number, number]> {
  const halfUnits = FORWARD_KEYS.map((k) => unitInDigit(own[k], judgeAtPrecision(own[k], own[k], rule).digits) / 2);
  const ranges = Object.fromEntries(Q2_PARAMS.map((p) => [p, [Infinity, -Infinity]])) as Record<Q2Param, [number, number]>;
  for (let corner = 0; corner < 16; corner++) {
    const f = { ...own };
    FORWARD_KEYS.forEach((k, i) => { f[k] = own[k] + ((corner >> i) & 1 ? 1 : -1) * halfUnits[i]!; });
    const g = backpropFromForward(inst, inst.weights, f, lossFactor);
    for (const p of Q2_PARAMS) ranges[p] = [Math.min(ranges[p][0], g[p]), Math.max(ranges[p][1], g[p])];
  }
  return ranges;
}

/** A written value within a range of what follows from the pair's values, at the precision written. */
function followsFrom(value: number, [lo, hi]: [number, number], rule: PrecisionRule): boolean {
  return (value >= lo && value <= hi) || judgeAtPrecision(value, lo, rule).ok || judgeAtPrecision(value, hi, rule).ok;
}

function pick<K extends string>(values: Record<K, number>, keys: K[]): Partial<Record<K, number>> {
  return Object.fromEntries(keys.map((k) => [k, values[k]])) as Partial<Record<K, number>>;
}

const update = defineCheck({
  id: 'q2.update',
  question: 'q2',
  title: 'Q2.3 one SGD step (α from the homework)',
  kind: 'auto',
  points: 5,
  visibility: 'hidden',
  needs: [],
  run(input): Outcome {
    const given = input.answers.q2?.updated;
    if (!given) return notSubmitted('answers.q2.updated');
    const inst = instanceOf(input);
    const { alpha, weights: w0 } = inst;
    const rule = input.rubric.precision;
    const same = sameAtPrecision(rule);
    const ref = referenceQ2(inst);
    const pairGradients = input.answers.q2?.gradients;
    const gradientParams = Q2_PARAMS.filter((p) => pairGradients?.[p] !== undefined);
    // The pair's own gradients carry forward only when they are an attempt (see the file's comment).
    const gradientsWhy = pairGradients && degeneracy(gradientParams.map((p) => pairGradients[p]!), same,
      [['the initial weights', gradientParams.map((p) => w0[p])]]);
    const ownGradients = gradientsWhy ? undefined : pairGradients;
    const params = Q2_PARAMS.filter((p) => p.startsWith('w') || given[p] !== undefined);
    const present = params.filter((p) => given[p] !== undefined);
    // "Updated" values that are not an attempt: all 0, one value, the pair's or the reference's
    // gradients copied, or the initial weights copied (at 4 digits half of them cannot show their
    // step, so a copy would otherwise pass there on the strength of the gradients).
    const why = degeneracy(present.map((p) => given[p]!), same, [
      ...(pairGradients && present.every((p) => pairGradients[p] !== undefined) ? [['your gradients', present.map((p) => pairGradients[p]!)] as [string, number[]]] : []),
      ['the gradients', present.map((p) => ref.gradients[p])],
      ['the initial weights', present.map((p) => w0[p])],
    ]);
    const judged: ParamJudgement[] = params.map((param) => {
      const value = given[param];
      if (value === undefined) return { param, verdict: 'missing', note: MISSING };
      const g = ref.gradients[param];
      const start = w0[param];
      // Every comparison at the precision the weight was written at.
      const { digits } = judgeAtPrecision(value, start, rule);
      const at = (expected: number) => judgeAtPrecision(value, expected, { ...rule, minSignificantDigits: digits }).ok;
      // The written precision shows the step unless the initial weight itself would pass as the update.
      const shows = (step: number) => !judgeAtPrecision(start, start - step, { ...rule, minSignificantDigits: digits }).ok;
      const own = ownGradients?.[param];
      if (at(start - alpha * g)) {
        if (shows(alpha * g)) return { param, verdict: 'right' };
        // A set that is no attempt earns only where a value shows its step (the file's comment).
        if (why) return { param, verdict: 'wrong', note: { code: 'q2.step-below-precision', text: `the step α·g is below the precision written (${digits} digits), and the updated values are not an attempt` } };
        // The weight cannot show the step: judged with the pair's gradient for it.
        const pairG = pairGradients?.[param];
        if (pairG !== undefined && same(pairG, g)) return { param, verdict: 'right' };
        if (param.startsWith('b') && at(start)) return { param, verdict: 'right' };
        // The pair's own (attempted) gradient, whose step the written weight shows or does not.
        if (!why && own !== undefined && at(start - alpha * own)) return { param, verdict: 'carried' };
        return {
          param, verdict: 'wrong',
          note: { code: 'q2.step-below-precision', text: `the step α·g is below the precision written (${digits} digits), and the gradient written for it is ${pairG === undefined ? 'missing' : 'wrong'}` },
        };
      }
      // Both conventions for the shared biases are accepted (hw2.md, Q2): updated or fixed (in an attempt).
      if (param.startsWith('b') && at(start) && !why) return { param, verdict: 'right' };
      // A zero step is not an update, whatever gradient the pair wrote.
      if (at(start)) return { param, verdict: 'wrong', note: { code: 'q2.not-updated', text: 'not updated' } };
      if (!why && own !== undefined && at(start - alpha * own)) return { param, verdict: 'carried' };
      let note: Slip | undefined;
      if (at(start + alpha * g)) note = { code: 'q2.step-along-gradient', text: 'moved along the gradient (w + α·g) instead of against it' };
      else if (at(start - g)) note = { code: 'q2.no-learning-rate', text: 'learning rate not applied' };
      return { param, verdict: 'wrong', note };
    });
    const extra: Diagnosis[] = [
      ...(why ? diagnosed('q2.degenerate-update', `The updated values are not an attempt (${why})`)! : []),
      ...(gradientsWhy && judged.some((j) => j.verdict === 'wrong')
        ? diagnosed('q2.degenerate-gradients', `Your gradients are not an attempt (${gradientsWhy}): no update is carried forward from them`)!
        : []),
    ];
    const precision = precisionNote(present.map((p) => given[p]!), rule);
    return {
      ...summarize(judged, input.rubric.q2.carriedForwardCredit, precision, extra),
      expected: { biasesUpdated: ref.updated, biasesFixed: ref.updatedBiasesFixed },
      actual: given,
      evidence: table(judged, given, ref.updated, 'reference (biases updated)'),
    };
  },
});

export const q2Checks = [forward, gradients, update] as const;
