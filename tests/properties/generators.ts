/**
 * Generators of submissions for the grader's own property suite (tests/properties) and the
 * mutation-score bench (bench/mutation.ts). Every submission is the `correct` example
 * (solutions/correct: its hw2.json, its .npy samples, histories, notebook and file list) with
 * one edit, in one of three families:
 *
 * - rewrite: the same right answer written another way (hw2.md and the README accept it):
 *   every check must score exactly as on `correct`;
 * - mutant: one value wrong beyond the precision it is written at: the targeted check must
 *   lose points and no other check may change (but the checks a documented rule lets follow,
 *   `mayAlsoChange`);
 * - nonAnswer: zeros, copies of the inputs, one value repeated, empty or 1×1 arrays, NaN, a
 *   value of the wrong type: the targeted check must earn 0, and the grader must not crash
 *   (a wrong type is an input error with a message).
 *
 * Model evaluation is not run: Tasks 2–3's checks read the models' measurements, and the base
 * holds a measurement of each model as the harness reports it for real test data (accuracies
 * from each model's card.json, the correct example's own claims). Their mutants change the
 * measurement, the claims or the history, which is all those checks read.
 *
 * Precision (issue 15): a hand number is right when it equals the reference rounded to
 * p = max(digits written, 4) significant digits, ± one unit in the p-th digit. Rewrites round
 * the reference to p ≥ 4 digits and may add or take one unit; mutants move a value by at least
 * three units at the digits it is written at (as JSON writes it: trailing zeros dropped), by at
 * least 3e-5 of it (beyond the float tolerance for many-digit values, 1e-5 of it), and by more
 * than every tolerance the checks state.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { CHECK_IDS, REGISTRY, RUBRIC_DEFAULTS, type CheckId } from '../../checks/index.ts';
import { applyAnswerOverride, type LoadedSubmission } from '../../src/contract/load.ts';
import type { CheckResult } from '../../src/core/vocabulary.ts';
import { parseHistory } from '../../src/data/history.ts';
import { parseNpy } from '../../src/data/npy.ts';
import { gradeSubmission } from '../../src/engine/grade.ts';
import { parseNotebook } from '../../src/intake/notebook.ts';
import type { Inputs } from '../../src/registry/define.ts';
import { NO_SOLUTION } from '../../src/registry/solution-data.ts';
import { DEFAULT_RUBRIC_PATH, loadRubric } from '../../src/rubric/rubric.ts';
import { backpropFromForward, referenceQ2 } from '../../reference/q2.ts';
import { countArchitecture, summarize } from '../../reference/q6.ts';
import { projectComplement, projectReversal, randomParams, type Q5Params } from '../../reference/q5.ts';
import { makeRng } from '../../src/util/random.ts';

export const RUBRIC = loadRubric(DEFAULT_RUBRIC_PATH, RUBRIC_DEFAULTS);
const CORRECT_DIR = fileURLToPath(new URL('../../solutions/correct/', import.meta.url));
const NOTEBOOK = 'ee046211_hw2_123456782_234567891.ipynb';

// ---------------------------------------------------------------------------------------
// The base: the correct example, read once.

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Submission {
  /** hw2.json's `answers`, as raw JSON (validated by the contract when graded). */
  answers: Json;
  inputs: Inputs;
}

function listFiles(dir: string): { name: string; bytes: number }[] {
  const out: { name: string; bytes: number }[] = [];
  const walk = (sub: string) => {
    for (const e of readdirSync(join(dir, sub), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const name = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) walk(name);
      else out.push({ name, bytes: statSync(join(dir, name)).size });
    }
  };
  walk('');
  return out;
}

const card = (model: string) => JSON.parse(readFileSync(join(CORRECT_DIR, 'models', model, 'card.json'), 'utf8')) as { testAccuracy: number; params: number };

/** The measured accuracy under noise that the base reports for the CNN (the correct pair claims the same). */
const NOISE = [{ a: 0.05, accuracy: 0.8712 }, { a: 0.01, accuracy: 0.9871 }, { a: 0.005, accuracy: 0.9917 }];

function baseSubmission(): Submission {
  const answers = JSON.parse(readFileSync(join(CORRECT_DIR, 'hw2.json'), 'utf8')).answers;
  // The correct example does not print Task 3's noise accuracies (its CNN is measured on the
  // synthetic set, where the check is a TA's); on real data it would: the claims match the base's measurement.
  answers.task3.claimed.noise = NOISE.map((n) => ({ ...n }));
  const npy = (file: string) => ({ ok: true as const, array: parseNpy(readFileSync(join(CORRECT_DIR, file)), file) });
  const history = (file: string) => parseHistory(readFileSync(join(CORRECT_DIR, file), 'utf8'), file);
  const measured = (accuracy: number, params: number, inputShape: (number | null)[], noise: typeof NOISE = []) => ({
    ok: true as const,
    result: { accuracy, count: 10_000, params, inputShape, outputShape: [null, 10], noise, backend: 'TensorFlow.js wasm', synthetic: false, source: 'official test set' },
  });
  return {
    answers,
    inputs: {
      solution: NO_SOLUTION,
      arrays: { 'xavier_128_64.npy': npy('xavier_128_64.npy'), 'kaiming_128_64.npy': npy('kaiming_128_64.npy') },
      files: listFiles(CORRECT_DIR),
      notebook: parseNotebook(readFileSync(join(CORRECT_DIR, NOTEBOOK), 'utf8'), NOTEBOOK),
      models: {
        'task2.model': measured(card('mlp').testAccuracy, card('mlp').params, [null, 784]),
        'task2.reinitModel': measured(card('mlp-he').testAccuracy, card('mlp-he').params, [null, 784]),
        'task3.model': measured(answers.task3.claimed.testAccuracy, answers.task3.claimed.params, [null, 32, 32, 3], NOISE),
        'task3.augmentedModel': measured(answers.task3.claimed.augmentedTestAccuracy, answers.task3.claimed.params, [null, 32, 32, 3], NOISE),
      },
      histories: { 'history/mlp.json': history('history/mlp.json'), 'history/cnn.json': history('history/cnn.json') },
    },
  };
}

const BASE = baseSubmission();
/** A fresh copy of the base, for one edit. */
export function base(): Submission {
  return structuredClone(BASE);
}

// ---------------------------------------------------------------------------------------
// Grading in memory.

export interface Graded {
  /** Each check's score. */
  scores: Record<string, number>;
  rows: Record<string, CheckResult>;
  harnessFaults: string[];
}

/** hw2.json's answers validated part by part as the contract does, then every check of the registry. */
export function grade(sub: Submission, seed = 211): Graded {
  const loaded: LoadedSubmission = { id: 'pair', dir: CORRECT_DIR, answers: {}, problems: [], partErrors: {}, warnings: [], hash: 'h', group: { ids: ['123456782', '234567891'] }, files: sub.inputs.files };
  applyAnswerOverride(loaded, sub.answers, 'hw2.json');
  const { result, harnessFaults } = gradeSubmission(loaded, REGISTRY, RUBRIC, { mode: 'grade', seed, inputs: sub.inputs });
  return { scores: Object.fromEntries(result.checks.map((c) => [c.id, c.score])), rows: Object.fromEntries(result.checks.map((c) => [c.id, c])), harnessFaults };
}

let baseline: Graded | undefined;
/** The correct example's grade: what every rewrite must score. */
export function baselineGrade(): Graded {
  return (baseline ??= grade(base()));
}

// ---------------------------------------------------------------------------------------
// Numbers at a precision.

const REF_Q2 = referenceQ2(RUBRIC.q2.instance);
const FLOOR_DIGITS = 4;

/** One unit in the p-th significant digit of x. */
export const unitAt = (x: number, p: number) => 10 ** (Math.floor(Math.log10(Math.abs(x))) - p + 1);
/** x rounded to p significant digits, plus k units in the p-th digit, as the number JSON would carry. */
export const atPrecision = (x: number, p: number, k = 0) => Number((Number(x.toPrecision(p)) + k * unitAt(x, p)).toPrecision(p + 1));

/** The significant digits a number carries as JSON writes it (0.19999 → 5: trailing zeros are not written). */
export const writtenDigits = (x: number) => Math.abs(x).toExponential().split('e')[0]!.replace('.', '').length;

/**
 * x rounded to p digits and moved by at least n units, and on until it is wrong at the digits
 * it is written at: more than 2 units off at max(written digits, 4), and at least 3e-5 of x off
 * (beyond the float tolerance for values with many digits, 1e-5 of them). 0.199996 − 6 units is
 * 0.19999, which JSON writes at 5 digits, where it is one unit from 0.2: not yet a mistake.
 */
