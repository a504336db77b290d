import { describe, expect, it } from 'vitest';
import { parseSigma } from '../../checks/q4.ts';
import { correctAnswers, runCheck } from '../helpers.ts';

describe('Q4 checks', () => {
  it.each(['sqrt(2/d)', 'sqrt(2)/sqrt(d)', '(2/d)^0.5', 'sqrt(2/d_{l-1})', '√(2/fan_in)', '1/sqrt(d/2)', 'sqrt(2/N)'])(
    'accept the equivalent form %s',
    (sigma) => {
      const a = correctAnswers();
      a.q4!.sigma = sigma;
      expect(runCheck('q4.sigma', a).fraction).toBe(1);
    },
  );

  it.each([
    ['sqrt(1/d)', /E\[φ²\] = 1/],
    ['2/d', /variance/],
    ['sqrt(1/(2*d))', /Inverted/],
  ])('name the mistake in %s', (sigma, diagnosis) => {
    const a = correctAnswers();
    a.q4!.sigma = sigma;
    const out = runCheck('q4.sigma', a);
    expect(out.fraction).toBe(0);
    expect(out.diagnosis).toMatch(diagnosis);
  });

  it('explain why a number, a foreign symbol or junk cannot be graded', () => {
    expect(parseSigma(0.0625)).toMatchObject({ error: expect.stringMatching(/expected an expression in d/) });
    expect(parseSigma('sqrt(2/k)')).toMatchObject({ error: expect.stringMatching(/uses k/) });
    expect(parseSigma('sqrt(2/')).toMatchObject({ error: expect.stringMatching(/does not parse/) });
  });
});

/**
 * Issue 15, class 3: σ's constants at their written precision (floor 4 significant digits), the
 * expectation at its written digits. sqrt(2) = 1.41421356…, 1/sqrt(2) = 0.70710678… by hand.
 */
describe('Q4 at the written precision (issue 15, class 3)', () => {
  // sqrt(2.001/d): 2.001 is 2 give or take one unit at 4 digits, as a number written so would be.
  it.each(['1.4142/sqrt(d)', '1.414/sqrt(d)', '1.41421356/sqrt(d)', '0.7071*sqrt(4/d)', 'sqrt(2.000/d)', 'sqrt(2.001/d)'])('accept the rounded constant in %s', (sigma) => {
    const a = correctAnswers();
    a.q4!.sigma = sigma;
    const out = runCheck('q4.sigma', a);
    expect(out.fraction).toBe(1);
    expect(out.message).toMatch(/judged at \d+ significant digits|compared exactly/);
  });

  it.each([
    // 1.41 is 0.29% below sqrt(2): at the floor of 4 digits (1.410) that is 4 units of 1e-3.
    ['1.41/sqrt(d)', 4],
    // 1.4139 is 5 digits: 1.41421 − 1.4139 is 3.1 units of 1e-4 (1.5 allowed: its rounding and one unit).
    ['1.4139/sqrt(d)', 5],
    ['1.4/sqrt(d)', 4],
    // Under the root a constant's error halves in σ: 2.002 is 2 units of 1e-3 off 2 (1.5
    // allowed), so σ is 0.05% off, inside the 0.075% a share of 2.002 would allow (found by review).
    ['sqrt(2.002/d)', 4],
  ])('refuse %s at the precision of its constant', (sigma, digits) => {
    const a = correctAnswers();
    a.q4!.sigma = sigma;
    const out = runCheck('q4.sigma', a);
    expect(out.fraction).toBe(0);
    expect(out.message).toMatch(new RegExp(`judged at ${digits} significant digits`));
  });

  it('judge the expectation at the digits written', () => {
    const a = correctAnswers();
    for (const [value, fraction] of [[0.5, 1], [0.5001, 1], [0.4999, 1], [0.5002, 0], [0.49, 0]] as const) {
      a.q4!.expectation = value;
      const out = runCheck('q4.expectation', a);
      expect(out.fraction, String(value)).toBe(fraction);
      expect(out.message).toMatch(/judged at 4 significant digits/);
    }
  });
});
