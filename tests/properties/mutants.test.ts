/**
 * The grader's own property (issue 15), family "mutant": one value wrong beyond the precision it is written at loses points at its check, and no other check changes but those a documented rule lets follow.
 * Over the generators of ./generators.ts, for every check that grades what a pair wrote or
 * measured. The expected scores are `correct`'s own (solutions/correct, written by an
 * independent Python script), graded once. Seeded: fast-check's seed 211, NUM_RUNS draws per check.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { judgeVariant, TARGETS, variantArb } from './generators.ts';

const NUM_RUNS = 4;

describe.each(TARGETS.filter((t) => variantArb(t, 'mutant')))('%s', (target) => {
  it('loses points at this check alone', () => {
    fc.assert(fc.property(variantArb(target, 'mutant')!, (v) => {
      const verdict = judgeVariant(v);
      expect(verdict.ok, `${v.label}: ${verdict.why}`).toBe(true);
    }), { seed: 211, numRuns: NUM_RUNS });
  });
});
