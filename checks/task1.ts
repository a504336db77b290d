/**
 * Task 1 checks. The printed values of items 1–6 against ranges that follow from the
 * mathematics (see reference/task1.ts and the README); xavier_init and kaiming_init by
 * statistics on samples — from the pair's solution module (called in the sandbox for
 * (fanIn, fanOut) pairs drawn by fast-check) or from .npy files a Python pair saved.
 */
import fc from 'fast-check';
import type { CheckDef, CheckInput, Evidence, Outcome } from '../src/engine/types.ts';
import { manual, notSubmitted } from '../src/engine/outcome.ts';
import { exportsFunction } from '../src/engine/solution.ts';
import type { Rubric } from '../src/engine/rubric.ts';
import { normal, testSample, testsPerSample, uniform, ksDistance, dkwThreshold, type Distribution } from '../src/stats/tests.ts';
import { show } from '../src/util/numeric.ts';
import { describeValue } from '../src/contract/issues.ts';

type Init = 'xavier' | 'kaiming';
const FUNCTION: Record<Init, string> = { xavier: 'xavierInit', kaiming: 'kaimingInit' };

/** The correct distribution of each init, and the mistakes that come up, as distributions. */
export function hypotheses(init: Init, fanIn: number, fanOut: number): { h0: Distribution; mistakes: [string, Distribution][] } {
  if (init === 'xavier') {
    const b = Math.sqrt(6 / (fanIn + fanOut));
    return {
      h0: uniform(-b, b, `U(−b, b), b = sqrt(6/(${fanIn}+${fanOut}))`),
      mistakes: [
        ['Xavier from a normal: the homework asks for Xavier uniform U(−b, b)', normal(Math.sqrt(2 / (fanIn + fanOut)))],
        ['The bound without its square root: b = 6/(fan_in + fan_out)', uniform(-(b * b), b * b)],
        ['Uniform on [0, b) instead of (−b, b): torch.rand is not centred', uniform(0, b)],
        ['Variance used as the bound: b = 2/(fan_in + fan_out)', uniform(-2 / (fanIn + fanOut), 2 / (fanIn + fanOut))],
      ],
    };
  }
  const sd = Math.sqrt(2 / fanIn);
  return {
    h0: normal(sd, `N(0, 2/${fanIn})`),
    mistakes: [
      ['fan_out instead of fan_in: Kaiming normal in fan_in mode has variance 2/fan_in', normal(Math.sqrt(2 / fanOut))],
      ['The factor 2 is missing: variance 1/fan_in is for linear layers, ReLU needs 2/fan_in', normal(Math.sqrt(1 / fanIn))],
      ['Variance used as the standard deviation: std 2/fan_in instead of sqrt(2/fan_in)', normal(2 / fanIn)],
      ['Kaiming uniform instead of Kaiming normal', uniform(-Math.sqrt(6 / fanIn), Math.sqrt(6 / fanIn))],
      ['Xavier instead of Kaiming: variance 2/(fan_in + fan_out)', normal(Math.sqrt(2 / (fanIn + fanOut)))],
    ],
  };
}

/** A 30-bin histogram of a sample against the expected counts of the correct distribution. */
export function histogramEvidence(label: string, sorted: Float64Array, h0: Distribution): Evidence {
  const bins = 30;
  const spread = Math.sqrt(h0.secondMoment);
  const lo = Math.min(sorted[0]!, h0.support?.[0] ?? -4 * spread);
  const hi = Math.max(sorted[sorted.length - 1]!, h0.support?.[1] ?? 4 * spread);
  const width = (hi - lo) / bins || 1;
  const counts = new Array<number>(bins).fill(0);
  for (const v of sorted) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]!++;
  const expected = counts.map((_, i) => sorted.length * (h0.cdf(lo + (i + 1) * width) - h0.cdf(lo + i * width)));
  return { type: 'histogram', label, min: lo, max: hi, counts, expected, expectedName: h0.name };
}

export interface InitSample {
  label: string;
  fanIn: number;
  fanOut: number;
  values: Float64Array;
}

/**
 * Judges samples of one init function. Each statistic of each sample is tested at
 * alpha = falseFailure / (number of tests), so by the union bound a correct implementation
 * fails the whole check with probability at most falseFailure.
 */
