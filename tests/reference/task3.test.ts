/**
 * Task 3's reference (reference/task3.ts): the baseline CNN's parameter count by formula, held
 * to a hand calculation and to TensorFlow.js's own count of the model `buildCnn` builds; the
 * published CNNs held to their cards; the noise protocol's sentences held to what
 * src/models/preprocess.ts does; the thresholds to the rubric; the items table to the registry.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECK_IDS, REGISTRY } from '../../checks/index.ts';
import { referenceAnswer, REFERENCE_TOPICS } from '../../reference/index.ts';
import { countLayers } from '../../reference/task2.ts';
import {
  CNN_DEFAULTS, CNN_INPUT, CNN_PUBLISHED, cnnLayers, HOMEWORK_THRESHOLDS, ITEMS, referenceTask3, SYNTHETIC_TEST,
} from '../../reference/task3.ts';
import type { ImageSet } from '../../src/data/image-set.ts';
import { noiseField } from '../../src/data/noise.ts';
import { SYNTHETIC_SVHN_TEST } from '../../src/models/evaluate-child.ts';
import { batch } from '../../src/models/preprocess.ts';
import { countTrainable } from '../../src/models/tfjs-io.ts';
import { tensorflow } from '../../src/tf/runtime.ts';
import { buildCnn, CNN_DEFAULTS as TRAIN_CNN_DEFAULTS } from '../../src/train/cnn.ts';
import { makeRng } from '../../src/util/random.ts';
import { RUBRIC } from '../helpers.ts';

const card = (path: string) => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'));

describe('Task 3 reference: the baseline CNN counted by formula', () => {
  it('counts the baseline as by hand: 3·3·3·16+16 + 3·3·16·32+32 + (8·8·32)·64+64 + 64·10+10 = 136,874', () => {
    // conv 448; pool 32→16; conv 4,640; pool 16→8; flatten 8·8·32 = 2,048; dense 131,136; dense 650
    const byHand = 3 * 3 * 3 * 16 + 16 + (3 * 3 * 16 * 32 + 32) + (8 * 8 * 32 * 64 + 64) + (64 * 10 + 10);
    expect(byHand).toBe(136_874);
    const counted = countLayers(CNN_INPUT, cnnLayers(CNN_DEFAULTS));
    expect(counted.total).toBe(byHand);
    expect(counted.rows.map((r) => r.params)).toEqual([448, 0, 4_640, 0, 0, 131_136, 650]);
    expect(counted.rows.map((r) => r.output)).toEqual([[32, 32, 16], [16, 16, 16], [16, 16, 32], [8, 8, 32], [2_048], [64], [10]]);
    expect(counted.rows[2]!.formula).toBe('3·3·16·32 + 32');
  });

  it('agrees with TensorFlow.js\'s own count of the model buildCnn builds, layer by layer (the defaults and other sizes)', async () => {
    await tensorflow('cpu');
    for (const h of [CNN_DEFAULTS, { ...CNN_DEFAULTS, filters: [8, 24] as [number, number], dense: 32 }, { ...CNN_DEFAULTS, filters: [32, 64] as [number, number], dense: 128 }]) {
      const model = buildCnn(h);
      const counted = countLayers(CNN_INPUT, cnnLayers(h));
      expect(countTrainable(model)).toBe(counted.total);
      expect(model.layers.map((l) => l.countParams())).toEqual(counted.rows.map((r) => r.params));
      expect(model.layers.map((l) => (l.outputShape as number[]).slice(1))).toEqual(counted.rows.map((r) => r.output));
      model.dispose();
    }
  });

  it('is the single source of the train module\'s defaults', () => {
    expect(TRAIN_CNN_DEFAULTS).toBe(CNN_DEFAULTS);
  });
});

describe('Task 3 reference: the published CNNs are what their cards say', () => {
  it('the CNN and the augmented CNN: parameters, hyper-parameters, synthetic data, accuracy', () => {
    const plain = card(CNN_PUBLISHED.card);
    const augmented = card(CNN_PUBLISHED.augmented.card);
    const h = CNN_PUBLISHED.hyperparameters;
    for (const c of [plain, augmented]) {
      expect(c.params).toBe(CNN_PUBLISHED.paramsOnCard);
      expect(c.synthetic).toBe(CNN_PUBLISHED.synthetic);
      expect(c.architecture).toBe(`CNN 32×32×3 → Conv 3×3×${h.filters[0]} ReLU → MaxPool 2 → Conv 3×3×${h.filters[1]} ReLU → MaxPool 2 → Dense ${h.dense} ReLU → Dense 10 softmax`);
      expect(c.hyperparameters).toMatchObject({ learningRate: h.learningRate, epochs: h.epochs, batchSize: h.batchSize, seed: h.seed });
      expect(c.preprocessing).toEqual({ scale: 1 / 255, layout: 'NHWC', inputShape: CNN_INPUT });
      expect(c.data).toContain(`${CNN_PUBLISHED.testImages} test images`);
    }
    expect(plain.hyperparameters.augment).toBe(false);
    expect(augmented.hyperparameters.augment).toMatch(/shifts of up to 2 px/);
    expect(plain.testAccuracy).toBe(CNN_PUBLISHED.testAccuracy);
    expect(augmented.testAccuracy).toBe(CNN_PUBLISHED.augmented.testAccuracy);
    expect(countLayers(CNN_INPUT, cnnLayers(h)).total).toBe(CNN_PUBLISHED.paramsOnCard);
  });
});

describe('Task 3 reference: the evaluation protocol says what the evaluator does', () => {
  it('the synthetic stand-in has as many images as the evaluator generates', () => {
    expect(SYNTHETIC_TEST).toBe(SYNTHETIC_SVHN_TEST);
  });

  it('noise: pixel·scale + a·ε before mean/std, not clipped, ε drawn in row, column, channel order whatever the layout, restarted from the seed', () => {
    // two 2×2 RGB images, bright and dark, so that noise pushes values outside [0, 1]
    const px = 2 * 2 * 3;
    const images = Uint8Array.from({ length: 2 * px }, (_, i) => (i < px ? 255 : 0));
    const set: ImageSet = { name: 't', source: 'test', synthetic: true, count: 2, height: 2, width: 2, channels: 3, images, labels: Uint8Array.of(0, 1) };
    const a = 0.05;
    const seed = 211;
    const p = { scale: 1 / 255, mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.5], layout: 'NCHW' as const };
    const rng = makeRng(seed);
    const eps = Array.from({ length: 2 * px }, () => rng.normal());
    const got = batch(set, 0, 2, p, { a, z: noiseField(seed, 2, px) });
    for (let i = 0; i < 2; i++) for (let y = 0; y < 2; y++) for (let x = 0; x < 2; x++) for (let c = 0; c < 3; c++) {
      const hwc = i * px + (y * 2 + x) * 3 + c;
      const expected = (images[hwc]! / 255 + a * eps[hwc]! - p.mean[c]!) / p.std[c]!;
      expect(got[i * px + c * 4 + y * 2 + x]).toBeCloseTo(expected, 5);
    }
    // unclipped: with mean 0 and std 1 the noisy bright image leaves [0, 1] above, the dark one below
    const plain = batch(set, 0, 2, { scale: 1 / 255, layout: 'NHWC' }, { a, z: noiseField(seed, 2, px) });
    expect(Math.max(...plain)).toBeGreaterThan(1);
    expect(Math.min(...plain)).toBeLessThan(0);
    // the same ε for every level: the run's one noise field (src/data/noise.ts), scaled
    const small = batch(set, 0, 2, { scale: 1 / 255, layout: 'NHWC' }, { a: 0.005, z: noiseField(seed, 2, px) });
    for (let k = 0; k < plain.length; k++) expect((small[k]! - images[k]! / 255) * 10).toBeCloseTo(plain[k]! - images[k]! / 255, 5);
  });

  it('names the rubric\'s noise levels, split sizes and tolerance', async () => {
    const answer = await referenceAnswer('task3', RUBRIC) as ReturnType<typeof referenceTask3>;
    expect(answer.protocol.noise.levels).toEqual(RUBRIC.task3.noise);
    expect(answer.protocol.split.images).toBe(26_032);
    expect(answer.protocol.withoutSvhn.images).toBe(5_000);
    expect(answer.protocol.claims.claimTolerance).toBe(RUBRIC.task3.claimTolerance);
  });
});

describe('Task 3 reference: thresholds', () => {
  it('are the rubric\'s, which are hw2.md\'s 86% and 90%', async () => {
    const answer = await referenceAnswer('task3', RUBRIC) as ReturnType<typeof referenceTask3>;
    expect(answer.thresholds).toMatchObject({ pass: RUBRIC.task3.pass, full: RUBRIC.task3.full, passCredit: RUBRIC.task3.passCredit, claimTolerance: RUBRIC.task3.claimTolerance, rubricDiffersFromHomework: false });
    expect({ pass: RUBRIC.task3.pass, full: RUBRIC.task3.full }).toEqual(HOMEWORK_THRESHOLDS);
    expect(answer.thresholds.examples).toEqual([{ accuracy: 0.859, credit: 0 }, { accuracy: 0.86, credit: 0.5 }, { accuracy: 0.88, credit: 0.75 }, { accuracy: 0.9, credit: 1 }]);
  });
});

describe('Task 3 reference: items → checks', () => {
  it('names only checks of the registry, each a Task 3 check, items 1 to 5', () => {
    const named = ITEMS.flatMap((i) => i.checks);
    for (const id of named) expect(CHECK_IDS).toContain(id);
    for (const id of named) expect(REGISTRY.find((c) => c.id === id)!.question).toBe('task3');
    expect(ITEMS.map((i) => i.item)).toEqual([1, 2, 3, 4, 5]);
  });

  it('covers every automatic Task 3 check, and every Task 3 check at all', () => {
    const named = new Set(ITEMS.flatMap((i) => i.checks));
    const auto = REGISTRY.filter((c) => c.question === 'task3' && c.kind === 'auto');
    expect(auto.length).toBeGreaterThan(0);
    for (const c of auto) expect(named).toContain(c.id);
    for (const c of REGISTRY.filter((x) => x.question === 'task3')) expect(named).toContain(c.id);
  });

  it('is a topic of hw2 reference, JSON-able, with the formula\'s count', async () => {
    expect(REFERENCE_TOPICS).toContain('task3');
    const answer = await referenceAnswer('task3', RUBRIC) as ReturnType<typeof referenceTask3>;
    expect(answer.baseline.defaults.params).toBe(136_874);
    expect(answer.baseline.published.params).toBe(136_874);
    expect(answer.items.find((i) => i.item === 4)!.checkPoints).toEqual({ 'task3.noise': RUBRIC.checks['task3.noise']!.points });
    expect(JSON.parse(JSON.stringify(answer))).toEqual(answer);
  });
});
