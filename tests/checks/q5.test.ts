import { describe, expect, it } from 'vitest';
import { REGISTRY } from '../../checks/index.ts';
import type { Q5Params } from '../../reference/q5.ts';
import { NO_SOLUTION } from '../../src/registry/solution-data.ts';
import { correctAnswers, fullInput, judged, RUBRIC, runCheck } from '../helpers.ts';

describe('Q5 checks', () => {
  it('pass parameters that satisfy the constraints and fail random ones with the seed', () => {
    const a = correctAnswers();
    expect(runCheck('q5.reversal', a).fraction).toBe(1);
    expect(runCheck('q5.complement', a).fraction).toBe(1);
    a.q5!.reversal!.W1[0]![0]![0]![0] = 5;
    const out = runCheck('q5.reversal', a, RUBRIC, 99);
    expect(out.fraction).toBe(0);
    expect(out.seed).toBe(99);
    expect(out.message).toMatch(/seed 99/);
  });

  it('reject constraints that silence the network', () => {
    const a = correctAnswers();
    a.q5!.reversal!.W2 = a.q5!.reversal!.W2.map((row) => row.map(() => 0));
    expect(runCheck('q5.reversal', a)).toMatchObject({ fraction: 0, diagnosis: expect.stringMatching(/Degenerate/) });
  });

  it('name the array and index of a wrong shape', () => {
    const a = correctAnswers();
    a.q5!.complement!.W1[2]![1]!.pop();
    expect(runCheck('q5.complement', a).message).toBe('hw2.json answers.q5.complement.W1[2][1] has 3 entries, expected 4 (bases)');
  });

  it('charge a wrong invariance as much as it gives for a right one', () => {
    const a = correctAnswers();
    a.q5!.invariances = ['hidden-permutation', 'sign-flip'];
    expect(runCheck('q5.invariances', a).fraction).toBe(0);
    a.q5!.invariances = ['hidden-permutation'];
    expect(runCheck('q5.invariances', a).fraction).toBe(0.5);
  });
});

/**
 * Q5's projections are judged by their effect on random parameters. A map that returns the
 * same parameters whatever it is given (all ones: f then depends on sum(X) alone, invariant to
 * every transform) obeys any invariance and answers nothing; it scored full marks until an
 * independent attacker found it. A real projection (the mirror average of
 * solutions/typescript-pair, written out here) still passes.
 */
const d = 4;
const ones = (): Q5Params => ({ W1: Array.from({ length: 4 }, () => Array.from({ length: d }, () => Array.from({ length: 4 }, () => Array.from({ length: d }, () => 1)))), W2: Array.from({ length: 4 }, () => Array.from({ length: d }, () => 1)) });
/** W1[r,k,j,i] averaged with W1[r,k,j,d−1−i]: parameters that obey the scan-direction constraint. */
const mirror = (p: Q5Params): Q5Params => ({ W1: p.W1.map((u) => u.map((f) => f.map((row) => row.map((w, i) => (w + row[row.length - 1 - i]!) / 2)))), W2: p.W2 });

function judge(project: (p: Q5Params) => Q5Params) {
  const check = REGISTRY.find((c) => c.id === 'q5.reversal')!;
  const probes = check.probes!(RUBRIC, 211);
  const solution = { ...NO_SOLUTION, file: 'solution.mjs', exports: [{ name: 'projectReversal', kind: 'function' }], results: Object.fromEntries(probes.map((p) => [p.key, { ok: true as const, value: project(p.args[0] as Q5Params), ms: 0 }])) };
  return judged(check.run({ ...fullInput({}), solution }));
}

describe('a Q5 projection', () => {
  it('that ignores its input scores 0, named', () => {
    const outcome = judge(ones);
    expect(outcome.fraction).toBe(0);
    expect(outcome.diagnosis).toBe('The projection ignores its input (a constant obeys every invariance)');
  });

  it('that turns its input into constrained parameters passes', () => {
    expect(judge(mirror).fraction).toBe(1);
  });
});

