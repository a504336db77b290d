import { describe, expect, it } from 'vitest';
import { closedFormRisk, monteCarloRisk } from '../../reference/q1.ts';

describe('Q1', () => {
  it('Monte Carlo risk agrees with ‖w − w_t‖² within 5 standard errors (false failure < 1e-6)', () => {
    const w = [1, -2, 0.5, 3];
    const wt = [0.5, 1, -1, 2];
    const mc = monteCarloRisk(w, wt, 200_000, 211);
    expect(Math.abs(mc.mean - closedFormRisk(w, wt))).toBeLessThan(5 * mc.stdError);
    expect(closedFormRisk(w, wt)).toBeCloseTo(0.25 + 9 + 2.25 + 1, 12); // by hand
  });
});
