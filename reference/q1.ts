/**
 * Q1: R(w) = E_{x~N(0,I)} ‖wᵀx − w_tᵀx‖² = ‖w − w_t‖². The proof is graded by hand; this is
 * the numeric witness: a Monte Carlo estimate of the risk next to the closed form.
 */
import { makeRng } from '../src/util/random.ts';

export function closedFormRisk(w: number[], wt: number[]): number {
  return w.reduce((s, wi, i) => s + (wi - wt[i]!) ** 2, 0);
}

export function monteCarloRisk(w: number[], wt: number[], samples: number, seed: number): { mean: number; stdError: number } {
  const rng = makeRng(seed);
  let sum = 0;
  let sumSq = 0;
  for (let n = 0; n < samples; n++) {
    let dot = 0;
    for (let i = 0; i < w.length; i++) dot += (w[i]! - wt[i]!) * rng.normal();
    const loss = dot * dot;
    sum += loss;
    sumSq += loss * loss;
  }
  const mean = sum / samples;
  return { mean, stdError: Math.sqrt((sumSq / samples - mean * mean) / samples) };
}
