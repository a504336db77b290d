/**
 * TensorFlow.js models on disk without tfjs-node: model.json plus its weight files, read
 * and written with plain fs through tf.io's in-memory handlers.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { isInside } from '../util/paths.ts';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  format?: string;
}

export async function loadLayersModelFromDisk(modelJsonPath: string): Promise<tfl.LayersModel> {
  const dir = dirname(resolve(modelJsonPath));
  const json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as ModelJson;
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new Error('not a TensorFlow.js layers model (expected modelTopology and weightsManifest)');
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
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
  const data = Buffer.concat(buffers);
  const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  return tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology as object, weightSpecs: specs, weightData }));
}

export async function saveLayersModelToDisk(model: tfl.LayersModel, folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const data = artifacts.weightData as ArrayBuffer;
    await writeFile(join(folder, 'weights.bin'), Buffer.from(data));
    const json = {
      format: 'layers-model', generatedBy: `TensorFlow.js tfjs-layers v${tfl.version_layers}`, convertedBy: null,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    };
    await writeFile(join(folder, 'model.json'), JSON.stringify(json));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: data.byteLength } };
  }));
}

/** Trainable parameters: the sum of the trainable weights' sizes. */
export function countTrainable(model: tfl.LayersModel): number {
  return model.trainableWeights.reduce((a, w) => a + w.shape.reduce<number>((x, y) => x * (y ?? 1), 1), 0);
}
