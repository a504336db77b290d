import { describe, expect, it } from 'vitest';
import { parseIdx } from '../../src/data/idx.ts';
import { batch } from '../../src/models/preprocess.ts';
import type { ImageSet } from '../../src/data/image-set.ts';

describe('idx and preprocessing', () => {
  it('reads an idx file built by hand and lays images out as declared', () => {
    // magic 0x00000803 (uint8, 3 dims), 2 images of 1×2 pixels
    const bytes = Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 10, 20, 30, 40]);
    const idx = parseIdx(bytes, 'x');
    expect(idx.shape).toEqual([2, 1, 2]);
    expect(Array.from(idx.data)).toEqual([10, 20, 30, 40]);
    expect(() => parseIdx(Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]), 'f.idx')).toThrow('f.idx: element type 0xd is not supported');
    // RGB 1×2 images: channels last in the set; NCHW puts each channel's plane together
    const set: ImageSet = { name: 't', source: 't', synthetic: false, count: 1, height: 1, width: 2, channels: 3, images: Uint8Array.from([1, 2, 3, 4, 5, 6]), labels: Uint8Array.from([0]) };
    expect(Array.from(batch(set, 0, 1, { scale: 1, layout: 'NHWC' }))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(batch(set, 0, 1, { scale: 1, layout: 'NCHW' }))).toEqual([1, 4, 2, 5, 3, 6]);
    expect(Array.from(batch(set, 0, 1, { scale: 0.5, mean: [1], std: [2], layout: 'flat' }))).toEqual([-0.25, 0, 0.25, 0.5, 0.75, 1]);
  });
});
