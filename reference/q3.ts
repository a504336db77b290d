/**
 * Q3, deep double descent: the TA's key lives in the rubric; this module reproduces the
 * phenomenon so that the key's claim — the test error peaks at the interpolation threshold,
 * where the model can first fit the training set exactly — is demonstrated by code.
 *
 * Model-wise double descent with random ReLU features: y = βᵀx + noise, features
 * φ(x) = ReLU(Wx) with a fixed random W (p × d), fitted by least squares for p < n and by the
 * minimum-norm interpolant for p ≥ n. The test error rises towards p = n and falls after it
 * (Belkin et al. 2019; Nakkiran et al. 2019, §"model-wise").
 */
import { makeRng } from '../src/util/random.ts';
import { matrix, multiply, solve, type Matrix } from '../src/util/linalg.ts';

export interface DoubleDescentOptions {
  samples: number;
  inputDim: number;
  featureCounts: number[];
  testSamples: number;
  noise: number;
  repeats: number;
  seed: number;
}

export const DEFAULT_DD: DoubleDescentOptions = {
  samples: 40,
  inputDim: 10,
  featureCounts: [5, 10, 15, 20, 25, 30, 34, 38, 40, 42, 46, 50, 60, 80, 120, 200, 320],
  testSamples: 400,
  noise: 0.3,
  repeats: 8,
  seed: 211,
};

export interface DoubleDescentResult {
  options: DoubleDescentOptions;
  curve: { features: number; testMse: number }[];
  peakFeatures: number;
  interpolationThreshold: number;
}

function features(x: Matrix, w: Matrix): Matrix {
  const z = multiply(x, w, false, true);
  for (let i = 0; i < z.data.length; i++) z.data[i] = Math.max(0, z.data[i]!) / Math.sqrt(w.rows);
  return z;
}

export function simulateDoubleDescent(options: DoubleDescentOptions = DEFAULT_DD): DoubleDescentResult {
  const { samples: n, inputDim: d, testSamples, noise, repeats } = options;
  const rng = makeRng(options.seed);
  const totals = new Float64Array(options.featureCounts.length);
  for (let rep = 0; rep < repeats; rep++) {
    const beta = matrix(d, 1, () => rng.normal() / Math.sqrt(d));
    const xTrain = matrix(n, d, () => rng.normal());
    const xTest = matrix(testSamples, d, () => rng.normal());
    const yTrain = multiply(xTrain, beta);
    for (let i = 0; i < n; i++) yTrain.data[i]! += noise * rng.normal();
    const yTest = multiply(xTest, beta);
    options.featureCounts.forEach((p, idx) => {
      const w = matrix(p, d, () => rng.normal());
      const phi = features(xTrain, w);
      let coef: Matrix;
      if (p < n) {
        coef = solve(multiply(phi, phi, true, false), multiply(phi, yTrain, true, false));
      } else {
        coef = multiply(phi, solve(multiply(phi, phi, false, true), yTrain), true, false);
      }
      const pred = multiply(features(xTest, w), coef);
      let mse = 0;
      for (let i = 0; i < testSamples; i++) mse += (pred.data[i]! - yTest.data[i]!) ** 2;
      totals[idx]! += mse / testSamples;
    });
  }
  const curve = options.featureCounts.map((features, i) => ({ features, testMse: totals[i]! / repeats }));
  const peak = curve.reduce((best, c) => (c.testMse > best.testMse ? c : best));
  return { options, curve, peakFeatures: peak.features, interpolationThreshold: n };
}
