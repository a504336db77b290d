/**
 * The model evaluator, run in a sandboxed child (a model file is untrusted input): loads a
 * TensorFlow.js or ONNX model, checks its input against the declared preprocessing, and
 * measures test accuracy, with and without noise. Exports are called over the sandbox's
 * protocol by src/models/evaluate.ts.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadFashionFiles, loadSvhnFile } from '../data/datasets.ts';
import type { ImageSet } from '../data/image-set.ts';
import type { TestData } from '../data/plan.ts';
import { syntheticSvhn } from '../data/synthetic-svhn.ts';
import { noiseField } from '../data/noise.ts';
import { batch, inputShape, type Preprocessing } from './preprocess.ts';
import { countOnnxParameters } from './onnx-params.ts';
import { readLayersModelFiles, type LayersModelFiles } from './tfjs-files.ts';
import { tfjsToOnnx } from './tfjs-to-onnx.ts';

export interface EvalRequest {
  format: 'tfjs' | 'onnx';
  model: string;
  dataset: 'fashion-mnist' | 'svhn';
  /**
   * The test set's files, as the parent found them (src/data/plan.ts): the child looks
   * nothing up, so it reads only what it was given and allowed to read.
   */
  data: Exclude<TestData, { kind: 'absent' } | { kind: 'synthetic' } | { kind: 'mat' }> | { kind: 'synthetic'; file?: string }
    /** `raw`: the parent's copy of the .mat's images and labels, decoded once per run (images, then labels). */
    | { kind: 'mat'; file: string; raw?: string };
  preprocessing: Preprocessing;
  noise: number[];
  seed: number;
  /**
   * The run's N(0, 1) field (src/data/noise.ts) as the parent wrote it: `rows` images' worth of
   * float32, image i using row i mod rows. Without it the child draws the same field itself.
   */
  noiseFile?: { file: string; rows: number };
  /** onnxruntime's threads: the job's share of the cores (one child per job runs at a time). */
  threads?: number;
  limit?: number;
}

export interface EvalResult {
  accuracy: number;
  count: number;
  params: number;
  inputShape: (number | null)[];
  outputShape: (number | null)[];
  noise: { a: number; accuracy: number }[];
  /** The engine that measured it; a TensorFlow.js model run by TensorFlow.js says why it was not translated. */
  backend: string;
  synthetic: boolean;
  source: string;
}

type Predict = (x: Float32Array, shape: number[]) => Promise<Float32Array>;

type Loaded = { predict: Predict; params: number; input: (number | null)[]; output: (number | null)[]; backend: string };

async function tfjsModel(files: LayersModelFiles, why: string): Promise<Loaded> {
  const { tensorflow, backendInUse } = await import('../tf/runtime.ts');
  const { layersModelFromFiles, countTrainable } = await import('./tfjs-io.ts');
  const tf = await tensorflow();
  const model = await layersModelFromFiles(files);
  return {
    params: countTrainable(model),
    input: model.inputs[0]!.shape,
    output: model.outputs[0]!.shape,
    backend: `TensorFlow.js ${backendInUse()} (not translated to ONNX: ${why})`,
    predict: async (x, shape) => {
      const input = tf.tensor(x, shape);
      const out = model.predict(input) as ReturnType<typeof tf.tensor>;
      const values = (await out.data()) as Float32Array;
      input.dispose();
      out.dispose();
      return values;
    },
  };
}

async function onnxSession(bytes: Uint8Array, threads: number | undefined) {
  const ort = await import('onnxruntime-node');
  // One thread pool of the job's share of the cores; sequential execution, as every graph here is a chain.
  const session = await ort.InferenceSession.create(bytes, {
    graphOptimizationLevel: 'all', executionMode: 'sequential', interOpNumThreads: 1, ...(threads ? { intraOpNumThreads: threads } : {}),
  });
  const inputName = session.inputNames[0]!;
  const outputName = session.outputNames[0]!;
  const meta = (name: string, list: readonly unknown[]) => (list as { name: string; shape?: (number | string)[] }[]).find((m) => m.name === name)?.shape?.map((d) => (typeof d === 'number' ? d : null)) ?? [];
  return {
    input: meta(inputName, session.inputMetadata),
    output: meta(outputName, session.outputMetadata),
    version: ort.env.versions.node ?? '',
    predict: (async (x, shape) => {
      const result = await session.run({ [inputName]: new ort.Tensor('float32', x, shape) });
      return result[outputName]!.data as Float32Array;
    }) satisfies Predict,
  };
}

const ortName = (version: string) => ['onnxruntime-node', version].filter(Boolean).join(' ');

