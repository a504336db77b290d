/** Normalisation as torchvision's Normalize takes it: one number for every channel, or one per channel. */
import { describe, expect, it } from 'vitest';
import type { ImageSet } from '../../src/data/image-set.ts';
import { batch } from '../../src/models/preprocess.ts';

// Two 1×1 RGB images: (255, 0, 51) and (102, 204, 153)
const set: ImageSet = { name: 't', source: 't', synthetic: false, count: 2, height: 1, width: 1, channels: 3, images: Uint8Array.from([255, 0, 51, 102, 204, 153]), labels: Uint8Array.from([0, 1]) };

describe('preprocessing.mean and std', () => {
  it('a single number applies to every channel, exactly as the same number repeated', () => {
    const one = batch(set, 0, 2, { scale: 1 / 255, mean: 0.5, std: 0.25, layout: 'NHWC' });
    const three = batch(set, 0, 2, { scale: 1 / 255, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25], layout: 'NHWC' });
    expect(Array.from(one)).toEqual(Array.from(three));
    // by hand: (255/255 − 0.5)/0.25 = 2, (0 − 0.5)/0.25 = −2, (51/255 − 0.5)/0.25 = −1.2
    expect(Array.from(one.slice(0, 3)).map((v) => Number(v.toFixed(5)))).toEqual([2, -2, -1.2]);
  });

  it('per-channel values apply channel by channel, in NCHW too', () => {
    const x = batch(set, 0, 1, { scale: 1 / 255, mean: [0, 0, 0.2], std: [1, 0.5, 1], layout: 'NCHW' });
    // (1 − 0)/1 = 1, (0 − 0)/0.5 = 0, (0.2 − 0.2)/1 = 0
    expect(Array.from(x).map((v) => Number(v.toFixed(6)))).toEqual([1, 0, 0]);
  });

  it('a list of the wrong length is the pair\'s error, naming the field and what fits', () => {
    expect(() => batch(set, 0, 1, { scale: 1, mean: [0.1, 0.2], layout: 'flat' })).toThrow('preprocessing.mean has 2 values for 3-channel images; give one number or 3');
  });
});

describe('noise', () => {
  it('adds a·z to the scaled image before mean and std, z in the image\'s (h, w, c) order whatever the layout', () => {
    const z = Float32Array.from([1, -2, 0.5]);
    const x = batch(set, 1, 1, { scale: 1 / 255, mean: 0.5, std: 0.5, layout: 'NCHW' }, { a: 0.1, z });
    // by hand: ((102/255 + 0.1·1) − 0.5)/0.5 = 0, ((204/255 − 0.2) − 0.5)/0.5 = 0.2, ((153/255 + 0.05) − 0.5)/0.5 = 0.3
    expect(Array.from(x).map((v) => Number(v.toFixed(5)))).toEqual([0, 0.2, 0.3]);
  });
});
