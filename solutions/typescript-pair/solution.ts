// A TypeScript pair: Q5's constraints as projections, Task 1's init functions, and Q4 given from code.
// (Typed against the harness's types/solution.d.ts: `hw2 types` prints it.)
import { mirror } from './mirror.ts';

type Params = { W1: number[][][][]; W2: number[][] };

/** Every hidden unit's filter made symmetric in position: W1[r,k,j,i] = W1[r,k,j,d-1-i]. */
export function projectReversal({ W1, W2 }: Params): Params {
  return { W1: W1.map((units) => units.map((filter) => filter.map((row) => mirror(row)))), W2 };
}

/** Every hidden unit's filter made equal on paired bases: W1[r,k,j,i] = W1[r,k,(j+2) mod 4,i]. */
export function projectComplement({ W1, W2 }: Params): Params {
  return {
    W1: W1.map((units) => units.map((filter) => filter.map((row, j) => row.map((w, i) => (w + filter[(j + 2) % 4]![i]!) / 2)))),
    W2,
  };
}

export const answers = {
  q4: { expectation: 0.5, sigma: 'sqrt(2 / d_{l-1})', proof: 'E[ReLU(z)^2] = 1/2 by symmetry; sigma = 1/sqrt(d/2).' },
};

/** A standard normal by Box–Muller (1 − u keeps the logarithm finite). */
function gauss(): number {
  return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
}

/** Task 1.5: Xavier uniform, U(−b, b) with b = sqrt(6 / (fan_in + fan_out)); shape fan_out × fan_in. */
export function xavierInit(fanIn: number, fanOut: number): Float32Array {
  const b = Math.sqrt(6 / (fanIn + fanOut));
  return Float32Array.from({ length: fanIn * fanOut }, () => (2 * Math.random() - 1) * b);
}

/** Task 1.6: Kaiming normal, fan_in mode: N(0, 2 / fan_in). */
export function kaimingInit(fanIn: number, fanOut: number): number[][] {
  const std = Math.sqrt(2 / fanIn);
  return Array.from({ length: fanOut }, () => Array.from({ length: fanIn }, () => gauss() * std));
}
