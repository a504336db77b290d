/**
 * A TensorFlow.js layers model's files read from disk with plain fs — model.json and the
 * weight files its manifest names, each inside the model's folder — without loading
 * TensorFlow.js: the evaluator translates most models to ONNX and never needs it.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isInside } from '../util/paths.ts';

/** One entry of model.json's weightsManifest[*].weights (tf.io.WeightsManifestEntry). */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
  format?: string;
}

/** model.json and its weight files as read from disk, before any engine sees them. */
export interface LayersModelFiles {
  modelTopology: unknown;
  weightSpecs: WeightSpec[];
  /** The weight files' bytes, concatenated in the manifest's order. */
  weightData: Uint8Array;
}

/** Reads model.json and the weight files it names, each inside the model's folder. */
export async function readLayersModelFiles(modelJsonPath: string): Promise<LayersModelFiles> {
  const dir = dirname(resolve(modelJsonPath));
  const json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as ModelJson;
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new Error('not a TensorFlow.js layers model (expected modelTopology and weightsManifest)');
  }
  const specs: WeightSpec[] = [];
  const buffers: Buffer[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const file = resolve(dir, p);
      // isInside also catches '..' itself and absolute paths, which a prefix test on `../` misses.
      if (typeof p !== 'string' || !isInside(dir, file) || file === dir) throw new Error(`weight file ${String(p).slice(0, 200)} is outside the model's folder`);
      buffers.push(await readFile(file));
    }
  }
  return { modelTopology: json.modelTopology, weightSpecs: specs, weightData: Buffer.concat(buffers) };
}

