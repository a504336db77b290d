/** Training on the real FashionMNIST: a few hundred steps make the loss fall, and the card says how it was made. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
