import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { complement, f, permuteHidden, projectComplement, projectReversal, randomParams, randomSeq, rescaleUnit, reverse, scale } from '../../reference/q5.ts';
import { makeRng } from '../../src/util/random.ts';

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
