/**
 * Training the reference CNN (Task 3) with TensorFlow.js layers on SVHN where its files are
 * present, else on the synthetic SVHN-like set (and the card says so). `augment` shifts each
 * training image by up to 2 pixels, freshly every epoch. Used by `hw2 train cnn`.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetError, loadSvhn } from '../data/datasets.ts';
import type { ImageSet } from '../data/image-set.ts';
import { syntheticSvhn } from '../data/synthetic-svhn.ts';
import { countTrainable, saveLayersModelToDisk } from '../models/tfjs-io.ts';
import { backendInUse, tensorflow } from '../tf/runtime.ts';
import { makeRng, type Rng } from '../util/random.ts';
import { batchCallbacks, type BatchEvent, type EpochEvent } from './events.ts';
import { CNN_DEFAULTS as REFERENCE_CNN_DEFAULTS, type CnnHyperparameters } from '../../reference/task3.ts';

/** The architecture's sizes and the training's hyper-parameters (reference/task3.ts), and how this run goes. */
export interface CnnOptions extends CnnHyperparameters {
  /** Training images taken: all of SVHN's train split unless given; synthetic images generated (12,000 unless given). */
  limit?: number;
  /** SVHN only: this many images of the extra split appended to the training images. */
  extra?: number;
  out: string;
  dataDir?: string;
  onEpoch?(e: EpochEvent): void;
  /** After every batch (for a progress bar). */
  onBatch?(e: BatchEvent): void;
}

/** The defaults of `hw2 train cnn`, defined once in the reference (reference/task3.ts). */
export const CNN_DEFAULTS: Omit<CnnOptions, 'out'> = REFERENCE_CNN_DEFAULTS;
/** Synthetic training images generated where SVHN is absent and no limit is given. */
const SYNTHETIC_TRAIN = 12_000;

async function data(split: 'train' | 'test', count: number, dataDir?: string): Promise<ImageSet> {
  try {
    return await loadSvhn(split, dataDir);
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    return syntheticSvhn(split, count);
  }
}

/** The first `count` images of SVHN's `extra` split appended to `train` (one new buffer). */
function withExtra(train: ImageSet, extra: ImageSet, count: number): ImageSet {
  if (train.synthetic) throw new DatasetError(`--extra: SVHN's extra split is here (${extra.source}) but its train split is not`);
  const n = Math.min(count, extra.count);
  const px = 32 * 32 * 3;
  const images = new Uint8Array((train.count + n) * px);
  images.set(train.images.subarray(0, train.count * px));
  images.set(extra.images.subarray(0, n * px), train.count * px);
  const labels = new Uint8Array(train.count + n);
  labels.set(train.labels.subarray(0, train.count));
  labels.set(extra.labels.subarray(0, n), train.count);
  return { ...train, name: `${train.name}+extra`, source: `${train.source} + ${n} of ${extra.source}`, count: train.count + n, images, labels };
}

/** Images [from, to) as floats in [0, 1], each shifted by (dy, dx) ∈ [−2, 2]² when `rng` is given. */
function floats(set: ImageSet, from: number, to: number, rng?: Rng): Float32Array {
  const px = 32 * 32 * 3;
  const out = new Float32Array((to - from) * px);
  for (let i = from; i < to; i++) {
    const dy = rng ? Math.floor(rng.next() * 5) - 2 : 0;
    const dx = rng ? Math.floor(rng.next() * 5) - 2 : 0;
    for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) {
      const sy = Math.min(31, Math.max(0, y - dy));
      const sx = Math.min(31, Math.max(0, x - dx));
      for (let c = 0; c < 3; c++) out[(i - from) * px + (y * 32 + x) * 3 + c] = set.images[i * px + (sy * 32 + sx) * 3 + c]! / 255;
    }
  }
  return out;
}

/** The Task 3 network, fresh and seeded: two 3×3 conv + 2×2 max-pool stages, a dense layer, 10 softmax. */
export function buildCnn(options: Pick<CnnOptions, 'filters' | 'dense' | 'seed'>): tfl.Sequential {
  return tfl.sequential({ layers: [
    tfl.layers.conv2d({ inputShape: [32, 32, 3], filters: options.filters[0], kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tfl.initializers.heNormal({ seed: options.seed }) }),
    tfl.layers.maxPooling2d({ poolSize: 2 }),
    tfl.layers.conv2d({ filters: options.filters[1], kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tfl.initializers.heNormal({ seed: options.seed + 1 }) }),
    tfl.layers.maxPooling2d({ poolSize: 2 }),
    tfl.layers.flatten(),
    tfl.layers.dense({ units: options.dense, activation: 'relu', kernelInitializer: tfl.initializers.heNormal({ seed: options.seed + 2 }) }),
    tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: options.seed + 3 }) }),
  ] });
}

