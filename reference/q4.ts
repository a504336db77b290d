/**
 * Q4: for ReLU, E_{z~N(0,1)}[φ(z)²] = ½ (half of E[z²] = 1, by the symmetry of the normal),
 * so σ_l = 1/sqrt(d·½) = sqrt(2/d). Two independent computations of the expectation:
 * composite Simpson quadrature of z²·pdf(z) over [0, 12] and a seeded Monte Carlo mean.
 */
import { makeRng } from '../src/util/random.ts';

export const RELU_SECOND_MOMENT = 0.5;

export function reluSecondMomentQuadrature(intervals = 2000, upper = 12): number {
  const f = (z: number) => (z * z * Math.exp(-z * z / 2)) / Math.sqrt(2 * Math.PI);
  const h = upper / intervals;
  let s = f(0) + f(upper);
  for (let i = 1; i < intervals; i++) s += (i % 2 ? 4 : 2) * f(i * h);
  return (s * h) / 3;
}

export function reluSecondMomentMonteCarlo(samples: number, seed: number): { mean: number; stdError: number } {
  const rng = makeRng(seed);
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < samples; i++) {
    const z = Math.max(0, rng.normal());
    sum += z * z;
    sumSq += z ** 4;
  }
  const mean = sum / samples;
  return { mean, stdError: Math.sqrt((sumSq / samples - mean * mean) / samples) };
}

/** σ_l = 1 / sqrt(d · E[φ²]). */
export function optimalSigma(d: number, secondMoment = RELU_SECOND_MOMENT): number {
  return 1 / Math.sqrt(d * secondMoment);
}
