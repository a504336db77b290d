/**
 * One property per check for a family of generated variants: each draw is judged by
 * ./generators.ts's judgeVariant. Seeded: fast-check's seed 211, NUM_RUNS draws per check. The
 * three families are three test files so that vitest runs them side by side.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgeVariant, TARGETS, variantArb, type Family } from './generators.ts';

const NUM_RUNS = 4;

export function propertyFamily(family: Family, title: string): void {
  describe.each(TARGETS.filter((t) => variantArb(t, family)))('%s', (target) => {
    it(title, () => {
      fc.assert(fc.property(variantArb(target, family)!, (v) => {
        const verdict = judgeVariant(v);
        expect(verdict.ok, `${v.label}: ${verdict.why}`).toBe(true);
      }), { seed: 211, numRuns: NUM_RUNS });
    });
  });
}
