/**
 * The grader's own property (issue 15), family "rewrite": a right answer written another way (every rounding to at least the floor of 4 significant digits, number and dimension formats, layer-name case, with or without INPUT, each bias convention, expressions with rounded constants, every .npy dtype and orientation, history formats, reordered keys) scores exactly as `correct` on every check.
 * Over the generators of ./generators.ts, for every check that grades what a pair wrote or
 * measured. The expected scores are `correct`'s own (solutions/correct, written by an
 * independent Python script), graded once. Seeded: fast-check's seed 211, NUM_RUNS draws per check.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { judgeVariant, TARGETS, variantArb } from './generators.ts';

const NUM_RUNS = 4;

describe.each(TARGETS.filter((t) => variantArb(t, 'rewrite')))('%s', (target) => {
  it('scores exactly as correct on every check', () => {
    fc.assert(fc.property(variantArb(target, 'rewrite')!, (v) => {
      const verdict = judgeVariant(v);
      expect(verdict.ok, `${v.label}: ${verdict.why}`).toBe(true);
    }), { seed: 211, numRuns: NUM_RUNS });
  });
});
