/**
 * Turning dataset images into a model's input, as the pair declared it: pixels × scale,
 * minus mean and over std per channel, laid out flat, NHWC or NCHW. Noise for Task 3 is
 * added to the scaled image, before mean/std: image + a·N(0,1) with the image in [0, 1] is
 * how the homework's PyTorch code adds it after ToTensor (stated in the README).
 */
import type { ImageSet } from '../data/image-set.ts';

export interface Preprocessing {
  scale: number;
  /** One number for all channels, or one per channel (torchvision's Normalize takes both). */
  mean?: number | number[];
  std?: number | number[];
  layout: 'flat' | 'NHWC' | 'NCHW';
}

export function inputShape(set: ImageSet, layout: Preprocessing['layout'], n: number): number[] {
  const { height: h, width: w, channels: c } = set;
  return layout === 'flat' ? [n, h * w * c] : layout === 'NHWC' ? [n, h, w, c] : [n, c, h, w];
}

/** A per-channel list from one number or a list of 1 or `channels` numbers; anything else is the pair's error. */
export function perChannel(value: number | number[] | undefined, channels: number, field: string, fallback: number): number[] {
  if (value === undefined) return Array.from({ length: channels }, () => fallback);
  const list = typeof value === 'number' ? [value] : value;
  if (list.length === 1) return Array.from({ length: channels }, () => list[0]!);
  if (list.length !== channels) throw new Error(`preprocessing.${field} has ${list.length} values for ${channels}-channel images; give one number or ${channels}`);
  return list;
}

/**
 * A float32 batch of images [start, start + n), noisy when `noise` is given: `z` holds the n
 * images' N(0, 1) draws in the images' own (h, w, c) order (src/data/noise.ts), scaled by `a`.
 */
export function batch(set: ImageSet, start: number, n: number, p: Preprocessing, noise?: { a: number; z: Float32Array }): Float32Array {
  const { height: h, width: w, channels: c } = set;
  const mean = perChannel(p.mean, c, 'mean', 0);
  const std = perChannel(p.std, c, 'std', 1);
  const pixels = h * w * c;
  const out = new Float32Array(n * pixels);
  for (let i = 0; i < n; i++) {
    const base = (start + i) * pixels;
    const zBase = i * pixels;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let ch = 0; ch < c; ch++) {
          const hwc = (y * w + x) * c + ch;
          let v = set.images[base + hwc]! * p.scale;
          if (noise) v += noise.a * noise.z[zBase + hwc]!;
          v = (v - mean[ch]!) / std[ch]!;
          const at = p.layout === 'NCHW' ? ch * h * w + y * w + x : (y * w + x) * c + ch;
          out[i * pixels + at] = v;
        }
      }
    }
  }
  return out;
}
