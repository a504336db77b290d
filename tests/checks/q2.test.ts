import { describe, expect, it } from 'vitest';
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
