/**
 * Task 1 checks. The printed values of items 1–6 against ranges that follow from the
 * mathematics (see reference/task1.ts and the README); xavier_init and kaiming_init by
 * statistics on samples — from the pair's solution module (called in the sandbox for
 * (fanIn, fanOut) pairs drawn by fast-check) or from .npy files a Python pair saved.
 */
import fc from 'fast-check';
import type { Diagnosis, Evidence, Outcome } from '../src/core/vocabulary.ts';
import { diagnosed, inputError, manual, notSubmitted } from '../src/core/outcomes.ts';
import { defineCheck, type CheckInput, type Probe } from '../src/registry/define.ts';
import { exportsFunction } from '../src/registry/solution-data.ts';
import type { Rubric } from '../src/rubric/rubric.ts';
import { normal, testSample, testsPerSample, uniform, ksDistance, acceptance, cdfGrid, passChanceBound, requiredSize, unitRoundoff, type Distribution } from '../src/stats/tests.ts';
import { judgeAtPrecision, judgedAt, show } from '../src/util/numeric.ts';
import { describeValue } from '../src/intake/issues.ts';

type Init = 'xavier' | 'kaiming';
const FUNCTION = { xavier: 'xavierInit', kaiming: 'kaimingInit' } as const satisfies Record<Init, string>;

/** A mistake that comes up, as the distribution it draws from, with its diagnosis. */
interface Mistake {
  code: string;
  text: string;
  dist: Distribution;
}

