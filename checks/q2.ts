/**
 * Q2 checks: forward pass, gradients, SGD step. Each later step is also judged against the
 * pair's own earlier values (error carried forward), so one slip costs its own points once.
 *
 * Rules (issue 15):
 * - q2.forward judges each of h1, h2, o1, o2, E on its own, 1/5 of the check each. An E that is
 *   not the reference's but equals ½·Σ(t−o)² of the pair's own outputs earns half of E's share
 *   (times the rubric's carriedForwardCredit, 1 by default): 0.5/5 of the check.
 * - Carried-forward credit is given only for attempts. A set of values that is not one is never
 *   "the pair's own values": all 0, one value repeated for every quantity, copies of the inputs
 *   (outputs equal to the targets t, gradients equal to the initial weights, "updated" equal to
 *   the gradients), values outside the activation's range (h, o), or numbers that are not finite.
 *   Such a set earns only where a value is right outright, and is named by a diagnosis
 *   (q2.degenerate-forward, q2.degenerate-gradients, q2.degenerate-update).
 * - A zero step is not an update: an updated weight equal to its initial value is right only
 *   when the reference step α·g is itself within the tolerance, and never carried forward from
 *   the pair's own gradient (q2.not-updated). The shared biases b1, b2 may be kept fixed
 *   (hw2.md: a convention to accept).
 */
import { Q2_PARAMS, type Q2Param } from '../src/contract/schema.ts';
import {
  backpropFromForward, forwardPass, referenceQ2, type Q2Forward, type Q2Instance,
} from '../reference/q2.ts';
import type { Diagnosis, Evidence, Outcome } from '../src/core/vocabulary.ts';
import { diagnosed, notSubmitted } from '../src/core/outcomes.ts';
import { defineCheck, type CheckInput } from '../src/registry/define.ts';
import { show, within } from '../src/util/numeric.ts';
import type { Tolerance } from '../src/util/numeric.ts';

const FORWARD_KEYS = ['h1', 'h2', 'o1', 'o2'] as const;
const FORWARD_VALUES = [...FORWARD_KEYS, 'E'] as const;
/** Share of E's credit when E follows from the pair's own wrong outputs (times carriedForwardCredit). */
const CARRIED_E_SHARE = 0.5;

function instanceOf(input: CheckInput): Q2Instance {
  return input.rubric.q2.instance;
}

/**
 * Why a set of values is not an attempt, or undefined when it is one: numbers that are not
 * finite, all 0, one value repeated for every entry, or a copy of one of `copies`.
 */
