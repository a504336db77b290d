/**
 * The exports a pair's solution.ts may have (contract 1). Every export is optional; an
 * exported value overrides the same answer in hw2.json. Copy this file next to your
 * solution and write `import type { Solution } from './solution.d.ts'` to have your editor
 * check your types, or run `hw2 check <folder>`, which checks them for you.
 *
 * Values cross a process boundary: use numbers, strings, booleans, arrays, typed arrays
 * (Float32Array, Float64Array) and plain objects. Functions may be async.
 */

/** Q5 parameters: W1[r][k][j][i] of shape 4 × d × 4 × d, and W2[r][k] of shape 4 × d. */
export interface Q5Params {
  W1: number[][][][];
  W2: number[][];
}

/** A matrix of shape fanOut × fanIn: nested arrays, or a flat row-major typed array. */
export type Matrix = number[][] | Float32Array | Float64Array;

export interface Solution {
  /** Answers in the shape of hw2.json's `answers`; each part given here replaces hw2.json's. */
  answers: Record<string, unknown>;
  /** Q5.2: any parameters → parameters that obey your scan-direction constraints. */
  projectReversal(params: Q5Params): Q5Params | Promise<Q5Params>;
  /** Q5.3: any parameters → parameters that obey your base-pairing constraints. */
  projectComplement(params: Q5Params): Q5Params | Promise<Q5Params>;
  /** Task 1.5: Xavier uniform, U(−b, b) with b = sqrt(6 / (fanIn + fanOut)). */
  xavierInit(fanIn: number, fanOut: number): Matrix | Promise<Matrix>;
  /** Task 1.6: Kaiming normal in fan_in mode, N(0, 2 / fanIn). */
  kaimingInit(fanIn: number, fanOut: number): Matrix | Promise<Matrix>;
}