/** The correct distribution of each init, and the mistakes that come up, as distributions. */
function hypotheses(init: Init, fanIn: number, fanOut: number): { h0: Distribution; mistakes: Mistake[] } {
  if (init === 'xavier') {
    const b = Math.sqrt(6 / (fanIn + fanOut));
    return {
      h0: uniform(-b, b, `U(−b, b), b = sqrt(6/(${fanIn}+${fanOut}))`),
      mistakes: [
        { code: 'task1.xavier-normal', text: 'Xavier from a normal: the homework asks for Xavier uniform U(−b, b)', dist: normal(Math.sqrt(2 / (fanIn + fanOut))) },
        { code: 'task1.xavier-bound-no-sqrt', text: 'The bound without its square root: b = 6/(fan_in + fan_out)', dist: uniform(-(b * b), b * b) },
        { code: 'task1.xavier-not-centred', text: 'Uniform on [0, b) instead of (−b, b): torch.rand is not centred', dist: uniform(0, b) },
        { code: 'task1.xavier-variance-as-bound', text: 'Variance used as the bound: b = 2/(fan_in + fan_out)', dist: uniform(-2 / (fanIn + fanOut), 2 / (fanIn + fanOut)) },
      ],
    };
  }
  const sd = Math.sqrt(2 / fanIn);
  return {
    h0: normal(sd, `N(0, 2/${fanIn})`),
    mistakes: [
      { code: 'task1.kaiming-fan-out', text: 'fan_out instead of fan_in: Kaiming normal in fan_in mode has variance 2/fan_in', dist: normal(Math.sqrt(2 / fanOut)) },
      { code: 'task1.kaiming-no-factor-2', text: 'The factor 2 is missing: variance 1/fan_in is for linear layers, ReLU needs 2/fan_in', dist: normal(Math.sqrt(1 / fanIn)) },
      { code: 'task1.kaiming-variance-as-std', text: 'Variance used as the standard deviation: std 2/fan_in instead of sqrt(2/fan_in)', dist: normal(2 / fanIn) },
      { code: 'task1.kaiming-uniform', text: 'Kaiming uniform instead of Kaiming normal', dist: uniform(-Math.sqrt(6 / fanIn), Math.sqrt(6 / fanIn)) },
      { code: 'task1.kaiming-xavier-variance', text: 'Xavier instead of Kaiming: variance 2/(fan_in + fan_out)', dist: normal(Math.sqrt(2 / (fanIn + fanOut))) },
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
  /** The storage dtype (a .npy descr such as '<f2'): the tests allow its rounding. Absent: exact values. */
  dtype?: string;
}

const memo = new Map<string, number>();
const memoized = (key: string, compute: () => number) => {
  let v = memo.get(key);
  if (v === undefined) memo.set(key, (v = compute()));
  return v;
};

/**
 * The power rule. For each mistake a check names, an upper bound on the chance that a sample
 * of that mistake, of the submitted size and fans, passes (passChanceBound in src/stats/tests.ts:
 * Chernoff at the KS test's limit, the bounds test, the χ² tails); the check passes a wrong init
 * only if every sample passes, so the chance is at most the least bound over its samples. When
 * it is above `miss` for some mistake, the samples are too small to test: the least n that
 * would do (requiredSize) is stated. A mistake that draws from the correct distribution at a
 * sample's fans (fan_out for Kaiming at fan_in = fan_out; the bound without its square root
 * at fan_in + fan_out = 6; variance as std at fan_in = 2) is no mistake there: no size can tell
 * them apart, so it is left out for that sample, and the pass message names the mistakes
 * that no sample could test.
 */
function powerShortfall(init: Init, samples: InitSample[], alpha: number, miss: number) {
  const chances = new Map<string, { text: string; chance: number; needed: number; at: InitSample }>();
  for (const s of samples) {
    const { h0, mistakes } = hypotheses(init, s.fanIn, s.fanOut);
    const u = unitRoundoff(s.dtype);
    const n = s.values.length;
    for (const m of mistakes) {
      const key = `${init}|${s.fanIn}|${s.fanOut}|${u}|${alpha}|${m.code}`;
      const distance = memoized(`${init}|${s.fanIn}|${s.fanOut}|${m.code}|D`, () => {
        const { f, p } = cdfGrid(h0, m.dist);
        return f.reduce((d, fi, i) => Math.max(d, Math.abs(fi - p[i]!)), 0);
      });
      if (distance < 1e-9) continue;
      const chance = memoized(`${key}|${n}`, () => passChanceBound(h0, m.dist, n, alpha, u));
      const needed = chance <= miss ? n : memoized(`${key}|${miss}|N`, () => requiredSize(h0, m.dist, alpha, miss, u));
      const prev = chances.get(m.code);
      if (!prev || chance < prev.chance) chances.set(m.code, { text: m.text, chance, needed, at: s });
    }
  }
  const worst = Math.max(0, ...[...chances.values()].map((c) => c.chance));
  const short = [...chances.entries()].filter(([, c]) => c.chance > miss).sort((a, b) => b[1].needed - a[1].needed);
  const untestable = hypotheses(init, samples[0]!.fanIn, samples[0]!.fanOut).mistakes.filter((m) => !chances.has(m.code)).map((m) => m.code);
  return { worst, short, untestable };
}

/**
 * Judges samples of one init function. Each statistic of each sample is tested at
 * alpha = falseFailure / (number of tests), so by the union bound a correct implementation
 * fails the whole check with probability at most falseFailure.
 */
export function judgeInit(init: Init, samples: InitSample[], falseFailure: number, missProbability = 1e-6): Extract<Outcome, { kind: 'graded' }> {
  const tests = samples.reduce((a, s) => a + testsPerSample(hypotheses(init, s.fanIn, s.fanOut).h0), 0);
  const alpha = falseFailure / tests;
  const guarantee = `false-failure probability ≤ ${falseFailure.toExponential(0)} for a correct implementation`;
  const { worst, short, untestable } = powerShortfall(init, samples, alpha, missProbability);
  if (short.length) {
    const [code, { text, chance, needed, at }] = short[0]!;
    const sizes = samples.map((s) => `${s.label}: ${s.values.length}`).join(', ');
    const first = text.split(':')[0]!.toLowerCase();
    const why = Number.isFinite(needed)
      ? `too small to test: at least ${needed} values (at fan_in ${at.fanIn}, fan_out ${at.fanOut}) are needed so that a sample of a named mistake passes with probability ≤ ${missProbability.toExponential(0)}`
      : `too small to test: at least 1e9 values, as at fan_in ${at.fanIn}, fan_out ${at.fanOut} the mistake is nearly the correct distribution; save a sample whose fans tell them apart`;
    return {
      kind: 'graded',
      fraction: 0,
      message: `${why}. Submitted ${sizes} values; a sample of the mistake "${first}" (${code}) would pass with probability up to ${chance.toPrecision(2)}. The check does not pass a sample it cannot tell from a wrong init.`,
      diagnoses: [{ code: 'task1.sample-too-small', text: Number.isFinite(needed) ? `Too small to test: at least ${needed} values` : 'Too small to test: more than 1e9 values at these fans' }],
    };
  }
  const power = `a sample of any named mistake passes with probability ≤ ${worst.toPrecision(2)} (rubric: ≤ ${missProbability.toExponential(0)})${untestable.length ? `; not tested, as they draw from the correct distribution at these fans: ${untestable.join(', ')}` : ''}`;
  let firstEvidence: Evidence | undefined;
  for (const sample of samples) {
    const sorted = Float64Array.from(sample.values).sort();
    const { h0, mistakes } = hypotheses(init, sample.fanIn, sample.fanOut);
    const u = unitRoundoff(sample.dtype);
    const failed = testSample(sorted, h0, alpha, u).filter((t) => !t.pass);
    firstEvidence ??= histogramEvidence(sample.label, sorted, h0);
    if (!failed.length) continue;
    const limit = acceptance(sorted.length, alpha, h0, u).ks;
    const explained = mistakes
      .map(({ code, text, dist }) => ({ diagnosis: { code, text } satisfies Diagnosis, distance: ksDistance(sorted, dist) }))
      .filter((m) => m.distance <= limit)
      .sort((a, b) => a.distance - b.distance)[0];
    return {
      kind: 'graded',
      fraction: 0,
      message: `${sample.label} (fan_in ${sample.fanIn}, fan_out ${sample.fanOut}, ${sorted.length} values) is not ${h0.name}: ${failed.map((t) => t.detail).join('; ')}. Tests at α = ${alpha.toPrecision(2)} each (${guarantee}).`,
      diagnoses: explained ? [explained.diagnosis] : undefined,
      evidence: histogramEvidence(sample.label, sorted, h0),
    };
  }
  return {
    kind: 'graded',
    evidence: firstEvidence,
    fraction: 1,
    message: `${samples.length} sample${samples.length > 1 ? 's' : ''} (${samples.map((s) => `${s.fanIn}×${s.fanOut}`).join(', ')}) match ${init === 'xavier' ? 'U(−b, b)' : 'N(0, 2/fan_in)'}: bounds, mean, second moment and KS (${guarantee}; ${power}).`,
  };
}

/** The (fanIn, fanOut) pairs a module's init functions are called with: fast-check draws them from the seed. */
export function initPairs(rubric: Rubric, seed: number): [number, number][] {
  const drawn = fc.sample(fc.tuple(fc.integer({ min: 32, max: 600 }), fc.integer({ min: 32, max: 600 })).filter(([a, b]) => a !== b), { seed, numRuns: rubric.task1.initPairs });
  return [[512, 256], ...drawn];
}

/** Flattens what a function returned: [fanOut][fanIn] or [fanIn][fanOut] nested arrays, or a flat typed array. */
function flattenMatrix(value: unknown, fanIn: number, fanOut: number): Float64Array | string {
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

/** The calls a check makes in the pair's module: `fn(fanIn, fanOut)` for each drawn pair. */
function initProbes(init: Init, rubric: Rubric, seed: number): Probe[] {
  const fn = FUNCTION[init];
  return initPairs(rubric, seed).map(([fanIn, fanOut]) => ({ key: `task1.${fn}.${fanIn}x${fanOut}`, name: fn, args: [fanIn, fanOut] }));
}

/** Samples of one init from the module's calls, or else from the .npy files hw2.json names; judged. */
function initOutcome(init: Init, input: CheckInput<'solution' | 'arrays'>): Outcome {
  const fn = FUNCTION[init];
  const samples: InitSample[] = [];
  const { solution, rubric, seed } = input;
  if (exportsFunction(solution, fn)) {
    for (const [fanIn, fanOut] of initPairs(rubric, seed)) {
      const result = solution.results[`task1.${fn}.${fanIn}x${fanOut}`];
      if (!result?.ok) return inputError(`${solution.file} ${fn}(${fanIn}, ${fanOut}) failed: ${result?.error.message ?? 'not called'}`);
      const values = flattenMatrix(result.value, fanIn, fanOut);
      if (typeof values === 'string') return inputError(`${solution.file} ${fn}(${fanIn}, ${fanOut}) returned ${values}`);
      if (values.some((v) => !Number.isFinite(v))) return { kind: 'graded', fraction: 0, message: `${solution.file} ${fn}(${fanIn}, ${fanOut}) returned NaN or ±Infinity` };
      samples.push({ label: `${fn}(${fanIn}, ${fanOut})`, fanIn, fanOut, values });
    }
  } else {
    for (const entry of input.answers.task1?.samples?.filter((s) => s.init === init) ?? []) {
      const loaded = input.arrays[entry.file];
      if (!loaded?.ok) return inputError(loaded?.message ?? `${entry.file} was not read`);
      if (loaded.array.data.length !== entry.fanIn * entry.fanOut) {
        return inputError(`${entry.file} has shape (${loaded.array.shape.join(', ')}), ${loaded.array.data.length} values; hw2.json says fan_in ${entry.fanIn} × fan_out ${entry.fanOut}`);
      }
      samples.push({ label: entry.file, fanIn: entry.fanIn, fanOut: entry.fanOut, values: loaded.array.data, dtype: loaded.array.dtype });
    }
  }
  if (!samples.length) {
    if (solution.loadError) return inputError(`${solution.loadError.message}; hw2.json names no ${init} samples either`);
    return notSubmitted(`${fn} export in solution.ts nor answers.task1.samples of init "${init}"`);
  }
  return judgeInit(init, samples, rubric.task1.initFalseFailure, rubric.task1.initMissProbability);
}

type PrintedKey = 'scaled' | 'tanh' | 'xavierTanh' | 'kaimingRelu';

/** A printed mean and std against the rubric's ranges; `diagnose` names a mistake when they are off. */
function printedOutcome(input: CheckInput<never>, key: PrintedKey, diagnose?: (std: number) => Diagnosis[] | undefined): Outcome {
  const given = input.answers.task1?.[key];
  if (!given) return notSubmitted(`answers.task1.${key}`);
  const r = input.rubric.task1[key];
  const problems: string[] = [];
  if (!(given.std >= r.std.min && given.std <= r.std.max)) problems.push(`std ${show(given.std)} is outside [${show(r.std.min)}, ${show(r.std.max)}]`);
  if (r.meanAbs !== undefined && !(Math.abs(given.mean) <= r.meanAbs)) problems.push(`|mean| ${show(Math.abs(given.mean))} is above ${show(r.meanAbs)}`);
  if (r.mean && !(given.mean >= r.mean.min && given.mean <= r.mean.max)) problems.push(`mean ${show(given.mean)} is outside [${show(r.mean.min)}, ${show(r.mean.max)}]`);
  const expected = { std: r.std, ...(r.meanAbs !== undefined ? { meanAbs: r.meanAbs } : {}), ...(r.mean ? { mean: r.mean } : {}) };
  if (!problems.length) return { kind: 'graded', fraction: 1, message: `mean ${show(given.mean)}, std ${show(given.std)}: within the accepted ranges.`, expected, actual: given };
  return { kind: 'graded', fraction: 0, message: `${problems.join('; ')}.`, diagnoses: diagnose?.(given.std), expected, actual: given };
}

const nanLayer = defineCheck({
  id: 'task1.nanLayer',
  question: 'task1',
  title: 'Task 1.1 the layer where unit-normal weights give NaN',
  kind: 'auto',
  points: 2,
  visibility: 'public',
  needs: [],
  run(input) {
    const given = input.answers.task1?.nanLayer;
    if (given === undefined) return notSubmitted('answers.task1.nanLayer');
    const { min, max } = input.rubric.task1.nanLayer;
    const expected = { min, max };
    if (given >= min && given <= max) return { kind: 'graded', fraction: 1, message: `Layer ${given}: float32 overflows near layer ${min}–${max}.`, expected, actual: given };
    return {
      kind: 'graded',
      fraction: 0,
      message: `Layer ${given} is outside ${min}–${max}: each product multiplies the scale by about sqrt(512) ≈ 22.6, so float32 (max 3.4e38) overflows near layer 28 and NaN follows.`,
      diagnoses: given < 5
        ? diagnosed('task1.nan-too-early', 'NaN this early means the check ran on the wrong tensor or the loop broke at once')
        : diagnosed('task1.nan-not-found', 'No NaN found: was the check (torch.isnan) applied to every layer\'s output?', given >= 99),
      expected, actual: given,
    };
  },
});

const products = defineCheck({
  id: 'task1.products',
  question: 'task1',
  title: 'Task 1.2 the std of a·x is close to sqrt(N)',
  kind: 'auto',
  points: 2,
  visibility: 'public',
  needs: [],
  run(input) {
    const given = input.answers.task1?.products;
    if (!given) return notSubmitted('answers.task1.products');
    const { stdRelTolerance, meanAbs } = input.rubric.task1.products;
    const sqrtN = Math.sqrt(512);
    const problems: string[] = [];
    if (!(Math.abs(given.std / sqrtN - 1) <= stdRelTolerance)) problems.push(`std ${show(given.std)} is not within ${stdRelTolerance * 100}% of sqrt(512) = ${show(sqrtN)}`);
    if (!(Math.abs(given.mean) <= meanAbs)) problems.push(`|mean| ${show(Math.abs(given.mean))} is above ${meanAbs}`);
    // sqrt(512) is computed, not sampled: judged at the digits printed (22.63 and 22.627 both are sqrt(512)).
    const printed = given.sqrtN === undefined ? undefined : judgeAtPrecision(given.sqrtN, sqrtN, input.rubric.precision);
    if (printed && !printed.ok) problems.push(`sqrt(N) printed as ${show(given.sqrtN!)}, expected ${show(sqrtN)} (${judgedAt(printed.digits)})`);
    const expected = { std: sqrtN, stdRelTolerance, meanAbs };
    if (!problems.length) return { kind: 'graded', fraction: 1, message: `std ${show(given.std)} ≈ sqrt(512) = ${show(sqrtN)}.`, expected, actual: given };
    const diagnoses = diagnosed('task1.variance-not-std', 'Printed the variance (≈ N) instead of the std (≈ sqrt(N))', Math.abs(given.std / 512 - 1) <= stdRelTolerance);
    return { kind: 'graded', fraction: 0, message: `${problems.join('; ')}.`, diagnoses, expected, actual: given };
  },
});

const inRange = (v: number, r: { min: number; max: number }) => v >= r.min && v <= r.max;

const scaled = defineCheck({
  id: 'task1.scaled',
  question: 'task1',
  title: 'Task 1.3 unit normal scaled by 1/sqrt(N): mean and std',
  kind: 'auto',
  points: 1,
  visibility: 'public',
  needs: [],
  run: (input) => printedOutcome(input, 'scaled'),
});

const tanh = defineCheck({
  id: 'task1.tanh',
  question: 'task1',
  title: 'Task 1.4 with tanh: mean and std',
  kind: 'auto',
  points: 2,
  visibility: 'public',
  needs: [],
  run: (input) => printedOutcome(input, 'tanh', (std) =>
    diagnosed('task1.tanh-not-applied', 'The std matches item 3 without tanh: was tanh applied after each layer?', inRange(std, input.rubric.task1.scaled.std))),
});

const xavierTanh = defineCheck({
  id: 'task1.xavierTanh',
  question: 'task1',
  title: 'Task 1.5 Xavier uniform with tanh: mean and std',
  kind: 'auto',
  points: 1,
  visibility: 'public',
  needs: [],
  run: (input) => printedOutcome(input, 'xavierTanh'),
});

const kaimingRelu = defineCheck({
  id: 'task1.kaimingRelu',
  question: 'task1',
  title: 'Task 1.6 Kaiming normal with ReLU: mean and std',
  kind: 'auto',
  points: 1,
  visibility: 'public',
  needs: [],
  run: (input) => printedOutcome(input, 'kaimingRelu', (std) =>
    diagnosed('task1.kaiming-std-vanished', 'The std vanished: that is what Xavier does with ReLU, not Kaiming', std < 1e-6)),
});

const xavierInit = defineCheck({
  id: 'task1.xavierInit',
  question: 'task1',
  title: 'Task 1.5 xavier_init: Xavier uniform',
  kind: 'auto',
  points: 2,
  visibility: 'public',
  needs: ['solution', 'arrays'],
  probes: (rubric, seed) => initProbes('xavier', rubric, seed),
  run: (input) => initOutcome('xavier', input),
});

const kaimingInit = defineCheck({
  id: 'task1.kaimingInit',
  question: 'task1',
  title: 'Task 1.6 kaiming_init: Kaiming normal, fan_in',
  kind: 'auto',
  points: 2,
  visibility: 'public',
  needs: ['solution', 'arrays'],
  probes: (rubric, seed) => initProbes('kaiming', rubric, seed),
  run: (input) => initOutcome('kaiming', input),
});

const explanations = defineCheck({
  id: 'task1.explanations',
  question: 'task1',
  title: 'Task 1 explanations: what happens in item 1, why tanh shrinks, Xavier with ReLU',
  kind: 'manual',
  points: 2,
  visibility: 'public',
  needs: [],
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
});

export const task1Checks = [nanLayer, products, scaled, tanh, xavierTanh, kaimingRelu, xavierInit, kaimingInit, explanations] as const;