export function beyondPrecision(x: number, p: number, n: number, up: boolean): number {
  for (let k = n; ; k++) {
    const v = atPrecision(x, p, up ? k : -k);
    const off = Math.abs(v - x);
    if (off > 2.5 * unitAt(x, Math.max(writtenDigits(v), FLOOR_DIGITS)) && off >= 3e-5 * Math.abs(x)) return v;
  }
}

/** A right value written at p ≥ 4 digits, ± at most one unit. */
const rounded = (x: number) => fc.tuple(fc.integer({ min: FLOOR_DIGITS, max: 9 }), fc.integer({ min: -1, max: 1 })).map(([p, k]) => atPrecision(x, p, k));
/**
 * A value off by 3 to 9 units at 4 to 6 digits, and by at least `minRel` of it: beyond the written
 * precision and every stated tolerance.
 */
const offBy = (x: number, minRel: number) => fc.tuple(fc.integer({ min: FLOOR_DIGITS, max: 6 }), fc.integer({ min: 3, max: 9 }), fc.boolean(), fc.double({ min: 1, max: 3, noNaN: true }))
  .map(([p, k, up, f]) => {
    const units = beyondPrecision(x, p, k, up);
    const far = x * (1 + (up ? 1 : -1) * minRel * f);
    return Math.abs(units - x) >= Math.abs(far - x) ? units : atPrecision(far, 9);
  });

/** Every object's keys in another order (JSON objects are unordered). */
function shuffleKeys(value: Json, seed: number): Json {
  const rng = makeRng(seed);
  const walk = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [keys[i], keys[j]] = [keys[j]!, keys[i]!];
    }
    return Object.fromEntries(keys.map((k) => [k, walk(v[k])]));
  };
  return walk(value);
}

// ---------------------------------------------------------------------------------------
// Variants.

export type Family = 'rewrite' | 'mutant' | 'nonAnswer';
export const FAMILIES: readonly Family[] = ['rewrite', 'mutant', 'nonAnswer'];

export interface Variant {
  /** The check the edit is about. */
  target: CheckId;
  family: Family;
  /** What was done, for a failing property's counterexample and the bench. */
  label: string;
  sub: Submission;
  /** Checks a documented rule lets change too (a wrong type costs the question's automatic checks). */
  mayAlsoChange?: CheckId[];
  /**
   * How the check catches this mutant when not by points: a claim the rubric does not score
   * (Task 2's accuracy claim) is caught by an integrity diagnosis with this code.
   */
  caughtByDiagnosis?: string;
}

type Edit = { label: string; apply: (s: Submission) => void; mayAlsoChange?: CheckId[]; caughtByDiagnosis?: string };
const edit = (label: string, apply: (s: Submission) => void, extra: Omit<Edit, 'label' | 'apply'> = {}): Edit => ({ label, apply, ...extra });

const questionChecks = (q: string) => CHECK_IDS.filter((id) => id.startsWith(`${q}.`) && REGISTRY.find((c) => c.id === id)!.kind === 'auto');
/** A value of the wrong type makes the question's part unreadable: every automatic check of it is an input error. */
const wrongType = (id: CheckId, label: string, apply: (s: Submission) => void) => edit(label, apply, { mayAlsoChange: questionChecks(id.split('.')[0]!) });

const Q2_WEIGHTS = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'w9', 'w10'] as const;
const FORWARD = ['h1', 'h2', 'o1', 'o2', 'E'] as const;
const weightKey = fc.constantFrom(...Q2_WEIGHTS);

/** The reference's Q2 values, each rounded to its own p ≥ 4 digits. */
const q2Rounded = (part: 'forward' | 'gradients' | 'updated', keys: readonly string[]) =>
  fc.tuple(...keys.map((k) => rounded((REF_Q2[part] as Record<string, number>)[k]!))).map((vs) => Object.fromEntries(keys.map((k, i) => [k, vs[i]])));

// Q5: parameters that obey a constraint, rounded (symmetric entries round alike).
const q5Params = (project: (p: Q5Params) => Q5Params) => fc.tuple(fc.integer({ min: 0, max: 2 ** 30 }), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 4, max: 9 }))
  .map(([seed, d, p]) => {
    const rng = makeRng(seed);
    const params = project(randomParams(d, () => rng.normal()));
    const round = (x: number) => Number(x.toPrecision(p));
    return { W1: params.W1.map((a) => a.map((b) => b.map((c) => c.map(round)))), W2: params.W2.map((a) => a.map(round)) };
  });

const Q6_REF = countArchitecture(RUBRIC.q6.input, RUBRIC.q6.layers);
const Q6_SUMMARY = summarize(Q6_REF);
const dimForms: ((d: number[]) => string | number[])[] = [
  (d) => d.join('x'), (d) => d.join(' x '), (d) => d.join('×'), (d) => d.join(' × '), (d) => d.join('X'), (d) => d.join('*'), (d) => d.join(', '), (d) => [...d],
];
const layerForms: ((name: string) => string)[] = [(n) => n, (n) => n.toLowerCase(), (n) => n.replace('-', ' '), (n) => n.replace('-', '_').toLowerCase()];

// Task 1's ranges, read from the rubric.
const T1 = RUBRIC.task1;
const inside = (r: { min: number; max: number }) => fc.double({ min: r.min + 0.01 * (r.max - r.min), max: r.max - 0.01 * (r.max - r.min), noNaN: true }).chain((x) => rounded(x));