export function judgeInit(init: Init, samples: InitSample[], falseFailure: number): Outcome {
  const tests = samples.reduce((a, s) => a + testsPerSample(hypotheses(init, s.fanIn, s.fanOut).h0), 0);
  const alpha = falseFailure / tests;
  const guarantee = `false-failure probability ≤ ${falseFailure.toExponential(0)} for a correct implementation`;
  let firstEvidence: Evidence | undefined;
  for (const sample of samples) {
    const sorted = Float64Array.from(sample.values).sort();
    const { h0, mistakes } = hypotheses(init, sample.fanIn, sample.fanOut);
    const failed = testSample(sorted, h0, alpha).filter((t) => !t.pass);
    firstEvidence ??= histogramEvidence(sample.label, sorted, h0);
    if (!failed.length) continue;
    const limit = dkwThreshold(sorted.length, alpha);
    const explained = mistakes
      .map(([diagnosis, dist]) => ({ diagnosis, distance: ksDistance(sorted, dist) }))
      .filter((m) => m.distance <= limit)
      .sort((a, b) => a.distance - b.distance)[0];
    return {
      fraction: 0,
      message: `${sample.label} (fan_in ${sample.fanIn}, fan_out ${sample.fanOut}, ${sorted.length} values) is not ${h0.name}: ${failed.map((t) => t.detail).join('; ')}. Tests at α = ${alpha.toPrecision(2)} each (${guarantee}).`,
      diagnosis: explained?.diagnosis,
      evidence: histogramEvidence(sample.label, sorted, h0),
    };
  }
  return {
    evidence: firstEvidence,
    fraction: 1,
    message: `${samples.length} sample${samples.length > 1 ? 's' : ''} (${samples.map((s) => `${s.fanIn}×${s.fanOut}`).join(', ')}) match ${init === 'xavier' ? 'U(−b, b)' : 'N(0, 2/fan_in)'}: bounds, mean, second moment and KS (${guarantee}).`,
  };
}

/** The (fanIn, fanOut) pairs a module's init functions are called with: fast-check draws them from the seed. */
export function initPairs(rubric: Rubric, seed: number): [number, number][] {
  const drawn = fc.sample(fc.tuple(fc.integer({ min: 32, max: 600 }), fc.integer({ min: 32, max: 600 })).filter(([a, b]) => a !== b), { seed, numRuns: rubric.task1.initPairs });
  return [[512, 256], ...drawn];
}

/** Flattens what a function returned: [fanOut][fanIn] or [fanIn][fanOut] nested arrays, or a flat typed array. */
export function flattenMatrix(value: unknown, fanIn: number, fanOut: number): Float64Array | string {
  const count = fanIn * fanOut;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const flat = Float64Array.from(value as unknown as ArrayLike<number>);
    return flat.length === count ? flat : `a typed array of ${flat.length} values; expected fan_out × fan_in = ${count}`;
  }
  if (Array.isArray(value) && value.every((row) => Array.isArray(row) || ArrayBuffer.isView(row))) {
    const rows = value as ArrayLike<number>[];
    const ok = (rows.length === fanOut && rows.every((r) => r.length === fanIn)) || (rows.length === fanIn && rows.every((r) => r.length === fanOut));
    if (!ok) return `${rows.length} rows of ${rows[0]?.length ?? 0}; expected fan_out × fan_in = ${fanOut} × ${fanIn}`;
    const flat = new Float64Array(count);
    let i = 0;
    for (const row of rows) for (let j = 0; j < row.length; j++) flat[i++] = row[j]!;
    return flat;
  }
  return `${describeValue(value)}; expected a fan_out × fan_in matrix (nested arrays or a typed array)`;
}

