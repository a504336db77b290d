/**
 * TensorFlow.js models on disk without tfjs-node: model.json plus its weight files, read
 * and written with plain fs through tf.io's in-memory handlers.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readLayersModelFiles, type LayersModelFiles } from './tfjs-files.ts';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export { readLayersModelFiles, type LayersModelFiles };

/** A TensorFlow.js model from the files readLayersModelFiles read. */
export function layersModelFromFiles(files: LayersModelFiles): Promise<tfl.LayersModel> {
  const data = files.weightData;
  const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  return tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: files.modelTopology as object, weightSpecs: files.weightSpecs as tf.io.WeightsManifestEntry[], weightData }));
}

export async function loadLayersModelFromDisk(modelJsonPath: string): Promise<tfl.LayersModel> {
  return layersModelFromFiles(await readLayersModelFiles(modelJsonPath));
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