/** NumPy's float16 rounding (round to nearest even), for values in the normal range. */
function toHalfBits(x: number): number {
  const f32 = new Float32Array([x]);
  const bits = new Uint32Array(f32.buffer)[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exp = ((bits >>> 23) & 0xff) - 127 + 15;
  let mant = bits & 0x7fffff;
  if (exp <= 0) {
    // subnormal half
    if (exp < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - exp;
    let half = mant >> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (exp << 10) | (mant >> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}

/** A .npy v1.0 file as np.save writes it (NumPy's format description), of any float dtype and byte order. */
export function npyBytes(values: ArrayLike<number>, shape: number[], dtype: 'f2' | 'f4' | 'f8', order: '<' | '>' = '<', fortran = false): Buffer {
  let header = `{'descr': '${order}${dtype}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const size = { f2: 2, f4: 4, f8: 8 }[dtype];
  const body = Buffer.alloc(values.length * size);
  const le = order === '<';
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (dtype === 'f2') le ? body.writeUInt16LE(toHalfBits(v), 2 * i) : body.writeUInt16BE(toHalfBits(v), 2 * i);
    else if (dtype === 'f4') le ? body.writeFloatLE(v, 4 * i) : body.writeFloatBE(v, 4 * i);
    else le ? body.writeDoubleLE(v, 8 * i) : body.writeDoubleBE(v, 8 * i);
  }
  const len = Buffer.alloc(2);
  len.writeUInt16LE(header.length);
  return Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0]), len, Buffer.from(header, 'latin1'), body]);
}

type Init = 'xavier' | 'kaiming';
const SAMPLE_FILE = { xavier: 'xavier_128_64.npy', kaiming: 'kaiming_128_64.npy' } as const;
const sampleIndex = (init: Init) => (init === 'xavier' ? 0 : 1);

/** A fresh sample of `draw` saved as .npy with the given dtype and orientation, read back by the harness's reader. */
function putSample(s: Submission, init: Init, fanIn: number, fanOut: number, draw: (rng: ReturnType<typeof makeRng>) => number, seed: number,
  dtype: 'f2' | 'f4' | 'f8', order: '<' | '>', transposed: boolean) {
  const rng = makeRng(seed);
  const values = Float64Array.from({ length: fanIn * fanOut }, () => draw(rng));
  const file = `${init}_${fanIn}_${fanOut}.npy`;
  const shape = transposed ? [fanIn, fanOut] : [fanOut, fanIn];
  s.inputs.arrays[file] = { ok: true, array: parseNpy(npyBytes(values, shape, dtype, order), file) };
  s.answers.task1.samples[sampleIndex(init)] = { init, fanIn, fanOut, file };
}

const xavierDraw = (fanIn: number, fanOut: number) => {
  const b = Math.sqrt(6 / (fanIn + fanOut));
  return (rng: ReturnType<typeof makeRng>) => -b + 2 * b * rng.next();
};
const normalDraw = (sd: number) => (rng: ReturnType<typeof makeRng>) => sd * rng.normal();
const dtypeArb = fc.constantFrom('f2' as const, 'f4' as const, 'f8' as const);
const orderArb = fc.constantFrom('<' as const, '>' as const);
const seedArb = fc.integer({ min: 0, max: 2 ** 30 });

/** A history's loss series written as a file of another form, read back by the harness's reader. */
function historyAs(losses: number[], form: 'rows' | 'series' | 'csv', file: string) {
  const text = form === 'rows' ? JSON.stringify(losses.map((loss, i) => ({ epoch: i + 1, loss })))
    : form === 'series' ? JSON.stringify({ loss: losses })
      : `epoch,loss\n${losses.map((l, i) => `${i + 1},${l}`).join('\n')}\n`;
  return parseHistory(text, file);
}
const baseLoss = (file: string) => {
  const h = BASE.inputs.histories[file]!;
  if (!h.ok) throw new Error(`${file}: ${h.message}`);
  return h.history.series.loss!;
};
function setHistory(s: Submission, task: 'task2' | 'task3', losses: number[], form: 'rows' | 'series' | 'csv' = 'rows') {
  const file = `history/${task === 'task2' ? 'mlp' : 'cnn'}.${form === 'csv' ? 'csv' : 'json'}`;
  s.answers[task].history = file;
  s.inputs.histories[file] = historyAs(losses, form, file);
}

function setMeasured(s: Submission, key: string, change: (r: Json) => void) {
  const m = s.inputs.models[key]!;
  if (m.ok) change(m.result);
}

// ---------------------------------------------------------------------------------------
// The generators, per check.

type Generators = Partial<Record<Family, fc.Arbitrary<Edit>>>;

const printed = (key: 'scaled' | 'tanh' | 'xavierTanh' | 'kaimingRelu', id: CheckId): Generators => {
  const r = T1[key] as { std: { min: number; max: number }; meanAbs?: number; mean?: { min: number; max: number } };
  const meanRange = r.mean ?? { min: -(r.meanAbs ?? 0), max: r.meanAbs ?? 0 };
  return {
    rewrite: fc.tuple(inside(r.std), inside(meanRange)).map(([std, mean]) => edit(`task1.${key} = mean ${mean}, std ${std}`, (s) => { s.answers.task1[key] = { mean, std }; })),
    mutant: fc.oneof(
      fc.double({ min: 1.05, max: 10, noNaN: true }).map((f) => edit(`task1.${key}.std above its range ×${f.toFixed(3)}`, (s) => { s.answers.task1[key].std = atPrecision(r.std.max * f, 4); })),
      fc.double({ min: 0.1, max: 0.95, noNaN: true }).map((f) => edit(`task1.${key}.std below its range ×${f.toFixed(3)}`, (s) => { s.answers.task1[key].std = atPrecision(r.std.min * f, 4); })),
      fc.double({ min: 1.05, max: 10, noNaN: true }).map((f) => edit(`task1.${key}.mean beyond its range ×${f.toFixed(3)}`, (s) => { s.answers.task1[key].mean = atPrecision((Math.abs(meanRange.max) || 1) * f, 4); })),
    ),
    nonAnswer: fc.oneof(
      fc.constant(edit(`task1.${key} all 0`, (s) => { s.answers.task1[key] = { mean: 0, std: 0 }; })),
      fc.constant(wrongType(id, `task1.${key}.std as a string`, (s) => { s.answers.task1[key].std = String(s.answers.task1[key].std); })),
      fc.constant(wrongType(id, `task1.${key}.std NaN`, (s) => { s.answers.task1[key].std = NaN; })),
    ),
  };
};

const initGenerators = (init: Init, id: CheckId): Generators => {
  const correctDraw = (fanIn: number, fanOut: number) => (init === 'xavier' ? xavierDraw(fanIn, fanOut) : normalDraw(Math.sqrt(2 / fanIn)));
  const mistakes: [string, (fanIn: number, fanOut: number) => (rng: ReturnType<typeof makeRng>) => number][] = init === 'xavier'
    ? [
      ['Xavier from a normal', (i, o) => normalDraw(Math.sqrt(2 / (i + o)))],
      ['bound without sqrt', (i, o) => { const b = 6 / (i + o); return (rng) => -b + 2 * b * rng.next(); }],
      ['not centred', (i, o) => { const b = Math.sqrt(6 / (i + o)); return (rng) => b * rng.next(); }],
      ['variance as bound', (i, o) => { const b = 2 / (i + o); return (rng) => -b + 2 * b * rng.next(); }],
    ]
    : [
      ['fan_out', (_i, o) => normalDraw(Math.sqrt(2 / o))],
      ['no factor 2', (i) => normalDraw(Math.sqrt(1 / i))],
      ['variance as std', (i) => normalDraw(2 / i)],
      ['Kaiming uniform', (i) => { const b = Math.sqrt(6 / i); return (rng) => -b + 2 * b * rng.next(); }],
      ['Xavier variance', (i, o) => normalDraw(Math.sqrt(2 / (i + o)))],
    ];
  const fans = fc.constantFrom([128, 64], [256, 128]);
  const put = (s: Submission, file: string, values: ArrayLike<number>, shape: number[], dtype: 'f2' | 'f4' | 'f8' = 'f4') => {
    s.inputs.arrays[file] = { ok: true, array: parseNpy(npyBytes(values, shape, dtype), file) };
  };
  return {
    rewrite: fc.tuple(fans, seedArb, dtypeArb, orderArb, fc.boolean()).map(([[i, o], seed, dtype, order, t]) =>
      edit(`${init} ${i}×${o} drawn with seed ${seed}, ${order}${dtype}, ${t ? 'fan_in × fan_out' : 'fan_out × fan_in'}`, (s) => putSample(s, init, i!, o!, correctDraw(i!, o!), seed, dtype, order, t))),
    mutant: fc.tuple(fc.constantFrom(...mistakes), seedArb, dtypeArb).map(([[name, draw], seed, dtype]) =>
      edit(`${init} sample of the mistake "${name}" (128×64, seed ${seed}, ${dtype})`, (s) => putSample(s, init, 128, 64, draw(128, 64), seed, dtype, '<', false))),
    nonAnswer: fc.oneof(
      fc.constant(edit(`${init} sample all 0`, (s) => put(s, SAMPLE_FILE[init], new Float64Array(8192), [64, 128]))),
      fc.double({ min: -1, max: 1, noNaN: true }).map((c) => edit(`${init} sample one value ${c} repeated`, (s) => put(s, SAMPLE_FILE[init], new Float64Array(8192).fill(c), [64, 128]))),
      fc.constant(edit(`${init} sample 1×1 (hw2.json says 1×1)`, (s) => {
        put(s, 'one.npy', [0.1], [1, 1]);
        s.answers.task1.samples[sampleIndex(init)] = { init, fanIn: 1, fanOut: 1, file: 'one.npy' };
      })),
      fc.constant(edit(`${init} sample 2×1 of ones`, (s) => {
        put(s, 'two.npy', [1, 1], [1, 2]);
        s.answers.task1.samples[sampleIndex(init)] = { init, fanIn: 2, fanOut: 1, file: 'two.npy' };
      })),
      fc.constant(edit(`${init} sample empty (shape (0,))`, (s) => put(s, SAMPLE_FILE[init], [], [0]))),
      fc.constant(edit(`${init} sample of NaN`, (s) => put(s, SAMPLE_FILE[init], new Float64Array(8192).fill(NaN), [64, 128]))),
      fc.constant(edit(`${init} sample is not a float .npy`, (s) => {
        s.inputs.arrays[SAMPLE_FILE[init]] = { ok: false, message: `${SAMPLE_FILE[init]}: dtype '<i8' is not supported; save float16, float32 or float64` };
      })),
      fc.constant(edit(`${init} sample is a copy of the other init's`, (s) => {
        const other = SAMPLE_FILE[init === 'xavier' ? 'kaiming' : 'xavier'];
        s.inputs.arrays[SAMPLE_FILE[init]] = structuredClone(s.inputs.arrays[other]!);
      })),
    ),
  };
};

