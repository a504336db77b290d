import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { closedFormRisk, monteCarloRisk } from '../../reference/q1.ts';
import { simulateDoubleDescent } from '../../reference/q3.ts';
import { optimalSigma, reluSecondMomentMonteCarlo, reluSecondMomentQuadrature } from '../../reference/q4.ts';
import { complement, f, permuteHidden, projectComplement, projectReversal, randomParams, randomSeq, rescaleUnit, reverse, scale } from '../../reference/q5.ts';
import { makeRng } from '../../src/util/random.ts';

describe('Q1', () => {
  it('Monte Carlo risk agrees with ‖w − w_t‖² within 5 standard errors (false failure < 1e-6)', () => {
    const w = [1, -2, 0.5, 3];
    const wt = [0.5, 1, -1, 2];
    const mc = monteCarloRisk(w, wt, 200_000, 211);
    expect(Math.abs(mc.mean - closedFormRisk(w, wt))).toBeLessThan(5 * mc.stdError);
    expect(closedFormRisk(w, wt)).toBeCloseTo(0.25 + 9 + 2.25 + 1, 12); // by hand
  });
});

describe('Q3 double-descent simulation', () => {
  it('peaks at the interpolation threshold p = n', () => {
    const sim = simulateDoubleDescent();
    expect(sim.peakFeatures).toBeGreaterThanOrEqual(0.8 * sim.options.samples);
    expect(sim.peakFeatures).toBeLessThanOrEqual(1.2 * sim.options.samples);
    // and the far over-parameterized end is better than the peak by a wide margin
    const peak = Math.max(...sim.curve.map((c) => c.testMse));
    expect(sim.curve.at(-1)!.testMse).toBeLessThan(peak / 10);
  });
});

describe('Q4', () => {
  it('E[ReLU(z)²] = ½ by quadrature and by Monte Carlo', () => {
    expect(reluSecondMomentQuadrature()).toBeCloseTo(0.5, 9);
    const mc = reluSecondMomentMonteCarlo(400_000, 211);
    expect(Math.abs(mc.mean - 0.5)).toBeLessThan(5 * mc.stdError);
    expect(optimalSigma(512)).toBeCloseTo(Math.sqrt(2 / 512), 15);
  });
});

describe('Q5 network and its symmetries', () => {
  const setup = (seed: number, d: number) => {
    const rng = makeRng(seed);
    return { p: randomParams(d, rng.normal), X: randomSeq(d, rng.next), rng };
  };
  const seedAndDim = fc.tuple(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 2, max: 6 }));
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * (Math.abs(a) + Math.abs(b) + 1e-12);

  it('is invariant to permuting hidden units', () => {
    fc.assert(fc.property(seedAndDim, ([seed, d]) => {
      const { p, X } = setup(seed, d);
      const perm = Array.from({ length: 4 * d }, (_, i) => i).reverse();
      expect(close(f(permuteHidden(p, perm), X), f(p, X))).toBe(true);
    }), { seed: 211, numRuns: 50 });
  });

  it('is invariant to positive rescaling of a unit, and not to a negative one', () => {
    fc.assert(fc.property(seedAndDim, fc.double({ min: 0.01, max: 100, noNaN: true }), ([seed, d], a) => {
      const { p, X } = setup(seed, d);
      expect(close(f(rescaleUnit(p, 1, d - 1, a), X), f(p, X))).toBe(true);
    }), { seed: 211, numRuns: 50 });
    const { p, X } = setup(7, 4);
    expect(close(f(rescaleUnit(p, 1, 1, -1), X), f(p, X))).toBe(false);
  });

  it('is positively homogeneous: sign f(cX) = sign f(X) for c > 0', () => {
    fc.assert(fc.property(seedAndDim, fc.double({ min: 1e-3, max: 1e3, noNaN: true }), ([seed, d], c) => {
      const { p, X } = setup(seed, d);
      expect(close(f(p, scale(X, c)), c * f(p, X))).toBe(true);
    }), { seed: 211, numRuns: 50 });
  });

  it('is made invariant to reversal and complement by the projections, and is not without them', () => {
    fc.assert(fc.property(seedAndDim, ([seed, d]) => {
      const { p, X } = setup(seed, d);
      expect(close(f(projectReversal(p), reverse(X)), f(projectReversal(p), X))).toBe(true);
      expect(close(f(projectComplement(p), complement(X)), f(projectComplement(p), X))).toBe(true);
      expect(close(f(p, reverse(X)), f(p, X))).toBe(false);
      expect(close(f(p, complement(X)), f(p, X))).toBe(false);
    }), { seed: 211, numRuns: 50 });
  });
});
