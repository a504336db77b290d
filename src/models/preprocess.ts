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
  // (pixel·scale + a·z − mean)/std, as pixel·(scale/std) + z·(a/std) − mean/std: one multiply-add
  // per term in the inner loops, which run over every value of a 26,032-image test set per level.
  const pixelGain = mean.map((_, ch) => p.scale / std[ch]!);
  const noiseGain = mean.map((_, ch) => (noise ? noise.a / std[ch]! : 0));
  const offset = mean.map((m, ch) => -m / std[ch]!);
  const images = set.images;
  const z = noise?.z;
  const pixels = h * w * c;
  const plane = h * w;
  const out = new Float32Array(n * pixels);
  for (let i = 0; i < n; i++) {
    const src = (start + i) * pixels;
    const dst = i * pixels;
    // z's rows are the batch's images, in each image's (h, w, c) order, like the pixels.
    const zRow = i * pixels;
    for (let ch = 0; ch < c; ch++) {
      const gain = pixelGain[ch]!;
      const zGain = noiseGain[ch]!;
      const shift = offset[ch]!;
      // NCHW: channel planes one after another; flat and NHWC: the image's own order.
      const base = p.layout === 'NCHW' ? dst + ch * plane : dst + ch;
      const step = p.layout === 'NCHW' ? 1 : c;
      if (z) for (let q = 0, k = ch; q < plane; q++, k += c) out[base + q * step] = images[src + k]! * gain + z[zRow + k]! * zGain + shift;
      else for (let q = 0, k = ch; q < plane; q++, k += c) out[base + q * step] = images[src + k]! * gain + shift;
    }
  }
  return out;
}
