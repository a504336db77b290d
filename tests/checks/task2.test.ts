import { describe, expect, it } from 'vitest';
import { accuracyFraction, claimCheck } from '../../checks/task2.ts';

describe('Task 2 scoring', () => {
  it('gives 0 below 85%, half at 85%, rising linearly to full at 89% (by hand: 87% → 0.75)', () => {
    const rule = { pass: 0.85, full: 0.89, passCredit: 0.5 };
    expect(accuracyFraction(0.8499, rule)).toBe(0);
    expect(accuracyFraction(0.85, rule)).toBe(0.5);
    expect(accuracyFraction(0.87, rule)).toBeCloseTo(0.75, 12);
    expect(accuracyFraction(0.9, rule)).toBe(1);
  });

  it('flags a claim further than the tolerance from the measurement, reading percents as fractions', () => {
    expect(claimCheck('acc', 89.3, 0.8931, 0.005)).toBeUndefined();
    expect(claimCheck('acc', 0.912, 0.859, 0.005)).toEqual({ what: 'acc', claimed: 0.912, measured: 0.859 });
    expect(claimCheck('acc', undefined, 0.859, 0.005)).toBeUndefined();
  });
});
