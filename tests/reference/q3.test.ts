import { describe, expect, it } from 'vitest';
import { simulateDoubleDescent } from '../../reference/q3.ts';

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