async function onnxModel(path: string, threads: number | undefined): Promise<Loaded> {
  const bytes = await readFile(path);
  const session = await onnxSession(bytes, threads);
  return { ...session, params: countOnnxParameters(bytes).params, backend: `${ortName(session.version)} (cpu)` };
}

/**
 * A TensorFlow.js layers model, translated to ONNX and run by onnxruntime (src/models/tfjs-to-onnx.ts);
 * where the translation does not cover it, run by TensorFlow.js, and the backend says why.
 */
async function layersModel(path: string, threads: number | undefined): Promise<Loaded> {
  const files = await readLayersModelFiles(path);
  const translated = tfjsToOnnx({ topology: files.modelTopology, weightSpecs: files.weightSpecs, weightData: files.weightData });
  if (!translated.ok) return tfjsModel(files, translated.unsupported);
  const runtime = await environmentStep('onnxruntime-node could not be loaded on this machine', () => import('onnxruntime-node'));
  if (isFault(runtime)) return tfjsModel(files, runtime.environment);
  let session: Awaited<ReturnType<typeof onnxSession>>;
  try {
    session = await onnxSession(translated.onnx, threads);
  } catch (error) {
    // A graph our translator built and onnxruntime refused is our fault, not the model's:
    // TensorFlow.js measures it as it always could.
    return tfjsModel(files, `onnxruntime refused the translation (${String((error as Error)?.message ?? error).slice(0, 200)})`);
  }
  return {
    predict: session.predict, params: translated.params, input: translated.input, output: translated.output,
    backend: `${ortName(session.version)} (cpu), translated from TensorFlow.js`,
  };
}

function argmaxRows(values: Float32Array, rows: number): number[] {
  const classes = values.length / rows;
  return Array.from({ length: rows }, (_, r) => {
    let best = 0;
    for (let k = 1; k < classes; k++) if (values[r * classes + k]! > values[r * classes + best]!) best = k;
    return best;
  });
}

function fits(expected: (number | null)[], actual: number[]): boolean {
  return expected.length === actual.length && expected.every((d, i) => d === null || d === -1 || i === 0 || d === actual[i]);
}

/** Where SVHN's files are absent, this many synthetic test images stand in (README, "Task 3"). */
export const SYNTHETIC_SVHN_TEST = 5000;

/** Generated once per process (about 4 s for 5,000 images) unless the parent wrote it to `syntheticFile`. */
let syntheticTest: ImageSet | undefined;

/** The synthetic test set as the parent wrote it (images, then labels), or generated here. */
function synthetic(file?: string): ImageSet {
  if (syntheticTest) return syntheticTest;
  if (file) {
    const bytes = new Uint8Array(readFileSync(file));
    const px = 32 * 32 * 3;
    const count = bytes.length / (px + 1);
    if (Number.isInteger(count)) {
      return (syntheticTest = { name: 'svhn-synthetic/test', source: 'synthetic', synthetic: true, count, height: 32, width: 32, channels: 3, images: bytes.subarray(0, count * px), labels: bytes.subarray(count * px) });
    }
  }
  return (syntheticTest = syntheticSvhn('test', SYNTHETIC_SVHN_TEST));
}

/** SVHN's test split as the parent decoded it once per run: 32×32×3 images, then labels. */
function rawSet(raw: string, source: string): ImageSet {
  const bytes = new Uint8Array(readFileSync(raw));
  const px = 32 * 32 * 3;
  const count = bytes.length / (px + 1);
  if (!Number.isInteger(count)) throw new Error(`${raw} is not a whole number of 32×32×3 images and labels`);
  return { name: 'svhn/test', source, synthetic: false, count, height: 32, width: 32, channels: 3, images: bytes.subarray(0, count * px), labels: bytes.subarray(count * px) };
}

function testSet(req: EvalRequest): Promise<ImageSet> | ImageSet {
  const data = req.data;
  if (data.kind === 'idx') return loadFashionFiles(data, 'test');
  if (data.kind === 'mat') return data.raw ? rawSet(data.raw, data.file) : loadSvhnFile(data.file, 'test');
  return synthetic(data.file);
}

/**
 * A failure that is the grading machine's, not the model's: the test data cannot be read
 * (the parent found it, so it vanished or is damaged), onnxruntime's native binary will not
 * load, or the permission model denied a read the harness itself asked for. Returned as a
 * value so the parent holds the checks' points back instead of scoring the pair 0.
 */
export interface EnvironmentFault {
  environment: string;
}

function deniedPath(error: unknown): string | undefined {
  const e = error as { code?: string; resource?: string; message?: string };
  return e?.code === 'ERR_ACCESS_DENIED' ? (e.resource ?? 'a file') : undefined;
}

