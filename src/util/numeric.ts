/** An accepted distance from an expected value (the rubric's tolerances have this shape). */
export interface Tolerance {
  abs: number;
  rel: number;
}

/** |a − e| ≤ max(abs, rel·|e|). */
export function within(actual: number, expected: number, tol: Tolerance): boolean {
  return Math.abs(actual - expected) <= Math.max(tol.abs, tol.rel * Math.abs(expected));
}

/** Round for display: enough significant digits for a TA to compare by eye. */
export function show(x: number, digits = 6): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  return Number(x.toPrecision(digits)).toString();
}

/** A fraction as a percentage with two decimals: 0.8978 → "89.78%". */
export const percent = (x: number) => `${(100 * x).toFixed(2)}%`;