/**
 * Issue 15, class 6: parameters that tie more weights together than the invariance needs
 * (every weight of a unit equal, say) pass the invariance test but throw away what the network
 * can express. They earn rubric.q5.overConstrainedCredit (0.5 by default), diagnosed.
 */
describe('over-constrained Q5 parameters', () => {
  /** Each unit's W1 replaced by one value (its first weight): reversal-invariant, but 1 free value per unit, not 4·ceil(d/2). */
  const flatUnits = (p: Q5Params): Q5Params => ({ W1: p.W1.map((u) => u.map((f) => f.map((row) => row.map(() => f[0]![0]!)))), W2: p.W2 });

  it('a reversal answer with every weight of each unit equal gets partial credit, named', () => {
    const a = correctAnswers();
    a.q5!.reversal = flatUnits(a.q5!.reversal!);
    const out = runCheck('q5.reversal', a, RUBRIC, 7);
    expect(out.fraction).toBe(0.5);
    expect(out.codes).toEqual(['q5.over-constrained']);
    expect(out.diagnosis).toMatch(/every weight of a unit equal/);
    expect(out.message).toMatch(/1 independent value per unit where the constraint leaves 8/);
    expect(out.seed).toBe(7);
    const total = REGISTRY.find((c) => c.id === 'q5.reversal')!.points;
    expect(out.fraction * total).toBe(1);
  });

  it('a complement answer also equal across positions is over-constrained; the rubric sets the credit', () => {
    const a = correctAnswers();
    const p = a.q5!.complement!;
    a.q5!.complement = { W1: p.W1.map((u) => u.map((f) => f.map((row) => row.map(() => row[0]!)))), W2: p.W2 };
    const out = runCheck('q5.complement', a, { ...RUBRIC, q5: { ...RUBRIC.q5, overConstrainedCredit: 0.25 } });
    expect(out.fraction).toBe(0.25);
    expect(out.diagnosis).toMatch(/positions/);
    expect(out.diagnosis).not.toMatch(/bases/);
  });

  it('a reversal answer whose rows are also equal across bases is named so', () => {
    const a = correctAnswers();
    const p = a.q5!.reversal!;
    a.q5!.reversal = { W1: p.W1.map((u) => u.map((f) => f.map(() => [...f[0]!]))), W2: p.W2 };
    const out = runCheck('q5.reversal', a);
    expect(out.fraction).toBe(0.5);
    expect(out.diagnosis).toMatch(/bases C, T, G, A/);
  });

  it('parameters that are one value repeated are a non-answer, not an over-constrained one', () => {
    // Every weight 0.7 obeys both invariances, and f is not zero: it earned 0.5 as over-constrained.
    const a = correctAnswers();
    const c = (v: unknown): unknown => (Array.isArray(v) ? v.map(c) : 0.7);
    a.q5!.reversal = { W1: c(a.q5!.reversal!.W1) as Q5Params['W1'], W2: c(a.q5!.reversal!.W2) as Q5Params['W2'] };
    const out = runCheck('q5.reversal', a);
    expect(out.fraction).toBe(0);
    expect(out.codes).toEqual(['q5.one-value']);
    expect(out.message).toMatch(/every weight is 0\.7: one value repeated is not an answer/);
  });

  it('the correct answers keep full marks', () => {
    const a = correctAnswers();
    expect(runCheck('q5.reversal', a)).toMatchObject({ fraction: 1, codes: [] });
    expect(runCheck('q5.complement', a)).toMatchObject({ fraction: 1, codes: [] });
  });

  it('a projection that flattens each unit is over-constrained; the mirror average is not', () => {
    const out = judge(flatUnits);
    expect(out.fraction).toBe(0.5);
    expect(out.codes).toEqual(['q5.over-constrained']);
    expect(judge(mirror)).toMatchObject({ fraction: 1, codes: [] });
  });
});