const curvesGenerators = (task: 'task2' | 'task3'): Generators => {
  const file = task === 'task2' ? 'history/mlp.json' : 'history/cnn.json';
  const losses = baseLoss(file);
  return {
    rewrite: fc.tuple(fc.constantFrom('rows' as const, 'series' as const, 'csv' as const), fc.integer({ min: 4, max: 9 })).map(([form, p]) =>
      edit(`${task} history as ${form}, losses at ${p} digits`, (s) => setHistory(s, task, losses.map((l) => Number(l.toPrecision(p))), form))),
    mutant: fc.oneof(
      fc.constant(edit(`${task} history: the running loss never reset (a running sum over epochs)`, (s) => setHistory(s, task, losses.map((_, i) => losses.slice(0, i + 1).reduce((a, b) => a + b, 0))))),
      fc.constant(edit(`${task} history: the loss rises (the series reversed)`, (s) => setHistory(s, task, [...losses].reverse()))),
    ),
    nonAnswer: fc.oneof(
      fc.double({ min: 0.01, max: 3, noNaN: true }).map((c) => edit(`${task} history: one loss value ${c} repeated`, (s) => setHistory(s, task, losses.map(() => c)))),
      fc.constant(edit(`${task} history: all 0`, (s) => setHistory(s, task, losses.map(() => 0)))),
      fc.constant(edit(`${task} history: one point`, (s) => setHistory(s, task, [losses[0]!]))),
      fc.constant(edit(`${task} history: NaN losses`, (s) => setHistory(s, task, losses.map(() => NaN)))),
      fc.constant(edit(`${task} history: empty`, (s) => { s.inputs.histories[s.answers[task].history] = parseHistory('[]', s.answers[task].history); })),
    ),
  };
};

const claimForms = (x: number) => fc.tuple(fc.boolean(), fc.integer({ min: 3, max: 6 })).map(([pct, p]) => (pct ? atPrecision(100 * x, p) : atPrecision(x, p)));

