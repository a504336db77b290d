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
  // Constants none of which is within tolerance of a reference h, o, E, gradient or updated weight
  // (h ≈ 0.99, o ≈ 0.89/0.80, E ≈ 0.593, g ∈ [4e-4, 0.12], w' = w − α·g with α·g ≥ 4e-6 > 2e-6).
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
    // Copying the initial biases too: keeping b1, b2 fixed is an accepted convention, so 2 of 12.
    a.q2!.updated = { ...W0, b1: 0.5, b2: 0.5 };
    expect(runCheck('q2.update', a).fraction).toBeCloseTo(2 / 12, 12);
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
    // The tolerance is max(5e-4, 1e-3·|x|) ≤ 1e-3 here; a shift of at least 0.01 is always beyond it.
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
