/**
 * SVHN's cropped digits (train_32x32.mat, test_32x32.mat): X is 32×32×3×N uint8 in MATLAB's
 * column-major order, y is N×1 with label 10 for the digit 0. Returned channels-last, labels
 * 0–9, like every ImageSet.
 */
import type { ImageSet } from './image-set.ts';
import { MatError, parseMat } from './mat.ts';

export function svhnFromMat(bytes: Uint8Array, file: string, name: string): ImageSet {
  const arrays = parseMat(bytes, file);
  const X = arrays.get('X');
  const y = arrays.get('y');
  if (!X || !y) throw new MatError(`${file}: expected the variables X and y, found ${[...arrays.keys()].join(', ') || 'none'}`);
  const [h, w, c, n] = X.dims as [number, number, number, number];
  if (X.dims.length !== 4 || c !== 3 || !(X.data instanceof Uint8Array)) throw new MatError(`${file}: X must be H×W×3×N uint8, found ${X.dims.join('×')}`);
  if (y.data.length !== n) throw new MatError(`${file}: y has ${y.data.length} labels for ${n} images`);
  const images = new Uint8Array(n * h * w * c);
  // column-major index of (row, col, ch, k): row + h·(col + w·(ch + c·k))
  for (let k = 0; k < n; k++) for (let ch = 0; ch < c; ch++) for (let col = 0; col < w; col++) {
    const src = h * (col + w * (ch + c * k));
    for (let row = 0; row < h; row++) images[((k * h + row) * w + col) * c + ch] = X.data[src + row]!;
  }
  const labels = Uint8Array.from(y.data, (v) => Number(v) % 10);
  return { name, source: file, synthetic: false, count: n, height: h, width: w, channels: c, images, labels };
}