export const GENERATORS: Partial<Record<CheckId, Generators>> = {
  'q2.forward': {
    rewrite: q2Rounded('forward', FORWARD).map((f) => edit(`q2.forward rounded: ${JSON.stringify(f)}`, (s) => { s.answers.q2.forward = f; })),
    mutant: fc.tuple(fc.constantFrom(...FORWARD), fc.constant(0)).chain(([k]) => offBy(REF_Q2.forward[k], 0.01).map((v) => edit(`q2.forward.${k} = ${v}`, (s) => { s.answers.q2.forward[k] = v; }))),
    nonAnswer: fc.oneof(
      fc.constant(edit('q2.forward all 0', (s) => { s.answers.q2.forward = { h1: 0, h2: 0, o1: 0, o2: 0, E: 0 }; })),
      fc.double({ min: 0.05, max: 0.95, noNaN: true }).map((c) => edit(`q2.forward one value ${c} repeated`, (s) => { s.answers.q2.forward = { h1: c, h2: c, o1: c, o2: c, E: c }; })),
      fc.constant(edit('q2.forward outputs copied from the targets', (s) => { s.answers.q2.forward = { h1: 0.5, h2: 0.5, o1: RUBRIC.q2.instance.t[0], o2: RUBRIC.q2.instance.t[1], E: 0 }; })),
      fc.constant(wrongType('q2.forward', 'q2.forward.E as a string', (s) => { s.answers.q2.forward.E = String(s.answers.q2.forward.E); })),
      fc.constant(wrongType('q2.forward', 'q2.forward.E NaN', (s) => { s.answers.q2.forward.E = NaN; })),
    ),
  },
  'q2.gradients': {
    rewrite: fc.tuple(q2Rounded('gradients', Q2_WEIGHTS), fc.boolean()).map(([g, biases]) => edit(`q2.gradients rounded${biases ? ', with b1, b2' : ''}`, (s) => {
      s.answers.q2.gradients = biases ? { ...g, b1: atPrecision(REF_Q2.gradients.b1, 6), b2: atPrecision(REF_Q2.gradients.b2, 6) } : g;
    })),
    mutant: fc.oneof(
      fc.tuple(weightKey, fc.constant(0)).chain(([k]) => offBy(REF_Q2.gradients[k], 0.02).map((v) => edit(`q2.gradients.${k} = ${v}`, (s) => { s.answers.q2.gradients[k] = v; }))),
      weightKey.map((k) => edit(`q2.gradients.${k} with its sign flipped`, (s) => { s.answers.q2.gradients[k] = -s.answers.q2.gradients[k]; })),
      fc.constantFrom('w1', 'w2', 'w3', 'w4', 'w5', 'w6').map((k) => edit(`q2.gradients.${k} computed with the already-updated output weights`, (s) => {
        const g = backpropFromForward(RUBRIC.q2.instance, REF_Q2.updated, REF_Q2.forward);
        s.answers.q2.gradients[k] = atPrecision(g[k as 'w1'], 6);
      })),
    ),
    nonAnswer: fc.oneof(
      fc.constant(edit('q2.gradients all 0', (s) => { s.answers.q2.gradients = Object.fromEntries(Q2_WEIGHTS.map((k) => [k, 0])); })),
      fc.constant(edit('q2.gradients copied from the initial weights', (s) => { s.answers.q2.gradients = Object.fromEntries(Q2_WEIGHTS.map((k) => [k, RUBRIC.q2.instance.weights[k]])); })),
      fc.double({ min: 0.001, max: 1, noNaN: true }).map((c) => edit(`q2.gradients one value ${c} repeated`, (s) => { s.answers.q2.gradients = Object.fromEntries(Q2_WEIGHTS.map((k) => [k, c])); })),
      fc.constant(wrongType('q2.gradients', 'q2.gradients.w1 as a string', (s) => { s.answers.q2.gradients.w1 = String(s.answers.q2.gradients.w1); })),
    ),
  },
  'q2.update': {
    rewrite: fc.tuple(q2Rounded('updated', Q2_WEIGHTS), fc.constantFrom('none', 'updated', 'fixed')).map(([u, biases]) => edit(`q2.updated rounded, biases ${biases}`, (s) => {
      if (biases === 'updated') {
        s.answers.q2.gradients = { ...s.answers.q2.gradients, b1: atPrecision(REF_Q2.gradients.b1, 6), b2: atPrecision(REF_Q2.gradients.b2, 6) };
        s.answers.q2.updated = { ...u, b1: atPrecision(REF_Q2.updated.b1, 9), b2: atPrecision(REF_Q2.updated.b2, 9) };
      } else s.answers.q2.updated = biases === 'fixed' ? { ...u, b1: 0.5, b2: 0.5 } : u;
    })),
    mutant: fc.oneof(
      fc.tuple(weightKey, fc.constantFrom(-1, 0.1, 2, 10)).map(([k, m]) => edit(`q2.updated.${k} = w − ${m}·α·g`, (s) => {
        s.answers.q2.updated[k] = atPrecision(RUBRIC.q2.instance.weights[k] - m * RUBRIC.q2.instance.alpha * REF_Q2.gradients[k], 9);
      })),
      fc.tuple(weightKey, fc.integer({ min: 4, max: 6 }), fc.integer({ min: 3, max: 9 }), fc.boolean()).map(([k, p, n, up]) => {
        const v = beyondPrecision(REF_Q2.updated[k], p, n, up);
        return edit(`q2.updated.${k} = ${v} (the reference at ${p} digits, ${up ? '+' : '−'}${n} units or more)`, (s) => { s.answers.q2.updated[k] = v; });
      }),
    ),
    nonAnswer: fc.oneof(
      fc.constant(edit('q2.updated copied from the initial weights (no step)', (s) => { s.answers.q2.updated = Object.fromEntries(Q2_WEIGHTS.map((k) => [k, RUBRIC.q2.instance.weights[k]])); })),
      fc.constant(edit('q2.updated all 0', (s) => { s.answers.q2.updated = Object.fromEntries(Q2_WEIGHTS.map((k) => [k, 0])); })),
      fc.constant(edit('q2.updated copied from the gradients', (s) => { s.answers.q2.updated = { ...s.answers.q2.gradients }; })),
      fc.double({ min: 0.01, max: 1, noNaN: true }).map((c) => edit(`q2.updated one value ${c} repeated`, (s) => { s.answers.q2.updated = Object.fromEntries(Q2_WEIGHTS.map((k) => [k, c])); })),
      fc.constant(wrongType('q2.update', 'q2.updated.w1 as a string', (s) => { s.answers.q2.updated.w1 = String(s.answers.q2.updated.w1); })),
    ),
  },
  'q3.types': {
    rewrite: seedArb.map((seed) => edit(`q3 keys reordered (seed ${seed})`, (s) => { s.answers.q3 = shuffleKeys(s.answers.q3, seed); })),
    mutant: fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 1, max: 2 })).map(([p, shift]) => edit(`q3.${p}.type another type`, (s) => {
      const types = ['model-wise', 'epoch-wise', 'sample-wise'];
      s.answers.q3[p].type = types[(types.indexOf(s.answers.q3[p].type) + shift) % 3];
    })),
    nonAnswer: fc.oneof(
      fc.constant(wrongType('q3.types', 'q3 types not one of the three names ("double descent")', (s) => { for (const p of ['a', 'b', 'c']) s.answers.q3[p].type = 'double descent'; })),
      fc.constant(edit('q3 every plot the same type', (s) => { for (const p of ['a', 'b', 'c']) s.answers.q3[p].type = 'model-wise'; }, { mayAlsoChange: [] })),
    ),
  },
  'q3.critical': {
    rewrite: fc.tuple(...(['a', 'b', 'c'] as const).map((p) => fc.integer({ min: RUBRIC.q3.key![p].critical.min, max: RUBRIC.q3.key![p].critical.max }))).map((v) =>
      edit(`q3 critical points ${v.join(', ')}`, (s) => { ['a', 'b', 'c'].forEach((p, i) => { s.answers.q3[p].criticalPoint = v[i]; }); })),
    mutant: fc.tuple(fc.constantFrom('a' as const, 'b' as const, 'c' as const), fc.boolean(), fc.double({ min: 1.2, max: 20, noNaN: true })).map(([p, up, f]) => edit(`q3.${p}.criticalPoint outside the key`, (s) => {
      const r = RUBRIC.q3.key![p].critical;
      s.answers.q3[p].criticalPoint = atPrecision(up ? r.max * f : r.min / f, 4);
    })),
    nonAnswer: fc.oneof(
      fc.constant(edit('q3 critical points all 0', (s) => { for (const p of ['a', 'b', 'c']) s.answers.q3[p].criticalPoint = 0; })),
      fc.constant(wrongType('q3.critical', 'q3 critical points as strings', (s) => { for (const p of ['a', 'b', 'c']) s.answers.q3[p].criticalPoint = String(s.answers.q3[p].criticalPoint); })),
    ),
  },
  'q4.expectation': {
    rewrite: rounded(0.5).map((v) => edit(`q4.expectation = ${v}`, (s) => { s.answers.q4.expectation = v; })),
    mutant: fc.oneof(
      fc.constantFrom(1, 0.25, 0.3989, 0.7071).map((v) => edit(`q4.expectation = ${v}`, (s) => { s.answers.q4.expectation = v; })),
      offBy(0.5, 0.01).map((v) => edit(`q4.expectation = ${v}`, (s) => { s.answers.q4.expectation = v; })),
    ),
    nonAnswer: fc.oneof(
      fc.constant(edit('q4.expectation 0', (s) => { s.answers.q4.expectation = 0; })),
      fc.constant(wrongType('q4.expectation', 'q4.expectation as a string', (s) => { s.answers.q4.expectation = '0.5'; })),
      fc.constant(wrongType('q4.expectation', 'q4.expectation NaN', (s) => { s.answers.q4.expectation = NaN; })),
    ),
  },
  'q4.sigma': {
    rewrite: fc.oneof(
      fc.constantFrom('sqrt(2/d)', 'sqrt(2 / d)', 'sqrt(2)/sqrt(d)', '(2/d)^0.5', '(2/d)^(1/2)', '1/sqrt(d/2)', 'sqrt(2)*d^(-1/2)', 'sqrt(2) * d^-0.5', 'sqrt(2.0/d)')
        .map((e) => edit(`q4.sigma = "${e}"`, (s) => { s.answers.q4.sigma = e; })),
      fc.tuple(fc.integer({ min: 5, max: 9 }), fc.constantFrom('/sqrt(d)', ' / sqrt(d)', '*d^(-0.5)', '/d^0.5')).map(([p, rest]) => {
        const e = `${Number(Math.SQRT2.toPrecision(p))}${rest}`;
        return edit(`q4.sigma = "${e}"`, (s) => { s.answers.q4.sigma = e; });
      }),
      fc.tuple(fc.integer({ min: 4, max: 9 }), fc.constantFrom('/sqrt(d)', '*d^(-0.5)')).map(([p, rest]) => {
        const e = `${Number(Math.SQRT2.toPrecision(p)).toFixed(p - 1)}${rest}`;
        return edit(`q4.sigma = "${e}" (constant at ${p} digits)`, (s) => { s.answers.q4.sigma = e; });
      }),
      fc.integer({ min: 4, max: 9 }).map((p) => {
        const e = `sqrt(${(2).toFixed(p - 1)}/d)`;
        return edit(`q4.sigma = "${e}"`, (s) => { s.answers.q4.sigma = e; });
      }),
    ),
    mutant: fc.oneof(
      fc.constantFrom('2/d', 'sqrt(1/d)', '1/d', 'sqrt(2)/d', 'sqrt(d/2)', 'sqrt(4/d)', '1/sqrt(2*d)', 'sqrt(2/(d+1))')
        .map((e) => edit(`q4.sigma = "${e}"`, (s) => { s.answers.q4.sigma = e; })),
      offBy(Math.SQRT2, 0.002).map((c) => edit(`q4.sigma = "${c}/sqrt(d)"`, (s) => { s.answers.q4.sigma = `${c}/sqrt(d)`; })),
    ),
    nonAnswer: fc.oneof(
      fc.constantFrom('0', '1', 'd', '', 'sigma', 'NaN', 'sqrt(2/x)', '0*d').map((e) => edit(`q4.sigma = "${e}"`, (s) => { s.answers.q4.sigma = e; })),
      fc.constant(edit('q4.sigma the number 0', (s) => { s.answers.q4.sigma = 0; })),
      fc.constant(wrongType('q4.sigma', 'q4.sigma as an array', (s) => { s.answers.q4.sigma = ['sqrt(2/d)']; })),
    ),
  },
  'q5.invariances': {
    rewrite: fc.boolean().map((rev) => edit(`q5.invariances ${rev ? 'reversed' : 'as given'}`, (s) => { if (rev) s.answers.q5.invariances.reverse(); })),
    mutant: fc.oneof(
      fc.integer({ min: 0, max: 1 }).map((i) => edit(`q5.invariances without ${i}`, (s) => { s.answers.q5.invariances.splice(i, 1); })),
      fc.constantFrom('sign-flip', 'input-permutation').map((x) => edit(`q5.invariances plus ${x}`, (s) => { s.answers.q5.invariances.push(x); })),
    ),
    nonAnswer: fc.oneof(
      fc.constant(edit('q5.invariances empty', (s) => { s.answers.q5.invariances = []; })),
      fc.constant(edit('q5.invariances every name offered', (s) => { s.answers.q5.invariances = ['hidden-permutation', 'positive-rescaling', 'sign-flip', 'input-permutation']; })),
      fc.constant(wrongType('q5.invariances', 'q5.invariances a string', (s) => { s.answers.q5.invariances = 'hidden-permutation'; })),
    ),
  },
  'q5.reversal': q5Generators('reversal'),
  'q5.complement': q5Generators('complement'),
  'q5.scaleEffect': {
    rewrite: seedArb.map((seed) => edit(`q5 keys reordered (seed ${seed})`, (s) => { s.answers.q5 = shuffleKeys(s.answers.q5, seed); })),
    mutant: fc.constantFrom('flips-sign', 'depends-on-c').map((v) => edit(`q5.scaleEffect = ${v}`, (s) => { s.answers.q5.scaleEffect = v; })),
    nonAnswer: fc.constantFrom('', 'None', 'yes').map((v) => wrongType('q5.scaleEffect', `q5.scaleEffect = "${v}"`, (s) => { s.answers.q5.scaleEffect = v; })),
  },
  'q6.table': {
    rewrite: fc.tuple(fc.constantFrom(...dimForms), fc.constantFrom(...layerForms), fc.boolean()).map(([dim, layer, withInput]) =>
      edit(`q6 rows as ${JSON.stringify(dim([7, 7, 512]))}, ${layer('CONV3-64')}, ${withInput ? 'with' : 'without'} INPUT`, (s) => {
        const rows = Q6_REF.map((r) => ({ layer: layer(r.layer), output: dim(r.output), params: r.params }));
        s.answers.q6.rows = withInput ? rows : rows.slice(1);
      })),
    mutant: fc.oneof(
      fc.tuple(fc.integer({ min: 1, max: Q6_REF.length - 1 }), fc.integer({ min: 1, max: 9 }), fc.boolean()).filter(([i]) => Q6_REF[i]!.params > 0)
        .map(([i, k, up]) => edit(`q6 row ${i} params ${up ? '+' : '−'}${k}`, (s) => { s.answers.q6.rows[i].params += up ? k : -k; })),
      fc.tuple(fc.integer({ min: 1, max: Q6_REF.length - 1 }), fc.constantFrom(0, 1, 2)).map(([i, axis]) => edit(`q6 row ${i} output dimension ${axis} doubled`, (s) => {
        const d = [...Q6_REF[i]!.output];
        if (axis >= d.length) d[d.length - 1] = d[d.length - 1]! * 2; else d[axis] = d[axis]! * 2;
        s.answers.q6.rows[i].output = d.join('x');
      })),
      fc.integer({ min: 1, max: Q6_REF.length - 1 }).filter((i) => Q6_REF[i]!.params === 0).map((i) => edit(`q6 row ${i} (${Q6_REF[i]!.layer}) given parameters`, (s) => { s.answers.q6.rows[i].params = 1000; })),
    ),
    nonAnswer: fc.oneof(
      fc.constant(edit('q6 rows empty', (s) => { s.answers.q6.rows = []; })),
      fc.constant(edit('q6 rows all 0', (s) => { s.answers.q6.rows = Q6_REF.map((r) => ({ layer: r.layer, output: '0', params: 0 })); })),
      fc.constant(edit('q6 rows every cell the input', (s) => { s.answers.q6.rows = Q6_REF.map((r) => ({ layer: r.layer, output: '224x224x3', params: 0 })); })),
      fc.constant(wrongType('q6.table', 'q6 params as strings', (s) => { for (const r of s.answers.q6.rows) r.params = String(r.params); })),
    ),
  },
  'q6.total': {
    rewrite: seedArb.map((seed) => edit(`q6 keys reordered (seed ${seed})`, (s) => { s.answers.q6 = shuffleKeys(s.answers.q6, seed); })),
    mutant: fc.oneof(
      fc.tuple(fc.integer({ min: 1, max: 1_000_000 }), fc.boolean()).map(([k, up]) => edit(`q6.total ${up ? '+' : '−'}${k}`, (s) => { s.answers.q6.total += up ? k : -k; })),
      fc.constantFrom(...Q6_REF.filter((r) => r.params > 0).map((r) => r.params)).map((p) => edit(`q6.total without a row of ${p}`, (s) => { s.answers.q6.total -= p; })),
    ),
    nonAnswer: fc.oneof(
      fc.constant(edit('q6.total 0', (s) => { s.answers.q6.total = 0; })),
      fc.constant(wrongType('q6.total', 'q6.total a string', (s) => { s.answers.q6.total = '132,863,336'; })),
    ),
  },
  'q6.fcShare': {
    rewrite: rounded(100 * Q6_SUMMARY.fcParams / Q6_SUMMARY.total).map((v) => edit(`q6.fcWeightPercent = ${v}`, (s) => { s.answers.q6.fcWeightPercent = v; })),
    mutant: offBy(100 * Q6_SUMMARY.fcParams / Q6_SUMMARY.total, 0.005).map((v) => edit(`q6.fcWeightPercent = ${v}`, (s) => { s.answers.q6.fcWeightPercent = v; })),
    nonAnswer: fc.oneof(
      fc.constant(edit('q6.fcWeightPercent 0', (s) => { s.answers.q6.fcWeightPercent = 0; })),
      fc.constant(wrongType('q6.fcShare', 'q6.fcWeightPercent NaN', (s) => { s.answers.q6.fcWeightPercent = NaN; })),
    ),
  },
  'task1.nanLayer': {
    rewrite: fc.integer({ min: T1.nanLayer.min, max: T1.nanLayer.max }).map((v) => edit(`task1.nanLayer = ${v}`, (s) => { s.answers.task1.nanLayer = v; })),
    mutant: fc.oneof(fc.integer({ min: 5, max: T1.nanLayer.min - 1 }), fc.integer({ min: T1.nanLayer.max + 1, max: 200 })).map((v) => edit(`task1.nanLayer = ${v}`, (s) => { s.answers.task1.nanLayer = v; })),
    nonAnswer: fc.oneof(
      fc.constant(edit('task1.nanLayer 0', (s) => { s.answers.task1.nanLayer = 0; })),
      fc.constant(wrongType('task1.nanLayer', 'task1.nanLayer a string', (s) => { s.answers.task1.nanLayer = '28'; })),
    ),
  },
  'task1.products': {
    rewrite: fc.tuple(rounded(Math.sqrt(512)), fc.double({ min: -0.98, max: 0.98, noNaN: true }), fc.double({ min: -0.4, max: 0.4, noNaN: true }), fc.boolean())
      .map(([sqrtN, rel, mean, withSqrtN]) => {
        const std = atPrecision(Math.sqrt(512) * (1 + rel * T1.products.stdRelTolerance), 4);
        const m = atPrecision(mean, 4);
        return edit(`task1.products std ${std}, mean ${m}${withSqrtN ? `, sqrtN ${sqrtN}` : ''}`, (s) => { s.answers.task1.products = { mean: m, std, ...(withSqrtN ? { sqrtN } : {}) }; });
      }),
    mutant: fc.oneof(
      fc.tuple(fc.double({ min: 1.2, max: 5, noNaN: true }), fc.boolean()).map(([f, up]) => edit('task1.products.std off', (s) => {
        s.answers.task1.products.std = atPrecision(Math.sqrt(512) * (1 + (up ? 1 : -1) * f * T1.products.stdRelTolerance), 4);
      })),
      fc.constant(edit('task1.products.std the variance', (s) => { s.answers.task1.products.std = 512.3; })),
      offBy(Math.sqrt(512), 0.001).map((v) => edit(`task1.products.sqrtN = ${v}`, (s) => { s.answers.task1.products.sqrtN = v; })),
    ),
    nonAnswer: fc.oneof(
      fc.constant(edit('task1.products all 0', (s) => { s.answers.task1.products = { mean: 0, std: 0, sqrtN: 0 }; })),
      fc.constant(wrongType('task1.products', 'task1.products.std NaN', (s) => { s.answers.task1.products.std = NaN; })),
    ),
  },
  'task1.scaled': printed('scaled', 'task1.scaled'),
  'task1.tanh': printed('tanh', 'task1.tanh'),
  'task1.xavierTanh': printed('xavierTanh', 'task1.xavierTanh'),
  'task1.kaimingRelu': printed('kaimingRelu', 'task1.kaimingRelu'),
  'task1.xavierInit': initGenerators('xavier', 'task1.xavierInit'),
  'task1.kaimingInit': initGenerators('kaiming', 'task1.kaimingInit'),
  'task2.accuracy': {
    rewrite: claimForms(card('mlp').testAccuracy).map((c) => edit(`task2 claimed accuracy written ${c}`, (s) => { s.answers.task2.claimed.testAccuracy = c; })),
    mutant: fc.oneof(
      fc.double({ min: 0.5, max: 0.889, noNaN: true }).map((a) => edit(`task2 model measured at ${a.toFixed(4)}`, (s) => { setMeasured(s, 'task2.model', (r) => { r.accuracy = a; }); })),
      fc.double({ min: 0.01, max: 0.1, noNaN: true }).map((d) => edit(`task2 claimed accuracy off by ${d.toFixed(3)}`, (s) => { s.answers.task2.claimed.testAccuracy = atPrecision(card('mlp').testAccuracy - d, 4); }, { caughtByDiagnosis: 'task2.claim-contradicted' })),
    ),
    nonAnswer: fc.oneof(
      fc.double({ min: 0, max: 0.2, noNaN: true }).map((a) => edit(`task2 model at chance (${a.toFixed(3)})`, (s) => { setMeasured(s, 'task2.model', (r) => { r.accuracy = a; }); })),
      fc.constant(edit('task2 model not loadable', (s) => { s.inputs.models['task2.model'] = { ok: false, message: 'models/mlp/model.json is not a TensorFlow.js model' }; }, { mayAlsoChange: ['task2.reinit'] })),
    ),
  },
  'task2.reinit': {
    rewrite: claimForms(card('mlp-he').testAccuracy).map((c) => edit(`task2 claimed re-init accuracy written ${c}`, (s) => { s.answers.task2.claimed.reinitTestAccuracy = c; })),
    mutant: fc.oneof(
      fc.double({ min: 0.01, max: 0.1, noNaN: true }).map((d) => edit(`task2 claimed re-init accuracy off by ${d.toFixed(3)}`, (s) => { s.answers.task2.claimed.reinitTestAccuracy = atPrecision(card('mlp-he').testAccuracy + d, 4); })),
      fc.constant(edit('task2 re-init model the same file', (s) => { s.answers.task2.reinitModel = { ...s.answers.task2.model }; s.inputs.models['task2.reinitModel'] = structuredClone(s.inputs.models['task2.model']!); })),
    ),
    nonAnswer: fc.oneof(
      fc.constant(edit('task2 re-init model not loadable', (s) => { s.inputs.models['task2.reinitModel'] = { ok: false, message: 'models/mlp-he/model.json is not a TensorFlow.js model' }; })),
    ),
  },
  'task2.description': {
    rewrite: fc.tuple(fc.constantFrom('lr', 'learning_rate', 'learningRate', 'LR'), fc.constantFrom('batch_size', 'batchSize', 'batch'), fc.constantFrom('epochs', 'n_epochs', 'num_epochs'), fc.constantFrom('optimizer', 'optim'), seedArb)
      .map(([lr, batch, epochs, optim, seed]) => edit(`task2 hyper-parameters named ${lr}, ${batch}, ${epochs}, ${optim}`, (s) => {
        const h = s.answers.task2.hyperparameters;
        s.answers.task2.hyperparameters = shuffleKeys({ [optim]: h.optimizer, [lr]: h.learningRate, [epochs]: h.epochs, [batch]: h.batchSize, init: h.init }, seed);
      })),
    mutant: fc.oneof(
      fc.constantFrom('optimizer', 'learningRate', 'epochs', 'batchSize').map((k) => edit(`task2 hyper-parameter ${k} left out`, (s) => { delete s.answers.task2.hyperparameters[k]; })),
      fc.constant(edit('task2 architecture left out', (s) => { delete s.answers.task2.architecture; })),
      fc.tuple(fc.constantFrom('optimizer', 'learningRate', 'epochs', 'batchSize'), fc.constantFrom('', ' ', '?', 'TODO')).map(([k, v]) => edit(`task2 hyper-parameter ${k} = "${v}"`, (s) => { s.answers.task2.hyperparameters[k] = v; })),
    ),
    nonAnswer: fc.oneof(
      fc.constant(edit('task2 description: every value empty', (s) => {
        s.answers.task2.architecture = ' ';
        for (const k of Object.keys(s.answers.task2.hyperparameters)) s.answers.task2.hyperparameters[k] = '';
      })),
      fc.constant(edit('task2 description: nothing', (s) => { s.answers.task2.architecture = ''; s.answers.task2.hyperparameters = {}; })),
      fc.constant(wrongType('task2.description', 'task2 hyper-parameters a string', (s) => { s.answers.task2.hyperparameters = 'adam, 1e-3, 24, 256'; })),
    ),
  },
  'task2.curves': curvesGenerators('task2'),
  'task3.accuracy': {
    rewrite: claimForms(BASE.answers.task3.claimed.testAccuracy).map((c) => edit(`task3 claimed accuracy written ${c}`, (s) => { s.answers.task3.claimed.testAccuracy = c; })),
    mutant: fc.oneof(
      fc.double({ min: 0.5, max: 0.899, noNaN: true }).map((a) => edit(`task3 model measured at ${a.toFixed(4)}`, (s) => { setMeasured(s, 'task3.model', (r) => { r.accuracy = a; }); })),
      fc.double({ min: 0.02, max: 0.1, noNaN: true }).map((d) => edit(`task3 claimed accuracy off by ${d.toFixed(3)}`, (s) => { s.answers.task3.claimed.testAccuracy = atPrecision(BASE.answers.task3.claimed.testAccuracy - d, 4); }, { caughtByDiagnosis: 'task3.claim-contradicted' })),
    ),
    nonAnswer: fc.double({ min: 0, max: 0.2, noNaN: true }).map((a) => edit(`task3 model at chance (${a.toFixed(3)})`, (s) => { setMeasured(s, 'task3.model', (r) => { r.accuracy = a; }); })),
  },
  'task3.params': {
    rewrite: seedArb.map((seed) => edit(`task3.claimed keys reordered (seed ${seed})`, (s) => { s.answers.task3.claimed = shuffleKeys(s.answers.task3.claimed, seed); })),
    mutant: fc.tuple(fc.integer({ min: 1, max: 100_000 }), fc.boolean()).map(([k, up]) => edit(`task3.claimed.params ${up ? '+' : '−'}${k}`, (s) => { s.answers.task3.claimed.params += up ? k : -k; })),
    nonAnswer: fc.oneof(
      fc.constant(edit('task3.claimed.params 0', (s) => { s.answers.task3.claimed.params = 0; })),
      fc.constant(wrongType('task3.params', 'task3.claimed.params a string', (s) => { s.answers.task3.claimed.params = '136,874'; })),
    ),
  },
  'task3.dims': {
    rewrite: fc.constantFrom([32, 32, 3], [3, 32, 32], [32, 3, 32]).map((d) => edit(`task3.inputShape ${JSON.stringify(d)}`, (s) => { s.answers.task3.inputShape = d; })),
    mutant: fc.oneof(
      fc.constantFrom([32, 32], [28, 28, 3], [32, 32, 1], [64, 64, 3]).map((d) => edit(`task3.inputShape ${JSON.stringify(d)}`, (s) => { s.answers.task3.inputShape = d; })),
      fc.constantFrom([9], [1], [10, 10], [11]).map((d) => edit(`task3.outputShape ${JSON.stringify(d)}`, (s) => { s.answers.task3.outputShape = d; })),
    ),
    nonAnswer: fc.oneof(
      fc.constant(edit('task3 shapes empty', (s) => { s.answers.task3.inputShape = []; s.answers.task3.outputShape = []; })),
      fc.constant(edit('task3 shapes 1', (s) => { s.answers.task3.inputShape = [1]; s.answers.task3.outputShape = [1]; })),
      fc.constant(wrongType('task3.dims', 'task3.inputShape a string', (s) => { s.answers.task3.inputShape = '32x32x3'; })),
    ),
  },
  'task3.noise': {
    rewrite: fc.tuple(fc.boolean(), fc.integer({ min: 3, max: 6 }), seedArb).map(([pct, p, seed]) => edit(`task3 noise claims ${pct ? 'in percent' : ''} at ${p} digits, reordered`, (s) => {
      const claims = NOISE.map((n) => ({ a: n.a, accuracy: atPrecision(pct ? 100 * n.accuracy : n.accuracy, p) }));
      s.answers.task3.claimed.noise = shuffleKeys(claims.sort(() => (makeRng(seed).next() < 0.5 ? -1 : 1)), seed);
    })),
    mutant: fc.tuple(fc.integer({ min: 0, max: NOISE.length - 1 }), fc.double({ min: 0.02, max: 0.3, noNaN: true })).map(([i, d]) => edit(`task3 noise claim a = ${NOISE[i]!.a} off by ${d.toFixed(3)}`, (s) => {
      s.answers.task3.claimed.noise[i].accuracy = atPrecision(NOISE[i]!.accuracy - d, 4);
    })),
    nonAnswer: fc.oneof(
      fc.constant(edit('task3 noise claims all 0', (s) => { s.answers.task3.claimed.noise = NOISE.map((n) => ({ a: n.a, accuracy: 0 })); })),
      fc.constant(edit('task3 noise claims copies of a', (s) => { s.answers.task3.claimed.noise = NOISE.map((n) => ({ a: n.a, accuracy: n.a })); })),
      fc.constant(edit('task3 noise claims empty', (s) => { s.answers.task3.claimed.noise = []; })),
    ),
  },
  'task3.augmentation': {
    rewrite: claimForms(BASE.answers.task3.claimed.augmentedTestAccuracy).map((c) => edit(`task3 claimed augmented accuracy written ${c}`, (s) => { s.answers.task3.claimed.augmentedTestAccuracy = c; })),
    mutant: fc.oneof(
      fc.double({ min: 0.02, max: 0.2, noNaN: true }).map((d) => edit(`task3 claimed augmented accuracy off by ${d.toFixed(3)}`, (s) => { s.answers.task3.claimed.augmentedTestAccuracy = atPrecision(BASE.answers.task3.claimed.augmentedTestAccuracy + d, 4); })),
      fc.constant(edit('task3 augmentation not described', (s) => { delete s.answers.task3.augmentation; })),
      fc.constant(edit('task3 augmented model not submitted', (s) => { delete s.answers.task3.augmentedModel; delete s.inputs.models['task3.augmentedModel']; })),
    ),
    nonAnswer: fc.oneof(
      fc.constant(edit('task3 augmentation: nothing described, no model', (s) => { delete s.answers.task3.augmentation; delete s.answers.task3.augmentedModel; delete s.inputs.models['task3.augmentedModel']; })),
      fc.constant(edit('task3 augmentation: described as " ", claim 0', (s) => { s.answers.task3.augmentation = ' '; s.answers.task3.claimed.augmentedTestAccuracy = 0; })),
    ),
  },
  'task3.curves': curvesGenerators('task3'),
  'rules.fileName': {
    rewrite: fc.constant(edit('notebook named with the ids in the other order', (s) => { renameNotebook(s, 'ee046211_hw2_234567891_123456782.ipynb'); })),
    mutant: fc.constantFrom('ee046211_hw2_123456782_234567892.ipynb', 'hw2.ipynb', 'ee046211_hw2_123456782.ipynb', 'EE046211-HW2.ipynb', 'Untitled.ipynb')
      .map((name) => edit(`notebook named ${name}`, (s) => { renameNotebook(s, name); })),
    nonAnswer: fc.constant(edit('no notebook', (s) => { s.inputs.files = s.inputs.files.filter((f) => !f.name.endsWith('.ipynb')); })),
  },
  'rules.pdfName': {
    rewrite: fc.constantFrom('ee046211_hw2_123456782_234567891.pdf', 'ee046211_hw2_234567891_123456782.pdf').map((name) => edit(`answers PDF ${name}`, (s) => { s.inputs.files.push({ name, bytes: 1000 }); })),
    mutant: fc.constantFrom('answers.pdf', 'ee046211_hw2_123456782_234567892.pdf', 'hw2.pdf').map((name) => edit(`answers PDF ${name}`, (s) => { s.inputs.files.push({ name, bytes: 1000 }); })),
  },
  'rules.executed': {
    mutant: fc.integer({ min: 0, max: 50 }).map((i) => edit(`code cell ${i} not run`, (s) => {
      const nb = s.inputs.notebook;
      if (!nb?.ok) return;
      const cells = nb.facts.codeCells.filter((c) => !c.empty);
      cells[i % cells.length]!.executed = false;
    })),
    nonAnswer: fc.oneof(
      fc.constant(edit('no code cell run', (s) => { if (s.inputs.notebook?.ok) for (const c of s.inputs.notebook.facts.codeCells) c.executed = false; })),
      fc.constant(edit('no notebook', (s) => { s.inputs.notebook = undefined; })),
    ),
  },
  'rules.fileTypes': {
    rewrite: fc.constantFrom('notes.md', 'figures/loss.svg', 'data.csv').map((name) => edit(`an allowed file ${name} added`, (s) => { s.inputs.files.push({ name, bytes: 100 }); })),
    mutant: fc.constantFrom(...RUBRIC.rules.forbiddenExtensions).map((e) => edit(`a .${e} file added`, (s) => { s.inputs.files.push({ name: `answers.${e}`, bytes: 100 }); })),
  },
};

