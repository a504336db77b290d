/**
 * Q2 checks: forward pass, gradients, SGD step. Each later step is also judged against the
 * pair's own earlier values (error carried forward), so one slip costs its own points once.
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

function instanceOf(input: CheckInput): Q2Instance {
  return input.rubric.q2.instance;
}

/** The pair's forward values when it gave all of them; needed to carry an error forward. */
function pairForward(input: CheckInput): Q2Forward | undefined {
  const f = input.answers.q2?.forward;
  if (!f || FORWARD_KEYS.some((k) => f[k] === undefined)) return undefined;
  return f as Q2Forward;
}

/** The pair's own loss convention, read off its E and outputs: 1 for ½Σ, 2 for Σ. */
function pairLossFactor(input: CheckInput, tol: Tolerance): number {
  const f = pairForward(input);
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
    const wrong = FORWARD_KEYS.filter((k) => given[k] !== undefined && !within(given[k]!, ref[k], tol));
    const expected = { ...ref };
    const actual = { ...given };
    const evidence: Evidence = {
      type: 'table',
      columns: ['', 'yours', 'reference'],
      rows: [...FORWARD_KEYS, 'E' as const].map((k) => ({
        cells: [k, given[k] ?? null, ref[k]],
        verdicts: [null, given[k] === undefined ? 'missing' : within(given[k]!, ref[k], tol) ? 'right' : 'wrong', null],
      })),
    };
    if (within(given.E, ref.E, tol)) {
      const note = wrong.length ? ` (but ${wrong.join(', ')} differ from the reference; a typo?)` : '';
      return { kind: 'graded', fraction: 1, message: `E = ${show(given.E)} is correct${note}.`, expected, actual, evidence };
    }
    const variants: [string, string, Q2Forward][] = [
      ['q2.sse-without-half', 'MSE without the ½: E must be ½·Σ(t−o)², which for two outputs is the mean; Σ(t−o)² is twice that',
        forwardPass({ ...inst, loss: 'sse' }, inst.weights)],
      ['q2.no-biases', 'Biases left out of the forward pass (b1 feeds h1 and h2, b2 feeds o1 and o2)',
        forwardPass(inst, inst.weights, { noHiddenBias: true, noOutputBias: true })],
      ['q2.no-hidden-bias', 'The hidden layer\'s bias b1 left out of the forward pass', forwardPass(inst, inst.weights, { noHiddenBias: true })],
      ['q2.no-output-bias', 'The output layer\'s bias b2 left out of the forward pass', forwardPass(inst, inst.weights, { noOutputBias: true })],
      ['q2.linear-output', 'No sigmoid on the output layer', forwardPass(inst, inst.weights, { linearOutput: true })],
    ];
    const variant = variants.find(([, , v]) => within(given.E, v.E, tol));
    const diagnoses = variant ? diagnosed(variant[0], variant[1]) : undefined;
    const own = pairForward(input);
    if (own) {
      const [t1, t2] = inst.t as [number, number];
      const halfSse = ((t1 - own.o1) ** 2 + (t2 - own.o2) ** 2) / 2;
      if (within(given.E, halfSse, tol) && wrong.length) {
        return {
          kind: 'graded',
          fraction: 0.5,
          message: `E = ${show(given.E)} follows from your outputs, but ${wrong.join(', ')} ${wrong.length > 1 ? 'are' : 'is'} wrong; expected E = ${show(ref.E)}.`,
          diagnoses, expected, actual, evidence,
        };
      }
    }
    return { kind: 'graded', fraction: 0, message: `E = ${show(given.E)}; expected ${show(ref.E)}.`, diagnoses, expected, actual, evidence };
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

function summarize(judged: ParamJudgement[], credit: number): { kind: 'graded'; fraction: number; message: string; diagnoses?: Diagnosis[] } {
  const right = judged.filter((j) => j.verdict === 'right').length;
  const carried = judged.filter((j) => j.verdict === 'carried').length;
  const wrong = judged.filter((j) => j.verdict === 'wrong' || j.verdict === 'missing');
  const fraction = (right + credit * carried) / judged.length;
  const parts = [`${right} of ${judged.length} correct`];
  if (carried) parts.push(`${carried} follow correctly from your own earlier values (error carried forward)`);
  if (wrong.length) parts.push(`wrong: ${wrong.map((j) => (j.note ? `${j.param} (${j.note.text})` : j.param)).join(', ')}`);
  const notes = new Map<string, { slip: Slip; params: Q2Param[] }>();
  for (const j of wrong) if (j.note && j.note !== MISSING) notes.set(j.note.code, { slip: j.note, params: [...(notes.get(j.note.code)?.params ?? []), j.param] });
  const diagnoses = [...notes.values()].map(({ slip, params }) => ({ code: slip.code, text: `${slip.text[0]!.toUpperCase()}${slip.text.slice(1)} in ${params.join(', ')}` }));
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
    const own = pairForward(input);
    const carried = own ? backpropFromForward(inst, inst.weights, own, pairLossFactor(input, input.rubric.q2.tolerances.forward)) : undefined;
    // Biases are judged only when given: a pair that keeps the shared biases fixed needs none.
    const judged: ParamJudgement[] = Q2_PARAMS.filter((p) => p.startsWith('w') || given[p] !== undefined).map((param) => {
      const value = given[param];
      if (value === undefined) return { param, verdict: 'missing', note: MISSING };
      if (within(value, ref[param], tol)) return { param, verdict: 'right' };
      if (carried && within(value, carried[param], tol)) return { param, verdict: 'carried' };
      return { param, verdict: 'wrong', note: explainGradient(value, ref[param], tol) };
    });
    return { ...summarize(judged, input.rubric.q2.carriedForwardCredit), expected: ref, actual: given, evidence: table(judged, given, ref) };
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
    const ownGradients = input.answers.q2?.gradients;
    // The tolerance is relative to the step α·g, not to the weight: the step is what was computed.
    const close = (value: number, start: number, g: number) =>
      Math.abs(value - (start - alpha * g)) <= Math.max(tol.abs, tol.rel * Math.abs(alpha * g));
    const judged: ParamJudgement[] = Q2_PARAMS.filter((p) => p.startsWith('w') || given[p] !== undefined).map((param) => {
      const value = given[param];
      if (value === undefined) return { param, verdict: 'missing', note: MISSING };
      const g = ref.gradients[param];
      if (close(value, w0[param], g)) return { param, verdict: 'right' };
      // Both conventions for the shared biases are accepted (hw2.md, Q2): updated or fixed.
      if (param.startsWith('b') && close(value, w0[param], 0)) return { param, verdict: 'right' };
      const own = ownGradients?.[param];
      if (own !== undefined && close(value, w0[param], own)) return { param, verdict: 'carried' };
      let note: Slip | undefined;
      if (close(value, w0[param], -g)) note = { code: 'q2.step-along-gradient', text: 'moved along the gradient (w + α·g) instead of against it' };
      else if (close(value, w0[param], 0)) note = { code: 'q2.not-updated', text: 'not updated' };
      else if (Math.abs(value - (w0[param] - g)) <= Math.max(tol.abs, tol.rel * Math.abs(g))) note = { code: 'q2.no-learning-rate', text: 'learning rate not applied' };
      return { param, verdict: 'wrong', note };
    });
    return {
      ...summarize(judged, input.rubric.q2.carriedForwardCredit),
      expected: { biasesUpdated: ref.updated, biasesFixed: ref.updatedBiasesFixed },
      actual: given,
      evidence: table(judged, given, ref.updated, 'reference (biases updated)'),
    };
  },
});

export const q2Checks = [forward, gradients, update] as const;
