/**
 * The data plan: which files each test set comes from, and a fingerprint of their content
 * that goes into every cache key. Expected sums come from coreutils' sha256sum, run on the
 * same files, not from the code under test.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_FASHION_DIR, FASHION_SHA256, locateFashion } from '../../src/data/datasets.ts';
import { planFingerprint, planGradingData, SYNTHETIC_SVHN_FINGERPRINT } from '../../src/data/plan.ts';

const sha256sum = (file: string) => execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0]!;
const mat = new URL('../fixtures/mat/svhn_small_z.mat', import.meta.url).pathname;

describe('the data plan', () => {
  it('the embedded test split is the official one: its decompressed content has the published sums', () => {
    for (const stem of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
      const content = execFileSync('sh', ['-c', `gzip -dc '${join(EMBEDDED_FASHION_DIR, `${stem}.gz`)}' | sha256sum`], { encoding: 'utf8' }).split(' ')[0];
      expect(content, stem).toBe(FASHION_SHA256[stem]);
    }
  });

  it('prefers a configured folder, fingerprints its files by content, and uses SVHN where it is', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hw2-plan-'));
    await mkdir(join(dir, 'fashion-mnist'));
    await mkdir(join(dir, 'svhn'));
    for (const f of ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) await copyFile(join(EMBEDDED_FASHION_DIR, f), join(dir, 'fashion-mnist', f));
    await copyFile(mat, join(dir, 'svhn', 'test_32x32.mat'));
    const plan = await planGradingData(dir);
    const images = join(dir, 'fashion-mnist', 't10k-images-idx3-ubyte.gz');
    const labels = join(dir, 'fashion-mnist', 't10k-labels-idx1-ubyte.gz');
    expect(plan.fashionTest.data).toEqual({ kind: 'idx', images, labels });
    const expected = createHash('sha256').update(sha256sum(images) + sha256sum(labels)).digest('hex');
    expect(plan.fashionTest.fingerprint).toBe(expected);
    expect(plan.fashionTest.line).toBe(`FashionMNIST test: ${images}, sha256 ${sha256sum(images).slice(0, 12)}…`);
    expect(plan.svhnTest.data).toEqual({ kind: 'mat', file: join(dir, 'svhn', 'test_32x32.mat') });
    expect(plan.svhnTest.fingerprint).toBe(sha256sum(mat));
    expect(planFingerprint(plan)).toBe(`fashion-test:${expected};svhn-test:${sha256sum(mat)}`);
  });

  it('without SVHN, says the synthetic stand-in will be used and fingerprints it as such', async () => {
    const plan = await planGradingData(await mkdtemp(join(tmpdir(), 'hw2-plan-empty-')));
    if (plan.svhnTest.data.kind === 'mat') return; // a machine with SVHN installed system-wide
    expect(plan.svhnTest).toEqual({ data: { kind: 'synthetic' }, fingerprint: SYNTHETIC_SVHN_FINGERPRINT, line: 'SVHN test: absent — Task 3 is measured on the synthetic stand-in and its accuracy checks go to a TA' });
  });

  it('never takes a folder named like a dataset file for the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hw2-plan-dirs-'));
    await mkdir(join(dir, 'fashion-mnist', 't10k-images-idx3-ubyte.gz'), { recursive: true });
    await mkdir(join(dir, 'fashion-mnist', 't10k-labels-idx1-ubyte.gz'), { recursive: true });
    const found = locateFashion('test', dir);
    expect(found?.images).not.toBe(join(dir, 'fashion-mnist', 't10k-images-idx3-ubyte.gz'));
  });
});