function initCheck(init: Init): CheckDef {
  const fn = FUNCTION[init];
  return {
    id: `task1.${fn}`,
    question: 'task1',
    title: `Task 1.${init === 'xavier' ? 5 : 6} ${init === 'xavier' ? 'xavier_init: Xavier uniform' : 'kaiming_init: Kaiming normal, fan_in'}`,
    kind: 'auto',
    probes: (rubric, seed) => initPairs(rubric, seed).map(([fanIn, fanOut]) => ({ key: `task1.${fn}.${fanIn}x${fanOut}`, name: fn, args: [fanIn, fanOut] })),
    run(input: CheckInput): Outcome {
      const samples: InitSample[] = [];
      const { solution, rubric, seed } = input;
      if (exportsFunction(solution, fn)) {
        for (const [fanIn, fanOut] of initPairs(rubric, seed)) {
          const result = solution.results[`task1.${fn}.${fanIn}x${fanOut}`];
          if (!result?.ok) return { fraction: 0, inputError: true, message: `${solution.file} ${fn}(${fanIn}, ${fanOut}) failed: ${result?.error.message ?? 'not called'}` };
          const values = flattenMatrix(result.value, fanIn, fanOut);
          if (typeof values === 'string') return { fraction: 0, inputError: true, message: `${solution.file} ${fn}(${fanIn}, ${fanOut}) returned ${values}` };
          if (values.some((v) => !Number.isFinite(v))) return { fraction: 0, message: `${solution.file} ${fn}(${fanIn}, ${fanOut}) returned NaN or ±Infinity` };
          samples.push({ label: `${fn}(${fanIn}, ${fanOut})`, fanIn, fanOut, values });
        }
      } else {
        for (const entry of input.answers.task1?.samples?.filter((s) => s.init === init) ?? []) {
          const loaded = input.arrays[entry.file];
          if (!loaded?.ok) return { fraction: 0, inputError: true, message: loaded?.message ?? `${entry.file} was not read` };
          if (loaded.array.data.length !== entry.fanIn * entry.fanOut) {
            return { fraction: 0, inputError: true, message: `${entry.file} has shape (${loaded.array.shape.join(', ')}), ${loaded.array.data.length} values; hw2.json says fan_in ${entry.fanIn} × fan_out ${entry.fanOut}` };
          }
          samples.push({ label: entry.file, fanIn: entry.fanIn, fanOut: entry.fanOut, values: loaded.array.data });
        }
      }
      if (!samples.length) {
        if (solution.loadError) return { fraction: 0, inputError: true, message: `${solution.loadError.message}; hw2.json names no ${init} samples either` };
        return notSubmitted(`${fn} export in solution.ts nor answers.task1.samples of init "${init}"`);
      }
      return judgeInit(init, samples, rubric.task1.initFalseFailure);
    },
  };
}

type PrintedKey = 'scaled' | 'tanh' | 'xavierTanh' | 'kaimingRelu';

function printedCheck(key: PrintedKey, title: string, diagnose?: (input: CheckInput, std: number) => string | undefined): CheckDef {
  return {
    id: `task1.${key}`,
    question: 'task1',
    title,
    kind: 'auto',
    run(input): Outcome {
      const given = input.answers.task1?.[key];
      if (!given) return notSubmitted(`answers.task1.${key}`);
      const r = input.rubric.task1[key];
      const problems: string[] = [];
      if (!(given.std >= r.std.min && given.std <= r.std.max)) problems.push(`std ${show(given.std)} is outside [${show(r.std.min)}, ${show(r.std.max)}]`);
      if (r.meanAbs !== undefined && !(Math.abs(given.mean) <= r.meanAbs)) problems.push(`|mean| ${show(Math.abs(given.mean))} is above ${show(r.meanAbs)}`);
      if (r.mean && !(given.mean >= r.mean.min && given.mean <= r.mean.max)) problems.push(`mean ${show(given.mean)} is outside [${show(r.mean.min)}, ${show(r.mean.max)}]`);
      const expected = { std: r.std, ...(r.meanAbs !== undefined ? { meanAbs: r.meanAbs } : {}), ...(r.mean ? { mean: r.mean } : {}) };
      if (!problems.length) return { fraction: 1, message: `mean ${show(given.mean)}, std ${show(given.std)}: within the accepted ranges.`, expected, actual: given };
      return { fraction: 0, message: `${problems.join('; ')}.`, diagnosis: diagnose?.(input, given.std), expected, actual: given };
    },
  };
}

