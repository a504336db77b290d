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
