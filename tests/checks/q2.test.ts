import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { correctAnswers, RUBRIC, runCheck } from '../helpers.ts';

describe('Q2 checks', () => {
  it('give full marks to the correct answers, rounded to 6 significant digits', () => {
    for (const id of ['q2.forward', 'q2.gradients', 'q2.update']) expect(runCheck(id, correctAnswers()).fraction).toBe(1);
  });

  it('accept biases updated or kept fixed', () => {
    const a = correctAnswers();
    // Hand: ∂E/∂b2 = δo1 + δo2 = 0.077569 + 0.119889 = 0.197457; b2' = 0.5 − 0.01·0.197457.
    a.q2!.updated = { ...a.q2!.updated, b1: 0.5, b2: 0.5 - 0.01 * 0.197457 };
    expect(runCheck('q2.update', a).fraction).toBe(1);
    a.q2!.updated!.b2 = 0.6;
    const out = runCheck('q2.update', a);
    expect(out.fraction).toBeCloseTo(11 / 12, 10);
    expect(out.message).toMatch(/wrong: b2/);
  });

  it('name a sign error and charge only that weight', () => {
    const a = correctAnswers();
    a.q2!.gradients!.w5 = -a.q2!.gradients!.w5!;
    const out = runCheck('q2.gradients', a);
    expect(out.fraction).toBeCloseTo(0.9, 10);
    expect(out.diagnosis).toBe('Sign error in w5');
  });

  it('carry a wrong forward pass forward: gradients from the pair\'s own h and o get credit', () => {
    const a = correctAnswers();
    // The pair's o1 is off by 0.01; gradients recomputed by hand from that o1 with the chain rule.
    const f = { ...a.q2!.forward!, o1: a.q2!.forward!.o1! + 0.01 };
    const d1 = (f.o1 - 0.1) * f.o1 * (1 - f.o1);
    const d2 = (f.o2! - 0.05) * f.o2! * (1 - f.o2!);
    const e1 = (d1 * 0.7 + d2 * 0.8) * f.h1! * (1 - f.h1!);
    const e2 = (d1 * 0.9 + d2 * 0.1) * f.h2! * (1 - f.h2!);
    a.q2!.forward = f;
    a.q2!.gradients = { w1: e1, w3: 4 * e1, w5: 5 * e1, w2: e2, w4: 4 * e2, w6: 5 * e2, w7: d1 * f.h1!, w9: d1 * f.h2!, w8: d2 * f.h1!, w10: d2 * f.h2! };
    const out = runCheck('q2.gradients', a);
    expect(out.fraction).toBe(1);
    expect(out.message).toMatch(/error carried forward/);
    // With carried-forward credit set to 0 in the rubric, the same answers earn only what is right outright.
    const strict = structuredClone(RUBRIC);
    strict.q2.carriedForwardCredit = 0;
    expect(runCheck('q2.gradients', a, strict).fraction).toBeLessThan(1);
  });

  it('diagnose a step along the gradient and a missing learning rate', () => {
    const a = correctAnswers();
    a.q2!.updated!.w7 = 0.7 + 0.01 * 0.0765351;
    a.q2!.updated!.w8 = 0.8 - 0.118279;
    const out = runCheck('q2.update', a);
    expect(out.message).toMatch(/w7 \(moved along the gradient/);
    expect(out.message).toMatch(/w8 \(learning rate not applied\)/);
    expect(out.fraction).toBeCloseTo(0.8, 10);
  });

  it('score a missing part as not submitted', () => {
    const a = correctAnswers();
    delete a.q2!.gradients;
    const out = runCheck('q2.gradients', a);
    expect(out).toMatchObject({ fraction: 0, notSubmitted: true });
    expect(out.message).toMatch(/answers\.q2\.gradients/);
  });
});

/**
 * Issue 15, class 1: no points for non-answers, and each forward quantity judged on its own.
 * Expected numbers are from the rules (checks/q2.ts, README "Q2 error carried forward"), by hand:
 * q2.forward: h1, h2, o1, o2, E are 1/5 each; q2.gradients and q2.update: 1 of N per parameter.
 */
describe('Q2 properties (issue 15: non-answers earn nothing; one forward value costs its share)', () => {
  const REF_E = 0.593245; // solutions/correct: ½·((0.1 − 0.889551)² + (0.05 − 0.8004)²)
  const W0 = { w1: 0.1, w2: 0.2, w3: 0.3, w4: 0.4, w5: 0.5, w6: 0.6, w7: 0.7, w8: 0.8, w9: 0.9, w10: 0.1 };
  const WEIGHTS = Object.keys(W0) as (keyof typeof W0)[];
  const each = (c: number) => Object.fromEntries(WEIGHTS.map((k) => [k, c])) as Record<keyof typeof W0, number>;
  // Constants none of which is a reference h, o, E, gradient or updated weight at 4 or more digits
  // (h ≈ 0.99, o ≈ 0.89/0.80, E ≈ 0.593, g ∈ [4e-4, 0.12]; w' = w − α·g is judged with its gradient
  // where the step is below the precision, and these gradients are not an attempt).
  const constant = fc.constantFrom(0, 0.5, 1, -1, 0.1, 2, 1e308, -1e308);
  // Forward values that are not an attempt: zeros, sigmoid(0) = 0.5 everywhere, one constant, outputs
  // copied from the targets (t = [0.1, 0.05]) and hidden units from x1 = 1.
  const forwardNonAnswer = fc.oneof(
    constant.map((c) => ({ h1: c, h2: c, o1: c, o2: c })),
    fc.constant({ h1: 1, h2: 1, o1: 0.1, o2: 0.05 }),
    fc.constant({ h1: 0.5, h2: 0.5, o1: 0.1, o2: 0.05 }),
  );
  const gradientNonAnswer = fc.oneof(constant.map(each), fc.constant({ ...W0 }));
  const nonAnswer = fc.record({
    forward: forwardNonAnswer,
    // E: right, wrong, or what the degenerate outputs give (½Σ(t−o)², never carried from them).
    E: fc.constantFrom<'right' | 'own' | 'zero'>('right', 'own', 'zero'),
    gradients: gradientNonAnswer,
    updated: fc.oneof(
      constant.map(each),
      fc.constant({ ...W0 }),
      fc.constant('copy-gradients' as const),
    ),
  });

  it('(a) a non-answer earns 0, or only E\'s 1/5 when E alone is right', () => {
    fc.assert(fc.property(nonAnswer, (n) => {
      const a = correctAnswers();
      const f = n.forward;
      const own = ((0.1 - f.o1) ** 2 + (0.05 - f.o2) ** 2) / 2;
      const E = n.E === 'right' ? REF_E : n.E === 'own' ? own : 0;
      a.q2 = {
        forward: { ...f, E },
        gradients: { ...n.gradients },
        updated: n.updated === 'copy-gradients' ? { ...n.gradients } : { ...n.updated },
      };
      // E right: 4 points · 1/5 = 0.8 points; otherwise nothing (E from degenerate outputs is not carried).
      expect(runCheck('q2.forward', a).fraction).toBeCloseTo(E === REF_E ? 1 / 5 : 0, 12);
      expect(runCheck('q2.gradients', a).fraction).toBe(0);
      expect(runCheck('q2.update', a).fraction).toBe(0);
    }), { seed: 211, numRuns: 200 });
  });

  it('(a) the issue\'s two cases: zero gradients with w copied as "updated"; only E right with h, o = 0.5', () => {
    const a = correctAnswers();
    a.q2!.gradients = each(0);
    a.q2!.updated = { ...W0 };
    const update = runCheck('q2.update', a);
    expect(update.fraction).toBe(0);
    expect(update.codes).toContain('q2.not-updated');
    expect(runCheck('q2.gradients', a).codes).toContain('q2.degenerate-gradients');
    // Copying the initial biases too: keeping b1, b2 fixed is an accepted convention in an
    // attempt, but a copy of every initial value is none, so nothing (issue 15, class 1).
    a.q2!.updated = { ...W0, b1: 0.5, b2: 0.5 };
    expect(runCheck('q2.update', a).fraction).toBe(0);
    expect(runCheck('q2.update', a).codes).toContain('q2.degenerate-update');
    // With the right gradients beside it too: at 4 digits w2–w6 cannot show their step, yet a copy earns nothing.
    const c = correctAnswers();
    c.q2!.updated = { ...W0, b1: 0.5, b2: 0.5 };
    expect(runCheck('q2.update', c).fraction).toBe(0);
    const b = correctAnswers();
    b.q2!.forward = { h1: 0.5, h2: 0.5, o1: 0.5, o2: 0.5, E: REF_E };
    const forward = runCheck('q2.forward', b);
    expect(forward.fraction).toBeCloseTo(1 / 5, 12); // 0.8 of 4 points, not 4
    expect(forward.codes).toContain('q2.degenerate-forward');
  });

  it('(b) the correct answers score full marks, with biases absent, updated or kept fixed', () => {
    // Hand: ∂E/∂b1 = δh1 + δh2 = 0.00198391 + 0.000404289 = 0.00238820; ∂E/∂b2 = 0.197457 (above).
    const biases = fc.constantFrom(undefined, { b1: 0.5 - 0.01 * 0.0023882, b2: 0.5 - 0.01 * 0.197457 }, { b1: 0.5, b2: 0.5 });
    fc.assert(fc.property(biases, (b) => {
      const a = correctAnswers();
      if (b) {
        a.q2!.gradients = { ...a.q2!.gradients, b1: 0.0023882, b2: 0.197457 };
        a.q2!.updated = { ...a.q2!.updated, ...b };
      }
      for (const id of ['q2.forward', 'q2.gradients', 'q2.update']) expect(runCheck(id, a).fraction, id).toBe(1);
    }), { seed: 211 });
  });

  it('(c) one forward value perturbed beyond the tolerance loses exactly its 1/5', () => {
    const key = fc.constantFrom('h1', 'h2', 'o1', 'o2', 'E') as fc.Arbitrary<'h1' | 'h2' | 'o1' | 'o2' | 'E'>;
    // Judged at the digits written (at least 4): one unit of the 4th digit is at most 1e-4 here (values
    // below 1); a shift of at least 0.01 is always beyond it.
    const shift = fc.double({ min: 0.01, max: 0.05, noNaN: true }).chain((d) => fc.constantFrom(d, -d));
    fc.assert(fc.property(key, shift, (k, d) => {
      const a = correctAnswers();
      a.q2!.forward![k] = a.q2!.forward![k]! + d;
      const out = runCheck('q2.forward', a);
      // 4 of 5 right: E is still ½Σ(t−o)² of the right outputs when an h or o is off, and the right
      // h and o stand when E is off. 4 points · 4/5 = 3.2.
      expect(out.fraction).toBeCloseTo(4 / 5, 12);
      expect(out.message).toMatch(new RegExp(`\\b${k}\\b`));
    }), { seed: 211 });
  });
});

/**
 * Issue 15, class 3: every number judged at the precision it was written at (floor: 4 significant
 * digits). The numbers below are the homework's instance computed by hand in Python (float64:
 * forward pass, δo = (o − t)·o·(1 − o), δh = Σ δo·w·h·(1 − h), w' = w − 0.01·g), then rounded with
 * Python's f'{v:.4g}'; none is read from the reference under test.
 */
describe('Q2 at the written precision (issue 15, class 3)', () => {
  const FORWARD_4 = { h1: 0.9866, h2: 0.995, o1: 0.8896, o2: 0.8004, E: 0.5932 };
  const GRADIENTS_4 = {
    w1: 0.001984, w2: 0.0004043, w3: 0.007936, w4: 0.001617, w5: 0.00992,
    w6: 0.002021, w7: 0.07654, w8: 0.1183, w9: 0.07719, w10: 0.1193,
  };
  // w2, w4, w6 round back to their initial values: the step α·g (4e-6 to 2e-5) is below 4 digits.
  const UPDATED_4 = {
    w1: 0.09998, w2: 0.2, w3: 0.2999, w4: 0.4, w5: 0.4999, w6: 0.6, w7: 0.6992, w8: 0.7988, w9: 0.8992, w10: 0.09881,
  };
  // δh through w7' = 0.699235, w8' = 0.798817, w9' = 0.899228, w10' = 0.0988071 (updated before backpropagating).
  const HIDDEN_WITH_UPDATED = { w1: 0.00198125, w2: 0.000403287, w3: 0.00792502, w4: 0.00161315, w5: 0.00990627, w6: 0.00201643 };

  const rounded = () => {
    const a = correctAnswers();
    a.q2 = { ...a.q2, forward: { ...FORWARD_4 }, gradients: { ...GRADIENTS_4 }, updated: { ...UPDATED_4 } };
    return a;
  };

  it('give full marks to every value written at 4 significant digits, and say so', () => {
    for (const id of ['q2.forward', 'q2.gradients', 'q2.update']) {
      const out = runCheck(id, rounded());
      expect(out.fraction, id).toBe(1);
      expect(out.message, id).toMatch(/judged at 4 significant digits/);
    }
    // The correct example writes 6 digits.
    expect(runCheck('q2.gradients', correctAnswers()).message).toMatch(/judged at 6 significant digits/);
  });

  it('fail hidden-layer gradients computed with the already-updated output weights, at any precision', () => {
    for (const digits of [4, 6]) {
      const a = rounded();
      for (const [k, v] of Object.entries(HIDDEN_WITH_UPDATED)) a.q2!.gradients![k as 'w1'] = Number(v.toPrecision(digits));
      const out = runCheck('q2.gradients', a);
      // w1–w6 wrong, w7–w10 right: 4 of 10.
      expect(out.fraction, `${digits} digits`).toBeCloseTo(4 / 10, 12);
      expect(out.codes).toEqual(['q2.gradient-updated-weights']);
      expect(out.diagnosis).toMatch(/already updated.*in w1, w2, w3, w4, w5, w6/);
    }
  });

  it('judge a weight whose step is below its precision together with its gradient', () => {
    const a = rounded();
    a.q2!.gradients = { ...GRADIENTS_4, w2: 0, w4: 0, w6: 0 };
    // w2, w4, w6 written as 0.2, 0.4, 0.6 are the reference at 4 digits, but their gradients are wrong.
    // The gradients as a whole are an attempt, so the weights are carried forward from them: still 10 of 10.
    expect(runCheck('q2.update', a).fraction).toBe(1);
    // Gradients that are not an attempt (all 0) carry nothing. Below 4 digits' precision are the steps
    // of w2, w4, w6 (4e-6, 1.6e-5, 2e-5) and of w3, w5 (7.9e-5, 9.9e-5: the initial 0.3 and 0.5 are
    // within one unit, 1e-4, of 0.2999 and 0.4999); w1's 2e-5 is two units of 1e-5. So 5 of 10.
    a.q2!.gradients = Object.fromEntries(Object.keys(GRADIENTS_4).map((k) => [k, 0]));
    const out = runCheck('q2.update', a);
    expect(out.fraction).toBeCloseTo(5 / 10, 12);
    expect(out.codes).toContain('q2.step-below-precision');
    expect(out.message).toMatch(/wrong: w2 \(the step α·g is below the precision written \(4 digits\)/);
  });

  it('keep a zero step wrong where the precision shows the step', () => {
    const a = rounded();
    // w1 = 0.1 is 0.1000 at 4 digits; the reference 0.09998 is 2 units away.
    a.q2!.updated!.w1 = 0.1;
    const out = runCheck('q2.update', a);
    expect(out.fraction).toBeCloseTo(9 / 10, 12);
    expect(out.codes).toEqual(['q2.not-updated']);
  });

  it('judge a value at the rubric\'s floor when it is written with fewer digits', () => {
    const a = rounded();
    // E = 0.59 is 0.5900 at the floor of 4: 32 units from 0.5932.
    a.q2!.forward!.E = 0.59;
    expect(runCheck('q2.forward', a).fraction).toBeCloseTo(4 / 5, 12);
    const coarse = structuredClone(RUBRIC);
    coarse.precision.minSignificantDigits = 2;
    expect(runCheck('q2.forward', a, coarse)).toMatchObject({ fraction: 1 });
  });
});