function renameNotebook(s: Submission, name: string) {
  s.inputs.files = s.inputs.files.map((f) => (f.name.endsWith('.ipynb') ? { ...f, name } : f));
}

function q5Generators(which: 'reversal' | 'complement'): Generators {
  const project = which === 'reversal' ? projectReversal : projectComplement;
  const id = `q5.${which}` as CheckId;
  return {
    rewrite: q5Params(project).map((p) => edit(`q5.${which}: other parameters that obey the constraint (d = ${p.W2[0]!.length})`, (s) => { s.answers.q5[which] = p; })),
    mutant: fc.tuple(q5Params(project), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 3 }), fc.double({ min: 0.2, max: 2, noNaN: true }))
      .map(([p, r, k, j, delta]) => edit(`q5.${which}: one weight of W1[${r}] moved by ${delta.toFixed(3)}`, (s) => {
        const d = p.W2[0]!.length;
        p.W1[r]![k % d]![j]![0] = p.W1[r]![k % d]![j]![0]! + delta;
        s.answers.q5[which] = p;
      })),
    nonAnswer: fc.oneof(
      fc.constant(edit(`q5.${which} all 0`, (s) => { s.answers.q5[which] = zerosLike(s.answers.q5[which], 0); })),
      fc.double({ min: -2, max: 2, noNaN: true }).filter((c) => c !== 0).map((c) => edit(`q5.${which}: one value ${c} repeated`, (s) => { s.answers.q5[which] = zerosLike(s.answers.q5[which], c); })),
      fc.constant(wrongType(id, `q5.${which} empty arrays`, (s) => { s.answers.q5[which] = { W1: [], W2: [] }; })),
      fc.constant(wrongType(id, `q5.${which} 1×1 arrays`, (s) => { s.answers.q5[which] = { W1: [[[[1]]]], W2: [[1]] }; })),
      fc.constant(wrongType(id, `q5.${which} NaN`, (s) => { s.answers.q5[which].W2[0][0] = NaN; })),
      fc.constant(wrongType(id, `q5.${which} a string`, (s) => { s.answers.q5[which] = 'W1 symmetric'; })),
    ),
  };
}

