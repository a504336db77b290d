/** Training on the real FashionMNIST: a few hundred steps make the loss fall, and the card says how it was made. */
import { copyFile, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CNN_DEFAULTS, trainCnn } from '../../src/train/cnn.ts';
import { MLP_DEFAULTS, trainMlp } from '../../src/train/mlp.ts';
import { locateFashion } from '../../src/data/datasets.ts';

// Only the test split ships with the harness; training needs the train split (60,000 images).
const trainSplit = locateFashion('train');
const noTrainSplit = " — skipped: FashionMNIST's train split is not on this machine (apt-get install dataset-fashion-mnist, or hw2 data fetch fashion)";
if (!trainSplit) console.warn(`hw2 train mlp${noTrainSplit}`);

describe.skipIf(!trainSplit)(`hw2 train mlp${trainSplit ? '' : noTrainSplit}`, () => {
  it('lowers the training loss from one epoch to the next on real data and records its card', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'hw2-train-')), 'mlp');
    const batches: { epoch: number; batch: number; batchesPerEpoch: number; batchSize: number }[] = [];
    const r = await trainMlp({ ...MLP_DEFAULTS, hidden: [32], dropout: 0, epochs: 3, limit: 3000, batchSize: 64, out, onBatch: (e) => batches.push(e) });
    const history = JSON.parse(await readFile(join(out, 'history.json'), 'utf8')) as { loss: number }[];
    expect(history).toHaveLength(3);
    expect(history[2]!.loss).toBeLessThan(history[0]!.loss);
    // 3,000 images less a 10% validation split = 2,700; ⌈2700 / 64⌉ = 43 batches an epoch, the last of 2700 − 42·64 = 12
    expect(batches).toHaveLength(3 * 43);
    expect(batches[42]).toMatchObject({ epoch: 1, batch: 43, batchesPerEpoch: 43, batchSize: 12 });
    expect(batches.at(-1)).toMatchObject({ epoch: 3, batch: 43 });
    // far above chance (10%) after 3 small epochs
    expect(r.testAccuracy).toBeGreaterThan(0.5);
    const card = JSON.parse(await readFile(join(out, 'card.json'), 'utf8'));
    expect(card).toMatchObject({ params: 784 * 32 + 32 + 32 * 10 + 10, hyperparameters: { epochs: 3, batchSize: 64 } });
    expect(card.backend).toMatch(/wasm|cpu|tensorflow/);
  }, 120_000);
});

describe('hw2 train cnn', () => {
  it('trains on SVHN\'s .mat files where they are present, with images of the extra split appended', async () => {
    // SVHN itself is not on this machine: the 5-image fixture SciPy wrote stands in for all three splits
    const data = await mkdtemp(join(tmpdir(), 'hw2-svhn-'));
    await mkdir(join(data, 'svhn'));
    for (const split of ['train', 'test', 'extra']) await copyFile(new URL('../fixtures/mat/svhn_small_z.mat', import.meta.url), join(data, 'svhn', `${split}_32x32.mat`));
    const out = join(data, 'cnn');
    const r = await trainCnn({ ...CNN_DEFAULTS, epochs: 1, extra: 3, dataDir: data, out });
    expect(r.synthetic).toBe(false);
    const card = JSON.parse(await readFile(join(out, 'card.json'), 'utf8'));
    // 5 train + 3 extra = 8 images; round(0.8) = 1 held out for validation, so 7 train; 5 test images
    expect(card).toMatchObject({ synthetic: false, hyperparameters: { trainImages: 7, epochs: 1 } });
    expect(card.data).toMatch(/train_32x32\.mat \+ 3 of .*extra_32x32\.mat \(8 training images less 1 for validation; 5 test images\)$/);
    expect(JSON.parse(await readFile(join(out, 'history.json'), 'utf8'))).toHaveLength(1);
  }, 120_000);
});