async function environmentStep<T>(what: string, step: () => Promise<T> | T): Promise<T | EnvironmentFault> {
  try {
    return await step();
  } catch (error) {
    const denied = deniedPath(error);
    const why = denied ? `the evaluator's sandbox denied reading ${denied}` : (error as Error)?.message ?? String(error);
    return { environment: `${what}: ${why}` };
  }
}

const isFault = (x: unknown): x is EnvironmentFault => typeof x === 'object' && x !== null && 'environment' in x;

export async function evaluate(req: EvalRequest): Promise<EvalResult | EnvironmentFault> {
  const set = await environmentStep(`the ${req.dataset} test set could not be read`, () => testSet(req));
  if (isFault(set)) return set;
  if (req.format === 'onnx') {
    const runtime = await environmentStep('onnxruntime-node could not be loaded on this machine', () => import('onnxruntime-node'));
    if (isFault(runtime)) return runtime;
  }
  let model: Loaded;
  try {
    model = req.format === 'onnx' ? await onnxModel(req.model, req.threads) : await layersModel(req.model, req.threads);
  } catch (error) {
    // The harness reads only inside the model's folder, which the evaluator may read: a denial
    // while loading means the model itself asked for a file elsewhere. The model's fault.
    const denied = deniedPath(error);
    if (denied) throw new Error(`the model asks to read ${denied}, outside its folder; a model may use only the files beside it`);
    throw error;
  }
  const count = Math.min(set.count, req.limit ?? set.count);
  const probe = inputShape(set, req.preprocessing.layout, 1);
  if (!fits(model.input, probe)) {
    throw new Error(`the model expects input [${model.input.map((d) => d ?? 'N').join(', ')}], but ${req.preprocessing.layout} preprocessing of ${set.height}×${set.width}×${set.channels} images gives [N, ${probe.slice(1).join(', ')}]; set preprocessing.layout in hw2.json`);
  }
  // One pass over the test set: each batch is measured clean and at every noise level, with the
  // batch's rows of the run's noise field read once.
  // The field is the grading machine's file: one it cannot open or that is short is its fault.
  const noise = req.noise.length ? await environmentStep('the run\'s noise field could not be read', () => noiseRows(req, set, count)) : undefined;
  if (isFault(noise)) return noise;
  const correct = new Array<number>(1 + req.noise.length).fill(0);
  const size = 500;
  try {
    for (let start = 0; start < count; start += size) {
      const n = Math.min(size, count - start);
      const shape = inputShape(set, req.preprocessing.layout, n);
      const z = noise?.rows(start, n);
      for (let level = 0; level <= req.noise.length; level++) {
        const x = batch(set, start, n, req.preprocessing, level === 0 ? undefined : { a: req.noise[level - 1]!, z: z! });
        const predicted = argmaxRows(await model.predict(x, shape), n);
        for (let i = 0; i < n; i++) if (predicted[i] === set.labels[start + i]) correct[level]!++;
      }
    }
  } finally {
    noise?.close();
  }
  const accuracy = correct[0]! / count;
  const noiseAccuracy = req.noise.map((a, i) => ({ a, accuracy: correct[i + 1]! / count }));
  return { accuracy, count, params: model.params, inputShape: model.input, outputShape: model.output, noise: noiseAccuracy, backend: model.backend, synthetic: set.synthetic, source: set.source };
}

/** Rows of the run's noise field: read from the parent's file, or drawn here when there is none. */
function noiseRows(req: EvalRequest, set: ImageSet, count: number): { rows(start: number, n: number): Float32Array; close(): void } {
  const pixels = set.height * set.width * set.channels;
  if (!req.noiseFile) {
    const field = noiseField(req.seed, count, pixels);
    return { rows: (start, n) => field.subarray(start * pixels, (start + n) * pixels), close: () => {} };
  }
  const { file, rows } = req.noiseFile;
  const fd = openSync(file, 'r');
  if (fstatSync(fd).size < rows * pixels * 4) {
    closeSync(fd);
    throw new Error(`${file} is shorter than ${rows} rows`);
  }
  return {
    rows(start, n) {
      const out = new Float32Array(n * pixels);
      const bytes = new Uint8Array(out.buffer);
      // Image i takes row i mod rows: contiguous runs of rows, read straight into the batch.
      for (let i = 0; i < n;) {
        const row = (start + i) % rows;
        const run = Math.min(n - i, rows - row);
        const want = run * pixels * 4;
        const got = readSync(fd, bytes, i * pixels * 4, want, row * pixels * 4);
        if (got !== want) throw new Error(`the noise field ${file} is shorter than ${rows} rows`);
        i += run;
      }
      return out;
    },
    close: () => closeSync(fd),
  };
}
