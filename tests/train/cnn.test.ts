import { copyFile, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CNN_DEFAULTS, trainCnn } from '../../src/train/cnn.ts';

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