const zerosLike = (v: Json, c: number): Json => (Array.isArray(v) ? v.map((x) => zerosLike(x, c)) : typeof v === 'object' && v ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, zerosLike(x, c)])) : c);

/** Checks that grade what a pair wrote or measured, and have generators here. */
export const TARGETS = Object.keys(GENERATORS) as CheckId[];

/** A variant of `target` in `family`; reordered keys go with every rewrite. */
export function variantArb(target: CheckId, family: Family): fc.Arbitrary<Variant> | undefined {
  const edits = GENERATORS[target]?.[family];
  if (!edits) return undefined;
  const shuffled = family === 'rewrite' ? fc.option(seedArb, { nil: undefined }) : fc.constant(undefined);
  return fc.tuple(edits, shuffled).map(([e, shuffleSeed]) => {
    const sub = base();
    e.apply(sub);
    if (shuffleSeed !== undefined) sub.answers = shuffleKeys(sub.answers, shuffleSeed);
    const label = `${e.label}${shuffleSeed !== undefined ? `, keys reordered (seed ${shuffleSeed})` : ''}`;
    return {
      target, family, sub, label,
      // A counterexample is reported by its label, not by the whole submission it holds.
      [fc.toStringMethod]: () => `${target} ${family}: ${label}`,
      ...(e.mayAlsoChange ? { mayAlsoChange: e.mayAlsoChange } : {}),
      ...(e.caughtByDiagnosis ? { caughtByDiagnosis: e.caughtByDiagnosis } : {}),
    };
  });
}