function degeneracy(values: number[], tol: Tolerance, copies: [string, number[]][] = []): string | undefined {
  if (!values.length) return undefined;
  if (values.some((v) => !Number.isFinite(v))) return 'numbers that are not finite';
  if (values.every((v) => within(v, 0, tol))) return 'all 0';
  if (values.length > 1 && values.every((v) => within(v, values[0]!, tol))) return `one value (${show(values[0]!)}) repeated`;
  for (const [name, copy] of copies) {
    if (copy.length === values.length && values.every((v, i) => within(v, copy[i]!, tol))) return `copies of ${name}`;
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
  const tol = input.rubric.q2.tolerances.forward;
  const hidden = FORWARD_KEYS.map((k) => f[k]!);
  const [lo, hi] = inst.activation === 'sigmoid' ? [0, 1] : [-1, 1];
  const why = degeneracy(hidden, tol)
    ?? (within(f.o1!, inst.t[0]!, tol) && within(f.o2!, inst.t[1]!, tol) ? 'outputs copied from the targets t' : undefined)
    ?? (hidden.some((v) => !(v > lo && v < hi)) ? `values outside the ${inst.activation}'s range (${lo}, ${hi})` : undefined);
  return why ? { why } : { values: f as Q2Forward };
}

/** The pair's own loss convention, read off its E and outputs: 1 for ½Σ, 2 for Σ. */
function pairLossFactor(input: CheckInput, tol: Tolerance): number {
  const f = pairForward(input).values;
  if (!f) return 1;
  const [t1, t2] = instanceOf(input).t as [number, number];
  const sse = (t1 - f.o1) ** 2 + (t2 - f.o2) ** 2;
  return within(f.E, sse, tol) && !within(f.E, sse / 2, tol) ? 2 : 1;
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
    const tol = input.rubric.q2.tolerances.forward;
    const ref = referenceQ2(inst).forward;
    const own = pairForward(input);
    const [t1, t2] = inst.t as [number, number];
    const ownE = own.values ? ((t1 - own.values.o1) ** 2 + (t2 - own.values.o2) ** 2) / 2 : undefined;
    // Each of h1, h2, o1, o2, E on its own; E may follow from the pair's own (attempted) outputs.
    const verdicts = Object.fromEntries(FORWARD_VALUES.map((k) => {
      const v = given[k];
      if (v === undefined) return [k, 'missing'];
      if (within(v, ref[k], tol)) return [k, 'right'];
      if (k === 'E' && ownE !== undefined && within(v, ownE, tol)) return [k, 'carried'];
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
    const variant = verdicts.E === 'right' ? undefined : variants.find(([, , v]) => within(given.E, v.E, tol));
    const diagnoses: Diagnosis[] = [
      ...(variant ? diagnosed(variant[0], variant[1])! : []),
      ...(own.why && FORWARD_KEYS.some((k) => verdicts[k] !== 'right')
        ? diagnosed('q2.degenerate-forward', `h1, h2, o1, o2 are not an attempt (${own.why}): nothing is carried forward from them`)!
        : []),
    ];
    const parts = [`${right.length} of ${FORWARD_VALUES.length} correct`];
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

/** Names the one mistake that explains a wrong value, when one does. */
function explainGradient(value: number, ref: number, tol: Tolerance): Slip | undefined {
  if (within(value, -ref, tol)) return { code: 'q2.gradient-sign', text: 'sign error' };
  if (within(value, 2 * ref, tol)) return { code: 'q2.gradient-double', text: 'twice the reference (loss without the ½)' };
  if (within(value, ref / 2, tol)) return { code: 'q2.gradient-half', text: 'half the reference' };
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

function summarize(judged: ParamJudgement[], credit: number, extra: Diagnosis[] = []): { kind: 'graded'; fraction: number; message: string; diagnoses?: Diagnosis[] } {
  const right = judged.filter((j) => j.verdict === 'right').length;
  const carried = judged.filter((j) => j.verdict === 'carried').length;
  const wrong = judged.filter((j) => j.verdict === 'wrong' || j.verdict === 'missing');
  const fraction = (right + credit * carried) / judged.length;
  const parts = [`${right} of ${judged.length} correct`];
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
    const tol = input.rubric.q2.tolerances.gradients;
    const ref = referenceQ2(inst).gradients;
    const own = pairForward(input).values;
    // Biases are judged only when given: a pair that keeps the shared biases fixed needs none.
    const params = Q2_PARAMS.filter((p) => p.startsWith('w') || given[p] !== undefined);
    const present = params.filter((p) => given[p] !== undefined);
    // Gradients that are not an attempt (all 0, one value, the initial weights copied) earn only where right outright.
    const why = degeneracy(present.map((p) => given[p]!), tol, [['the initial weights', present.map((p) => inst.weights[p])]]);
    const carried = own && !why ? backpropFromForward(inst, inst.weights, own, pairLossFactor(input, input.rubric.q2.tolerances.forward)) : undefined;
    const judged: ParamJudgement[] = params.map((param) => {
      const value = given[param];
      if (value === undefined) return { param, verdict: 'missing', note: MISSING };
      if (within(value, ref[param], tol)) return { param, verdict: 'right' };
      if (carried && within(value, carried[param], tol)) return { param, verdict: 'carried' };
      return { param, verdict: 'wrong', note: explainGradient(value, ref[param], tol) };
    });
    const extra = why && judged.some((j) => j.verdict !== 'right')
      ? diagnosed('q2.degenerate-gradients', `The gradients are not an attempt (${why}): they earn no carried-forward credit, and no update is carried forward from them`)!
      : [];
    return { ...summarize(judged, input.rubric.q2.carriedForwardCredit, extra), expected: ref, actual: given, evidence: table(judged, given, ref) };
  },
});

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
    const tol = input.rubric.q2.tolerances.update;
    const ref = referenceQ2(inst);
    const pairGradients = input.answers.q2?.gradients;
    const gradientParams = Q2_PARAMS.filter((p) => pairGradients?.[p] !== undefined);
    // The pair's own gradients carry forward only when they are an attempt (see the file's comment).
    const gradientsWhy = pairGradients && degeneracy(gradientParams.map((p) => pairGradients[p]!), input.rubric.q2.tolerances.gradients,
      [['the initial weights', gradientParams.map((p) => w0[p])]]);
    const ownGradients = gradientsWhy ? undefined : pairGradients;
    // The tolerance is relative to the step α·g, not to the weight: the step is what was computed.
    const close = (value: number, start: number, g: number) =>
      Math.abs(value - (start - alpha * g)) <= Math.max(tol.abs, tol.rel * Math.abs(alpha * g));
    const params = Q2_PARAMS.filter((p) => p.startsWith('w') || given[p] !== undefined);
    const present = params.filter((p) => given[p] !== undefined);
    // "Updated" values that are not an attempt: all 0, one value, the pair's or the reference's gradients copied.
    const why = degeneracy(present.map((p) => given[p]!), input.rubric.q2.tolerances.gradients, [
      ...(pairGradients && present.every((p) => pairGradients[p] !== undefined) ? [['your gradients', present.map((p) => pairGradients[p]!)] as [string, number[]]] : []),
      ['the gradients', present.map((p) => ref.gradients[p])],
    ]);
    const judged: ParamJudgement[] = params.map((param) => {
      const value = given[param];
      if (value === undefined) return { param, verdict: 'missing', note: MISSING };
      const g = ref.gradients[param];
      // Right when it is the reference step; an unchanged weight is right only if that step is below the tolerance.
      if (close(value, w0[param], g)) return { param, verdict: 'right' };
      // Both conventions for the shared biases are accepted (hw2.md, Q2): updated or fixed.
      if (param.startsWith('b') && close(value, w0[param], 0)) return { param, verdict: 'right' };
      // A zero step is not an update, whatever gradient the pair wrote.
      if (close(value, w0[param], 0)) return { param, verdict: 'wrong', note: { code: 'q2.not-updated', text: 'not updated' } };
      const own = ownGradients?.[param];
      if (!why && own !== undefined && close(value, w0[param], own)) return { param, verdict: 'carried' };
      let note: Slip | undefined;
      if (close(value, w0[param], -g)) note = { code: 'q2.step-along-gradient', text: 'moved along the gradient (w + α·g) instead of against it' };
      else if (Math.abs(value - (w0[param] - g)) <= Math.max(tol.abs, tol.rel * Math.abs(g))) note = { code: 'q2.no-learning-rate', text: 'learning rate not applied' };
      return { param, verdict: 'wrong', note };
    });
    const extra: Diagnosis[] = [
      ...(why ? diagnosed('q2.degenerate-update', `The updated values are not an attempt (${why})`)! : []),
      ...(gradientsWhy && judged.some((j) => j.verdict === 'wrong')
        ? diagnosed('q2.degenerate-gradients', `Your gradients are not an attempt (${gradientsWhy}): no update is carried forward from them`)!
        : []),
    ];
    return {
      ...summarize(judged, input.rubric.q2.carriedForwardCredit, extra),
      expected: { biasesUpdated: ref.updated, biasesFixed: ref.updatedBiasesFixed },
      actual: given,
      evidence: table(judged, given, ref.updated, 'reference (biases updated)'),
    };
  },
});

export const q2Checks = [forward, gradients, update] as const;
