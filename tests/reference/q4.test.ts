import { describe, expect, it } from 'vitest';
import { optimalSigma, reluSecondMomentMonteCarlo, reluSecondMomentQuadrature } from '../../reference/q4.ts';

describe('Q4', () => {
  it('E[ReLU(z)²] = ½ by quadrature and by Monte Carlo', () => {
    expect(reluSecondMomentQuadrature()).toBeCloseTo(0.5, 9);
    const mc = reluSecondMomentMonteCarlo(400_000, 211);
    expect(Math.abs(mc.mean - 0.5)).toBeLessThan(5 * mc.stdError);
    expect(optimalSigma(512)).toBeCloseTo(Math.sqrt(2 / 512), 15);
  });
});
