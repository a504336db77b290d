/**
 * The model evaluator, run in a sandboxed child (a model file is untrusted input): loads a
 * TensorFlow.js or ONNX model, checks its input against the declared preprocessing, and
 * measures test accuracy, with and without noise. Exports are called over the sandbox's
 * protocol by src/models/evaluate.ts.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { DatasetError, loadFashionMnist, loadSvhn, type ImageSet } from '../data/datasets.ts';
import { syntheticSvhn } from '../data/synthetic-svhn.ts';
import { makeRng } from '../util/random.ts';
import { batch, inputShape, type Preprocessing } from './preprocess.ts';
import { countOnnxParameters } from './onnx-params.ts';

export interface EvalRequest {
  format: 'tfjs' | 'onnx';
  model: string;
  dataset: 'fashion-mnist' | 'svhn';
  dataDir?: string;
  /** Where SVHN is absent: the synthetic test set, written once by the parent (see evaluate.ts). */
  syntheticFile?: string;
  preprocessing: Preprocessing;
  noise: number[];
  seed: number;
  limit?: number;
}

export interface EvalResult {
  accuracy: number;
  count: number;
  params: number;
  inputShape: (number | null)[];
  outputShape: (number | null)[];
  noise: { a: number; accuracy: number }[];
  backend: string;
  synthetic: boolean;
  source: string;
}

type Predict = (x: Float32Array, shape: number[]) => Promise<Float32Array>;

async function tfjsModel(path: string): Promise<{ predict: Predict; params: number; input: (number | null)[]; output: (number | null)[]; backend: string }> {
  const { tensorflow, backendInUse } = await import('../tf/runtime.ts');
  const { loadLayersModelFromDisk, countTrainable } = await import('./tfjs-io.ts');
  const tf = await tensorflow();
  const model = await loadLayersModelFromDisk(path);
  return {
    params: countTrainable(model),
    input: model.inputs[0]!.shape,
    output: model.outputs[0]!.shape,
    backend: `TensorFlow.js ${backendInUse()}`,
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

async function onnxModel(path: string): Promise<{ predict: Predict; params: number; input: (number | null)[]; output: (number | null)[]; backend: string }> {
  const ort = await import('onnxruntime-node');
  const bytes = await readFile(path);
  const session = await ort.InferenceSession.create(bytes);
  const meta = (name: string, list: readonly unknown[]) => (list as { name: string; shape?: (number | string)[] }[]).find((m) => m.name === name)?.shape?.map((d) => (typeof d === 'number' ? d : null)) ?? [];
  const inputName = session.inputNames[0]!;
  const outputName = session.outputNames[0]!;
  return {
    params: countOnnxParameters(bytes).params,
    input: meta(inputName, session.inputMetadata),
    output: meta(outputName, session.outputMetadata),
    backend: `onnxruntime-node ${ort.env.versions.node ?? ''} (cpu)`.trim(),
    predict: async (x, shape) => {
      const result = await session.run({ [inputName]: new ort.Tensor('float32', x, shape) });
      return result[outputName]!.data as Float32Array;
    },
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

async function testSet(req: EvalRequest): Promise<ImageSet> {
  if (req.dataset === 'fashion-mnist') return loadFashionMnist('test', req.dataDir);
  try {
    return await loadSvhn('test', req.dataDir);
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    return synthetic(req.syntheticFile);
  }
}

export async function evaluate(req: EvalRequest): Promise<EvalResult> {
  const set: ImageSet = await testSet(req);
  const model = req.format === 'onnx' ? await onnxModel(req.model) : await tfjsModel(req.model);
  const count = Math.min(set.count, req.limit ?? set.count);
  const probe = inputShape(set, req.preprocessing.layout, 1);
  if (!fits(model.input, probe)) {
    throw new Error(`the model expects input [${model.input.map((d) => d ?? 'N').join(', ')}], but ${req.preprocessing.layout} preprocessing of ${set.height}×${set.width}×${set.channels} images gives [N, ${probe.slice(1).join(', ')}]; set preprocessing.layout in hw2.json`);
  }
  const accuracyWith = async (noise?: number) => {
    const rng = makeRng(req.seed);
    let correct = 0;
    const size = 500;
    for (let start = 0; start < count; start += size) {
      const n = Math.min(size, count - start);
      const x = batch(set, start, n, req.preprocessing, noise === undefined ? undefined : { a: noise, rng });
      const predicted = argmaxRows(await model.predict(x, inputShape(set, req.preprocessing.layout, n)), n);
      for (let i = 0; i < n; i++) if (predicted[i] === set.labels[start + i]) correct++;
    }
    return correct / count;
  };
  const accuracy = await accuracyWith();
  const noise = [];
  for (const a of req.noise) noise.push({ a, accuracy: await accuracyWith(a) });
  return { accuracy, count, params: model.params, inputShape: model.input, outputShape: model.output, noise, backend: model.backend, synthetic: set.synthetic, source: set.source };
}