// ---------------------------------------------------------------------------------------
// The verdict on one variant: what each property asserts, as data (the bench counts them).

export interface Verdict {
  ok: boolean;
  /** Why not, naming the checks and scores. */
  why?: string;
}

export function judgeVariant(v: Variant, graded: Graded = grade(v.sub), correct: Graded = baselineGrade()): Verdict {
  if (graded.harnessFaults.length) return { ok: false, why: `the grader failed on ${graded.harnessFaults.join(', ')}: ${graded.harnessFaults.map((id) => graded.rows[id]!.message).join('; ')}` };
  const changed = Object.keys(correct.scores).filter((id) => Math.abs(graded.scores[id]! - correct.scores[id]!) > 1e-9);
  const show = (ids: string[]) => ids.map((id) => `${id} ${correct.scores[id]} → ${graded.scores[id]} (${graded.rows[id]!.message})`).join('; ');
  if (v.family === 'rewrite') return changed.length ? { ok: false, why: `a right answer written another way changed ${show(changed)}` } : { ok: true };
  const allowed = new Set<string>([v.target, ...(v.mayAlsoChange ?? [])]);
  const others = changed.filter((id) => !allowed.has(id));
  if (others.length) return { ok: false, why: `it also changed ${show(others)}` };
  const row = graded.rows[v.target]!;
  if (v.family === 'nonAnswer') {
    if (row.score !== 0) return { ok: false, why: `a non-answer earned ${row.score} of ${row.points} at ${v.target}: ${row.message}` };
    if (row.status === 'error' && !row.message) return { ok: false, why: `an input error without a message at ${v.target}` };
    return { ok: true };
  }
  if (row.score < correct.scores[v.target]! - 1e-9) return { ok: true };
  if (v.caughtByDiagnosis && row.diagnoses?.some((d) => d.code === v.caughtByDiagnosis)) return { ok: true };
  return { ok: false, why: `the mistake was not caught: ${v.target} scored ${row.score} of ${row.points} (${row.message})` };
}
