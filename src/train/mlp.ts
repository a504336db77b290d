/**
 * Training the reference MLP (Task 2) with TensorFlow.js layers: seeded, with a validation
 * split, saving the model, its history and a card. Used by `hw2 train mlp`.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadFashionMnist } from '../data/datasets.ts';
import type { ImageSet } from '../data/image-set.ts';
import { backendInUse, tensorflow } from '../tf/runtime.ts';
import { makeRng } from '../util/random.ts';
import { batchCallbacks, type BatchEvent, type EpochEvent } from './events.ts';
import { countTrainable, loadLayersModelFromDisk, saveLayersModelToDisk } from '../models/tfjs-io.ts';
import { MLP_DEFAULTS as REFERENCE_MLP_DEFAULTS, type MlpHyperparameters } from '../../reference/task2.ts';

/** The architecture's sizes and the training's hyper-parameters (reference/task2.ts), and how this run goes. */
export interface MlpOptions extends MlpHyperparameters {
  /** Use only the first n training images (for quick runs and tests). */
  limit?: number;
  out: string;
  dataDir?: string;
  /** Continue training this saved model (model.json) instead of a fresh one: a second phase at a lower rate. */
  resumeFrom?: string;
  onEpoch?(e: EpochEvent): void;
  /** After every batch (for a progress bar); `epoch` counts from 1 within this run. */
  onBatch?(e: BatchEvent): void;
}

/** The defaults of `hw2 train mlp`, defined once in the reference (reference/task2.ts). */
export const MLP_DEFAULTS: Omit<MlpOptions, 'out'> = REFERENCE_MLP_DEFAULTS;

/** Pixels scaled to [0, 1], flattened: the preprocessing recorded in the card. */
export function toTensors(tf: Awaited<ReturnType<typeof tensorflow>>, set: ImageSet, indices: Int32Array | number[]) {
  const pixels = set.height * set.width * set.channels;
  const x = new Float32Array(indices.length * pixels);
  const y = new Float32Array(indices.length * 10);
  indices.forEach((idx, row) => {
    for (let p = 0; p < pixels; p++) x[row * pixels + p] = set.images[idx * pixels + p]! / 255;
    y[row * 10 + set.labels[idx]!] = 1;
  });
  return { x: tf.tensor2d(x, [indices.length, pixels]), y: tf.tensor2d(y, [indices.length, 10]) };
}

/** The architecture as the saved model has it (so a resumed run describes itself right). */
function describe(model: tfl.LayersModel): string {
  const parts = model.layers.map((l) => {
    const c = l.getConfig() as { units?: number; activation?: string; rate?: number };
    return l.getClassName() === 'Dense' ? `Dense ${c.units} ${c.activation}` : l.getClassName() === 'Dropout' ? `Dropout ${c.rate}` : l.getClassName();
  });
  return `MLP 784 → ${parts.join(' → ')}`;
}

/** The Task 2 network, fresh and seeded: 784 → hidden ReLU layers (each with dropout) → 10 softmax. */
export function buildMlp(options: Pick<MlpOptions, 'hidden' | 'dropout' | 'init' | 'seed'>): tfl.Sequential {
  const model = tfl.sequential();
  options.hidden.forEach((units, i) => {
    model.add(tfl.layers.dense({ units, activation: 'relu', kernelInitializer: tfl.initializers[options.init]({ seed: options.seed + i }), ...(i === 0 ? { inputShape: [784] } : {}) }));
    if (options.dropout > 0) model.add(tfl.layers.dropout({ rate: options.dropout, seed: options.seed + 100 + i }));
  });
  model.add(tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tfl.initializers[options.init]({ seed: options.seed + 99 }) }));
  return model;
}

export async function trainMlp(options: MlpOptions): Promise<{ testAccuracy: number; params: number; seconds: number }> {
  const tf = await tensorflow();
  const train = loadFashionMnist('train', options.dataDir);
  const test = loadFashionMnist('test', options.dataDir);
  const rng = makeRng(options.seed);
  const n = Math.min(train.count, options.limit ?? train.count);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const nVal = Math.round(n * options.validationFraction);
  const trainSet = toTensors(tf, train, order.subarray(nVal));
  const valSet = toTensors(tf, train, order.subarray(0, nVal));
  const model = options.resumeFrom ? await loadLayersModelFromDisk(options.resumeFrom) as tfl.Sequential : buildMlp(options);
  model.compile({ optimizer: tf.train.adam(options.learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  type Row = { epoch: number; loss: number; accuracy: number; val_loss: number; val_accuracy: number };
  // A resumed run continues the earlier history and epoch count.
  const history: Row[] = options.resumeFrom
    ? JSON.parse(await readFile(join(dirname(options.resumeFrom), 'history.json'), 'utf8').catch(() => '[]'))
    : [];
  const firstEpoch = history.length;
  const started = Date.now();
  let epochStart = Date.now();
  let epochNow = 1;
  await model.fit(trainSet.x, trainSet.y, {
    epochs: options.epochs, batchSize: options.batchSize, validationData: [valSet.x, valSet.y], shuffle: true, verbose: 0,
    callbacks: {
      onEpochBegin: async (epoch) => {
        epochStart = Date.now();
        epochNow = epoch + 1;
      },
      ...batchCallbacks(options.onBatch, () => epochNow, options.epochs, n - nVal, options.batchSize),
      onEpochEnd: async (epoch, logs) => {
        const e = { epoch: firstEpoch + epoch + 1, loss: logs!.loss!, accuracy: logs!.acc!, val_loss: logs!.val_loss!, val_accuracy: logs!.val_acc! };
        history.push(e);
        options.onEpoch?.({ epoch: e.epoch, loss: e.loss, acc: e.accuracy, valLoss: e.val_loss, valAcc: e.val_accuracy, samplesPerSec: (n - nVal) / ((Date.now() - epochStart) / 1000) });
      },
    },
  });
  const seconds = (Date.now() - started) / 1000;
  const testSet = toTensors(tf, test, Array.from({ length: test.count }, (_, i) => i));
  const predictions = tf.argMax(model.predict(testSet.x) as ReturnType<typeof tf.tensor2d>, 1).dataSync();
  let correct = 0;
  for (let i = 0; i < test.count; i++) if (predictions[i] === test.labels[i]) correct++;
  const testAccuracy = correct / test.count;
  await saveLayersModelToDisk(model, options.out);
  await writeFile(join(options.out, 'history.json'), `${JSON.stringify(history, null, 1)}\n`);
  const card = {
    task: 'task2', architecture: describe(model),
    hyperparameters: { optimizer: 'adam', learningRate: options.learningRate, epochs: firstEpoch + options.epochs, ...(options.resumeFrom ? { resumedAfterEpoch: firstEpoch } : {}), batchSize: options.batchSize, init: options.init, validationFraction: options.validationFraction, seed: options.seed, trainImages: n - nVal },
    preprocessing: { scale: 1 / 255, layout: 'flat', inputShape: [784] },
    params: countTrainable(model), testAccuracy, backend: backendInUse(), seconds,
    trainedBy: 'hw2 train mlp (TensorFlow.js)',
  };
  await writeFile(join(options.out, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);
  for (const t of [trainSet.x, trainSet.y, valSet.x, valSet.y, testSet.x, testSet.y]) t.dispose();
  return { testAccuracy, params: card.params, seconds };
}
