import { describe, expect, it } from 'vitest';
import { claimCheck } from '../../checks/task2.ts';

describe('Task 2 scoring', () => {
  it('flags a claim further than the tolerance from the measurement, reading percents as fractions', () => {
    expect(claimCheck('acc', 89.3, 0.8931, 0.005)).toBeUndefined();
    expect(claimCheck('acc', 0.912, 0.859, 0.005)).toEqual({ what: 'acc', claimed: 0.912, measured: 0.859 });
    expect(claimCheck('acc', undefined, 0.859, 0.005)).toBeUndefined();
  });
});
