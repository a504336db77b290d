/** The MAT v5 reader against files SciPy wrote (tests/fixtures/mat/make_fixtures.py says how). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMat } from '../../src/data/mat.ts';
import { svhnFromMat } from '../../src/data/svhn.ts';
import { loadSvhn } from '../../src/data/datasets.ts';
import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = new URL('../fixtures/mat/', import.meta.url);
const DIR_URL = dir;
const expected = JSON.parse(readFileSync(new URL('svhn_small.json', dir), 'utf8')) as { images: number[]; labels: number[]; count: number };

describe('MAT v5 and SVHN', () => {
  it.each(['svhn_small_raw.mat', 'svhn_small_z.mat'])('reads %s: every pixel and label as SciPy saved them, label 10 as 0', (name) => {
    const set = svhnFromMat(readFileSync(new URL(name, dir)), name, 'svhn/test');
    expect(set.count).toBe(expected.count);
    expect([set.height, set.width, set.channels]).toEqual([32, 32, 3]);
    expect(Array.from(set.labels)).toEqual(expected.labels);
    expect(Array.from(set.images)).toEqual(expected.images);
  });

  it('is found as <data-dir>/svhn/test_32x32.mat', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hw2-svhn-'));
    await mkdir(join(dir, 'svhn'));
    await copyFile(new URL('svhn_small_z.mat', DIR_URL), join(dir, 'svhn', 'test_32x32.mat'));
    const set = await loadSvhn('test', dir);
    expect(Array.from(set.labels)).toEqual(expected.labels);
    await expect(loadSvhn('train', dir)).rejects.toThrow(/SVHN train not found: looked for train_32x32\.mat in/);
  });

  it('names what it cannot read', () => {
    expect(() => parseMat(new Uint8Array(200), 'x.mat')).toThrow('x.mat is not a MATLAB 5.0 MAT-file');
    const v73 = new Uint8Array(200);
    v73.set(new TextEncoder().encode('MATLAB 7.3 MAT-file, Platform: GLNXA64, HDF5 schema 1.00'));
    expect(() => parseMat(v73, 'big.mat')).toThrow(/big\.mat is a MAT v7\.3 \(HDF5\) file/);
    const raw = readFileSync(new URL('svhn_small_raw.mat', dir));
    expect(() => svhnFromMat(raw.subarray(0, 128 + 8), 'cut.mat', 's')).toThrow(/cut\.mat: an element at byte 128 runs past the end/);
  });
});
