/**
 * The grader's own property (issue 15), family "nonAnswer": zeros, copies of the inputs, one value repeated, empty or 1×1 arrays, NaN, a value of the wrong type earn 0 at their check, and never crash the grader (a wrong type is an input error with a message).
 * Over the generators of ./generators.ts, for every check that grades what a pair wrote or
 * measured. The expected scores are `correct`'s own (solutions/correct, written by an
 * independent Python script), graded once. Seeded: fast-check's seed 211, NUM_RUNS draws per check.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { judgeVariant, TARGETS, variantArb } from './generators.ts';

const NUM_RUNS = 4;

describe.each(TARGETS.filter((t) => variantArb(t, 'nonAnswer')))('%s', (target) => {
  it('earns 0 for a non-answer and crashes nothing', () => {
    fc.assert(fc.property(variantArb(target, 'nonAnswer')!, (v) => {
      const verdict = judgeVariant(v);
      expect(verdict.ok, `${v.label}: ${verdict.why}`).toBe(true);
    }), { seed: 211, numRuns: NUM_RUNS });
  });
});