export async function trainCnn(options: CnnOptions): Promise<{ testAccuracy: number; params: number; seconds: number; synthetic: boolean }> {
  const tf = await tensorflow();
  // the extra split first: where it is missing, say so before any work
  const extra = options.extra ? await loadSvhn('extra', options.dataDir) : undefined;
  const base = await data('train', options.limit ?? SYNTHETIC_TRAIN, options.dataDir);
  const train = extra ? withExtra(base, extra, options.extra!) : base;
  const test = await data('test', 5000, options.dataDir);
  // The validation split is the first 10% of the training images (SVHN's train split first, extra after).
  const n = Math.min(train.count, options.limit ?? train.count);
  const nVal = Math.round(n * 0.1);
  const rng = makeRng(options.seed);
  const model = buildCnn(options);
  model.compile({ optimizer: tf.train.adam(options.learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const labels = (from: number, to: number) => tf.oneHot(tf.tensor1d(Array.from(train.labels.subarray(from, to)), 'int32'), 10);
  const xVal = tf.tensor4d(floats(train, 0, nVal), [nVal, 32, 32, 3]);
  const yVal = labels(0, nVal);
  const yTrain = labels(nVal, n);
  let xTrain = tf.tensor4d(floats(train, nVal, n), [n - nVal, 32, 32, 3]);
  const history: { epoch: number; loss: number; accuracy: number; val_loss: number; val_accuracy: number }[] = [];
  const started = Date.now();
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    if (options.augment && epoch > 1) {
      xTrain.dispose();
      xTrain = tf.tensor4d(floats(train, nVal, n, rng), [n - nVal, 32, 32, 3]);
    }
    const t = Date.now();
    const h = await model.fit(xTrain, yTrain, {
      epochs: 1, batchSize: options.batchSize, validationData: [xVal, yVal], shuffle: true, verbose: 0,
      callbacks: batchCallbacks(options.onBatch, () => epoch, options.epochs, n - nVal, options.batchSize),
    });
    const row = { epoch, loss: h.history.loss![0] as number, accuracy: h.history.acc![0] as number, val_loss: h.history.val_loss![0] as number, val_accuracy: h.history.val_acc![0] as number };
    history.push(row);
    options.onEpoch?.({ epoch, loss: row.loss, acc: row.accuracy, valLoss: row.val_loss, valAcc: row.val_accuracy, samplesPerSec: (n - nVal) / ((Date.now() - t) / 1000) });
  }
  const seconds = (Date.now() - started) / 1000;
  let correct = 0;
  for (let from = 0; from < test.count; from += 500) {
    const to = Math.min(test.count, from + 500);
    const predicted = tf.tidy(() => tf.argMax(model.predict(tf.tensor4d(floats(test, from, to), [to - from, 32, 32, 3])) as ReturnType<typeof tf.tensor2d>, 1).dataSync());
    for (let i = from; i < to; i++) if (predicted[i - from] === test.labels[i]) correct++;
  }
  const testAccuracy = correct / test.count;
  await saveLayersModelToDisk(model, options.out);
  await writeFile(join(options.out, 'history.json'), `${JSON.stringify(history, null, 1)}\n`);
  const card = {
    task: 'task3', data: `${train.synthetic ? 'synthetic SVHN-like set' : train.source} (${n} training images less ${nVal} for validation; ${test.count} test images)`,
    synthetic: train.synthetic,
    architecture: `CNN 32×32×3 → Conv 3×3×${options.filters[0]} ReLU → MaxPool 2 → Conv 3×3×${options.filters[1]} ReLU → MaxPool 2 → Dense ${options.dense} ReLU → Dense 10 softmax`,
    hyperparameters: { optimizer: 'adam', learningRate: options.learningRate, epochs: options.epochs, batchSize: options.batchSize, augment: options.augment ? 'random shifts of up to 2 px, new every epoch' : false, seed: options.seed, trainImages: n - nVal },
    preprocessing: { scale: 1 / 255, layout: 'NHWC', inputShape: [32, 32, 3] },
    params: countTrainable(model), testAccuracy, backend: backendInUse(), seconds, trainedBy: 'hw2 train cnn (TensorFlow.js)',
  };
  await writeFile(join(options.out, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);
  for (const t of [xTrain, yTrain, xVal, yVal]) t.dispose();
  return { testAccuracy, params: card.params, seconds, synthetic: train.synthetic };
}