const nanLayer: CheckDef = {
  id: 'task1.nanLayer',
  question: 'task1',
  title: 'Task 1.1 the layer where unit-normal weights give NaN',
  kind: 'auto',
  run(input): Outcome {
    const given = input.answers.task1?.nanLayer;
    if (given === undefined) return notSubmitted('answers.task1.nanLayer');
    const { min, max } = input.rubric.task1.nanLayer;
    const expected = { min, max };
    if (given >= min && given <= max) return { fraction: 1, message: `Layer ${given}: float32 overflows near layer ${min}–${max}.`, expected, actual: given };
    return {
      fraction: 0,
      message: `Layer ${given} is outside ${min}–${max}: each product multiplies the scale by about sqrt(512) ≈ 22.6, so float32 (max 3.4e38) overflows near layer 28 and NaN follows.`,
      diagnosis: given < 5 ? 'NaN this early means the check ran on the wrong tensor or the loop broke at once' : given >= 99 ? 'No NaN found: was the check (torch.isnan) applied to every layer\'s output?' : undefined,
      expected, actual: given,
    };
  },
};

const products: CheckDef = {
  id: 'task1.products',
  question: 'task1',
  title: 'Task 1.2 the std of a·x is close to sqrt(N)',
  kind: 'auto',
  run(input): Outcome {
    const given = input.answers.task1?.products;
    if (!given) return notSubmitted('answers.task1.products');
    const { stdRelTolerance, meanAbs } = input.rubric.task1.products;
    const sqrtN = Math.sqrt(512);
    const problems: string[] = [];
    if (!(Math.abs(given.std / sqrtN - 1) <= stdRelTolerance)) problems.push(`std ${show(given.std)} is not within ${stdRelTolerance * 100}% of sqrt(512) = ${show(sqrtN)}`);
    if (!(Math.abs(given.mean) <= meanAbs)) problems.push(`|mean| ${show(Math.abs(given.mean))} is above ${meanAbs}`);
    if (given.sqrtN !== undefined && Math.abs(given.sqrtN - sqrtN) > 1e-3) problems.push(`sqrt(N) printed as ${show(given.sqrtN)}, expected ${show(sqrtN)}`);
    const expected = { std: sqrtN, stdRelTolerance, meanAbs };
    if (!problems.length) return { fraction: 1, message: `std ${show(given.std)} ≈ sqrt(512) = ${show(sqrtN)}.`, expected, actual: given };
    const diagnosis = Math.abs(given.std / 512 - 1) <= stdRelTolerance ? 'Printed the variance (≈ N) instead of the std (≈ sqrt(N))' : undefined;
    return { fraction: 0, message: `${problems.join('; ')}.`, diagnosis, expected, actual: given };
  },
};

const inRange = (v: number, r: { min: number; max: number }) => v >= r.min && v <= r.max;

const explanations: CheckDef = {
  id: 'task1.explanations',
  question: 'task1',
  title: 'Task 1 explanations: what happens in item 1, why tanh shrinks, Xavier with ReLU',
  kind: 'manual',
  run(input) {
    const e = input.answers.task1?.explanations;
    const xr = input.answers.task1?.xavierRelu;
    const parts: [string, string | undefined][] = [
      ['Item 1', e?.item1],
      ['Item 4', e?.item4],
      ['Item 6', e?.item6],
      ['Xavier + ReLU printed', xr ? `mean ${show(xr.mean)}, std ${show(xr.std)} (expected to vanish, about 1e-15)` : undefined],
    ];
    const text = parts.filter(([, t]) => t?.trim()).map(([h, t]) => `${h}: ${t}`).join('\n\n');
    return manual(text || undefined, 'answers.task1.explanations');
  },
};

export const task1Checks: CheckDef[] = [
  nanLayer,
  products,
  printedCheck('scaled', 'Task 1.3 unit normal scaled by 1/sqrt(N): mean and std'),
  printedCheck('tanh', 'Task 1.4 with tanh: mean and std', (input, std) =>
    inRange(std, input.rubric.task1.scaled.std) ? 'The std matches item 3 without tanh: was tanh applied after each layer?' : undefined),
  printedCheck('xavierTanh', 'Task 1.5 Xavier uniform with tanh: mean and std'),
  printedCheck('kaimingRelu', 'Task 1.6 Kaiming normal with ReLU: mean and std', (_input, std) =>
    std < 1e-6 ? 'The std vanished: that is what Xavier does with ReLU, not Kaiming' : undefined),
  initCheck('xavier'),
  initCheck('kaiming'),
  explanations,
];
