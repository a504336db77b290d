/** Round for display: enough significant digits for a TA to compare by eye. */
export function show(x: number, digits = 6): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  return Number(x.toPrecision(digits)).toString();
}

/** A fraction as a percentage with two decimals: 0.8978 → "89.78%". */
export const percent = (x: number) => `${(100 * x).toFixed(2)}%`;

/**
 * How a hand-computed number is judged (issue 15, class 3; README, "Judging at the written
 * precision"): at the significant digits the pair wrote, never fewer than the rubric's floor.
 */
export interface PrecisionRule {
  /** The fewest significant digits a value is judged at (JSON drops trailing zeros: 0.5000 arrives as 0.5). */
  minSignificantDigits: number;
  /** Relative slack for values written with many digits: a notebook computes in float32. */
  floatRelTolerance: number;
}

/**
 * Significant digits of the shortest decimal that reads back as x, which is how JSON wrote it:
 * 0.0019839 → 5, 93.06 → 4, 0.5 → 1, 1200 → 2 (trailing zeros of an integer are not counted),
 * 0 → 1. Not finite → 0.
 */
export function significantDigits(x: number): number {
  if (!Number.isFinite(x)) return 0;
  if (x === 0) return 1;
  // toExponential() without an argument gives as many digits as it takes to read back as x.
  const mantissa = Math.abs(x).toExponential().split('e')[0]!;
  return mantissa.replace('.', '').length;
}

/** x rounded to p significant digits (p from 1 to 100). */
export function roundToSignificant(x: number, p: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(Math.min(100, Math.max(1, Math.round(p)))));
}

/** One unit in the p-th significant digit of x: 0.001984 at 4 digits → 1e-6. */
export function unitInDigit(x: number, p: number): number {
  if (!Number.isFinite(x) || x === 0) return 0;
  return 10 ** (Math.floor(Math.log10(Math.abs(x))) - p + 1);
}

/** What a written value was judged against, and at which precision. */
export interface PrecisionJudgement {
  ok: boolean;
  /** The significant digits the value was judged at: max(what was written, the floor). */
  digits: number;
  /** The largest distance from the exact reference that was accepted. */
  allowance: number;
}

/**
 * Is `written` the reference at the precision it was written at? With p = max(the significant
 * digits written, the rule's floor): right when it equals the reference rounded to p digits,
 * give or take one unit in the p-th digit (a hand computation carries rounded intermediates, so
 * its last digit may be off by one), or when it is within the float tolerance of the exact
 * value (many digits from a float32 computation). A reference of 0 is matched only by 0.
 */
export function judgeAtPrecision(written: number, reference: number, rule: PrecisionRule): PrecisionJudgement {
  const digits = Math.max(significantDigits(written), rule.minSignificantDigits);
  if (!Number.isFinite(written) || !Number.isFinite(reference)) return { ok: false, digits, allowance: 0 };
  if (reference === 0) return { ok: written === 0, digits, allowance: 0 };
  const rounded = roundToSignificant(reference, digits);
  // The unit of the rounded reference: 0.099996 at 4 digits rounds to 0.1000, whose unit is 1e-4.
  const unit = unitInDigit(rounded, digits);
  const floatSlack = rule.floatRelTolerance * Math.abs(reference);
  // The 1e-9 of a unit absorbs binary representation (0.001985 − 0.001984 is not exactly 1e-6).
  const ok = Math.abs(written - rounded) <= unit * (1 + 1e-9) || Math.abs(written - reference) <= floatSlack;
  return { ok, digits, allowance: Math.max(Math.abs(rounded - reference) + unit, floatSlack) };
}

/** "judged at 4 significant digits", for messages. */
export const judgedAt = (digits: number) => `judged at ${digits} significant digit${digits === 1 ? '' : 's'}`;

/**
 * How closely an expression's value must match when it contains rounded constants (Q4's
 * σ = 1.4142/sqrt(d)): at the precision of its least precise constant. A constant c written with
 * p = max(its digits, the floor) significant digits may be off by what judgeAtPrecision allows a
 * number, one unit and a half in its p-th digit (half from its own rounding, one unit of
 * slack), so the value may be off by that share of c. Integers are exact (the 2 of sqrt(2/d)),
 * so an expression of integers alone must match to 1e-9 (floating point only).
 */
export function constantsAllowance(constants: number[], rule: PrecisionRule): { rel: number; digits?: number } {
  let worst: { rel: number; digits?: number } = { rel: 1e-9 };
  for (const c of constants) {
    if (!Number.isFinite(c) || Number.isInteger(c)) continue;
    const digits = Math.max(significantDigits(c), rule.minSignificantDigits);
    const rel = Math.max((1.5 * unitInDigit(c, digits)) / Math.abs(c), rule.floatRelTolerance);
    if (rel > worst.rel) worst = { rel, digits };
  }
  return worst;
}
