/** Every reference answer the checks use, as one JSON-able object per question (`hw2 reference`). */
import type { Rubric } from '../src/rubric/rubric.ts';
import { closedFormRisk, monteCarloRisk } from './q1.ts';
import { referenceQ2 } from './q2.ts';
import { simulateDoubleDescent } from './q3.ts';
import { optimalSigma, reluSecondMomentMonteCarlo, reluSecondMomentQuadrature } from './q4.ts';
import { countArchitecture, formatDim, summarize } from './q6.ts';
import { referenceTask2 } from './task2.ts';
import { referenceTask3 } from './task3.ts';

export const REFERENCE_TOPICS = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'task1', 'task2', 'task3'] as const;
export type ReferenceTopic = (typeof REFERENCE_TOPICS)[number];

/**
 * Task 1 over seeds 1..n: the range of each printed quantity, which is how the rubric's
 * ranges were confirmed (README, "Task 1").
 */
export async function task1OverSeeds(n: number): Promise<unknown> {
  const ranges: Record<string, { min: number; max: number }> = {};
  const add = (key: string, v: number | null) => {
    if (v === null || !Number.isFinite(v)) return;
    const r = (ranges[key] ??= { min: v, max: v });
    r.min = Math.min(r.min, v);
    r.max = Math.max(r.max, v);
  };
  const { referenceTask1 } = await import('./task1.ts');
  for (let seed = 1; seed <= n; seed++) {
    const r = await referenceTask1(seed, 20);
    add('nanLayer', r.unitNormal.firstNanLayer);
    add('infLayer', r.unitNormal.firstInfLayer);
    add('products.std', r.products.std);
    for (const key of ['scaled', 'tanh', 'xavierTanh', 'kaimingRelu', 'xavierRelu'] as const) {
      add(`${key}.mean`, r[key].mean);
      add(`${key}.std`, r[key].std);
    }
  }
  return { seeds: n, ranges };
}

export async function referenceAnswer(topic: ReferenceTopic, rubric: Rubric): Promise<unknown> {
  switch (topic) {
    case 'task1':
      // TensorFlow.js loads only here: every other command starts without it.
      return { ...(await (await import('./task1.ts')).referenceTask1(211)), accepted: rubric.task1 };
    case 'task2':
      // The baseline counted by formula, the rubric's thresholds with their rationale, the protocol, item → checks.
      return referenceTask2(rubric);
    case 'task3':
      return referenceTask3(rubric);
    case 'q1': {
      const w = [1, -2, 0.5];
      const wt = [0.5, 1, -1];
      return {
        claim: 'R(w) = E_x ||w^T x - w_t^T x||^2 = ||w - w_t||^2 for x ~ N(0, I)',
        example: { w, wt, closedForm: closedFormRisk(w, wt), monteCarlo: monteCarloRisk(w, wt, 200_000, 211) },
      };
    }
    case 'q2':
      return { instance: rubric.q2.instance, convention: 'E = 1/2 * sum (t - o)^2 (the mean over the two outputs)', ...referenceQ2(rubric.q2.instance) };
    case 'q3': {
      const sim = simulateDoubleDescent();
      return {
        key: rubric.q3.key,
        simulation: {
          model: 'min-norm least squares on random ReLU features',
          samples: sim.options.samples,
          peakFeatures: sim.peakFeatures,
          interpolationThreshold: sim.interpolationThreshold,
          curve: sim.curve,
        },
      };
    }
    case 'q4':
      return {
        expectation: { closedForm: 0.5, quadrature: reluSecondMomentQuadrature(), monteCarlo: reluSecondMomentMonteCarlo(1_000_000, 211) },
        sigma: 'sqrt(2/d)',
        examples: rubric.q4.sigmaCheckDims.map((d) => ({ d, sigma: optimalSigma(d) })),
      };
    case 'q5':
      return {
        invariances: rubric.q5.invariancesKey,
        reversalConstraint: 'W1[r,k,j,i] = W1[r,k,j,d-1-i] for every hidden unit (or units paired with equal W2)',
        complementConstraint: 'W1[r,k,j,i] = W1[r,k,(j+2) mod 4,i] for every hidden unit (or units paired with equal W2)',
        scaleEffect: rubric.q5.scaleEffectKey,
        why: 'LeakyReLU is positively homogeneous, so f(cX) = c f(X) and sign f(cX) = sign f(X) for c > 0',
      };
    case 'q6': {
      const s = summarize(countArchitecture(rubric.q6.input, rubric.q6.layers));
      return {
        rows: s.rows.map((r) => ({ layer: r.layer, output: formatDim(r.output), params: r.params })),
        total: s.total,
        fcParams: s.fcParams,
        fcPercent: s.fcPercent,
        fcWeightPercentNoBias: s.fcWeightPercentNoBias,
      };
    }
  }
}
