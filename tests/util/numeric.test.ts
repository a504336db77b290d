import { describe, expect, it } from 'vitest';
import { constantsAllowance, judgeAtPrecision, judgedAt, roundToSignificant, significantDigits, unitInDigit } from '../../src/util/numeric.ts';

const RULE = { minSignificantDigits: 4, floatRelTolerance: 1e-5 };
// Q2's ∂E/∂w1 for the homework's instance, by hand (Python, float64): δh1 = (δo1·w7 + δo2·w8)·h1(1 − h1).
const G_W1 = 0.0019839118724015213;

describe('significantDigits: the digits of the shortest decimal JSON writes', () => {
  it('counts the digits of the mantissa, not leading zeros nor an integer\'s trailing zeros', () => {
    expect(significantDigits(0.0019839)).toBe(5);
    expect(significantDigits(93.06)).toBe(4);
    expect(significantDigits(-0.07654)).toBe(4);
    // 0.5000 arrives as 0.5: one digit (the rubric's floor restores the rest).
    expect(significantDigits(0.5)).toBe(1);
    expect(significantDigits(1200)).toBe(2);
    expect(significantDigits(132863336)).toBe(9);
    expect(significantDigits(1e-7)).toBe(1);
    expect(significantDigits(0)).toBe(1);
    // float64's shortest round trip of 0.1 + 0.2 is 0.30000000000000004: 17 digits.
    expect(significantDigits(0.1 + 0.2)).toBe(17);
    expect(significantDigits(Number.NaN)).toBe(0);
  });
});

describe('roundToSignificant and unitInDigit', () => {
  it('round and give the unit of the p-th digit', () => {
    expect(roundToSignificant(G_W1, 4)).toBe(0.001984);
    expect(roundToSignificant(0.099996, 4)).toBe(0.1);
    expect(roundToSignificant(-93.0596, 3)).toBe(-93.1);
    expect(unitInDigit(0.001984, 4)).toBeCloseTo(1e-6, 18);
    expect(unitInDigit(93.06, 4)).toBeCloseTo(0.01, 14);
    expect(unitInDigit(0.1, 4)).toBeCloseTo(1e-4, 16);
  });
});

describe('judgeAtPrecision', () => {
  it('accepts the reference rounded to the digits written, give or take one unit in the last', () => {
    expect(judgeAtPrecision(0.001984, G_W1, RULE)).toMatchObject({ ok: true, digits: 4 });
    // A rounded intermediate moved the last digit by one: 0.001985 is 1 unit from 0.001984.
    expect(judgeAtPrecision(0.001985, G_W1, RULE).ok).toBe(true);
    expect(judgeAtPrecision(0.001983, G_W1, RULE).ok).toBe(true);
    expect(judgeAtPrecision(0.001986, G_W1, RULE).ok).toBe(false);
    // Six digits: round6 = 0.00198391.
    expect(judgeAtPrecision(0.00198391, G_W1, RULE)).toMatchObject({ ok: true, digits: 6 });
    expect(judgeAtPrecision(0.00198394, G_W1, RULE).ok).toBe(false);
  });

  it('rejects the issue\'s mistake: ∂E/∂w1 through the already-updated w7, w8 is 0.00198125 (−0.134%)', () => {
    // Hand (Python): w7' = 0.7 − 0.01·0.0765351, w8' = 0.8 − 0.01·0.118279; δh1 recomputed with them.
    expect(judgeAtPrecision(0.00198125, G_W1, RULE).ok).toBe(false);
    expect(judgeAtPrecision(0.001981, G_W1, RULE).ok).toBe(false);
  });

  it('judges a number written with fewer digits than the floor at the floor', () => {
    // 0.002 is 0.002000 at 4 digits: 16 units from 0.001984.
    expect(judgeAtPrecision(0.002, G_W1, RULE)).toMatchObject({ ok: false, digits: 4 });
    // With a floor of 2, 0.002 stands for 0.0020 = round2(0.0019839).
    expect(judgeAtPrecision(0.002, G_W1, { ...RULE, minSignificantDigits: 2 })).toMatchObject({ ok: true, digits: 2 });
    // 0.5 is E[ReLU(z)²] exactly, and 0.4999 is one unit of the 4th digit below 0.5000.
    expect(judgeAtPrecision(0.5, 0.5, RULE).ok).toBe(true);
    expect(judgeAtPrecision(0.4999, 0.5, RULE).ok).toBe(true);
    expect(judgeAtPrecision(0.4998, 0.5, RULE).ok).toBe(false);
  });

  it('takes the unit of the rounded reference where rounding carries into a new digit', () => {
    // 0.099996 rounds to 0.1000 at 4 digits, whose unit is 1e-4: 0.09999 is within one.
    expect(judgeAtPrecision(0.09999, 0.099996, RULE).ok).toBe(true);
    expect(judgeAtPrecision(0.1, 0.099996, RULE).ok).toBe(true);
  });

  it('allows float32 rounding for values written with many digits', () => {
    // 11 digits written, 5e-7 from 0.1: far beyond one unit of the 11th digit, within 1e-5 relative.
    expect(judgeAtPrecision(0.10000049999, 0.1, RULE)).toMatchObject({ ok: true, digits: 11 });
    expect(judgeAtPrecision(0.10000149999, 0.1, RULE).ok).toBe(false);
  });

  it('matches a reference of 0 only with 0, and nothing that is not finite', () => {
    expect(judgeAtPrecision(0, 0, RULE).ok).toBe(true);
    expect(judgeAtPrecision(1e-12, 0, RULE).ok).toBe(false);
    expect(judgeAtPrecision(Number.NaN, 0.5, RULE).ok).toBe(false);
    expect(judgeAtPrecision(Number.POSITIVE_INFINITY, 0.5, RULE).ok).toBe(false);
  });

  it('says the precision in words', () => {
    expect(judgedAt(4)).toBe('judged at 4 significant digits');
    expect(judgedAt(1)).toBe('judged at 1 significant digit');
  });
});

describe('constantsAllowance: an expression at the precision of its least precise constant', () => {
  it('gives 1.5 units of the p-th digit of the coarsest non-integer constant, relative to it', () => {
    // 1.41 at the floor of 4 digits: 1.5 · 1e-3 / 1.41.
    expect(constantsAllowance([1.41, 2], RULE)).toEqual({ rel: 1.5e-3 / 1.41, digits: 4 });
    // 1.4142 has 5 digits; 0.5 is judged at 4 (1.5e-4 / 0.5 = 3e-4 > 1.5e-4 / 1.4142): 0.5 is the coarser.
    expect(constantsAllowance([1.4142], RULE).digits).toBe(5);
    expect(constantsAllowance([1.4142], RULE).rel).toBeCloseTo(1.5e-4 / 1.4142, 15);
    expect(constantsAllowance([1.4142, 0.5], RULE)).toEqual({ rel: 1.5e-4 / 0.5, digits: 4 });
  });

  it('treats integers as exact', () => {
    expect(constantsAllowance([2, 1], RULE)).toEqual({ rel: 1e-9 });
    expect(constantsAllowance([], RULE)).toEqual({ rel: 1e-9 });
  });
});
