/**
 * A deterministic stand-in for SVHN where the real files are absent: 32×32 RGB crops of a
 * house number — a centred digit with its neighbours cut by the frame, drawn from a 5×7
 * bitmap font at varied size, stroke, slant and colours, then blurred and noised. Image i
 * depends only on (seed, i). Every result that used it says "synthetic".
 */
import type { ImageSet } from './image-set.ts';
import { makeRng, type Rng } from '../util/random.ts';

/** 5×7 glyphs of the digits 0–9, one string per row. */
const FONT = [
  ['01110', '10001', '10011', '10101', '11001', '10001', '01110'],
  ['00100', '01100', '00100', '00100', '00100', '00100', '01110'],
  ['01110', '10001', '00001', '00010', '00100', '01000', '11111'],
  ['11111', '00010', '00100', '00010', '00001', '10001', '01110'],
  ['00010', '00110', '01010', '10010', '11111', '00010', '00010'],
  ['11111', '10000', '11110', '00001', '00001', '10001', '01110'],
  ['00110', '01000', '10000', '11110', '10001', '10001', '01110'],
  ['11111', '00001', '00010', '00100', '01000', '01000', '01000'],
  ['01110', '10001', '10001', '01110', '10001', '10001', '01110'],
  ['01110', '10001', '10001', '01111', '00001', '00010', '01100'],
];

const SIZE = 32;

/** Coverage of a digit glyph at (x, y) in glyph units, with a stroke-width dilation. */
function inGlyph(d: number, gx: number, gy: number, stroke: number): boolean {
  for (let dy = -stroke; dy <= stroke; dy += stroke || 1) {
    for (let dx = -stroke; dx <= stroke; dx += stroke || 1) {
      const x = Math.floor(gx + dx);
      const y = Math.floor(gy + dy);
      if (y >= 0 && y < 7 && x >= 0 && x < 5 && FONT[d]![y]![x] === '1') return true;
      if (!stroke) return false;
    }
  }
  return false;
}

function renderOne(rng: Rng, out: Uint8Array, offset: number): number {
  const label = Math.floor(rng.next() * 10);
  const neighbours = [Math.floor(rng.next() * 10), Math.floor(rng.next() * 10)];
  const height = 16 + rng.next() * 10; // glyph height in pixels
  const width = height * (0.55 + rng.next() * 0.2);
  const gap = width * (0.15 + rng.next() * 0.3);
  const slant = (rng.next() - 0.5) * 0.5;
  const stroke = rng.next() < 0.5 ? 0 : 0.25;
  const cx = SIZE / 2 + (rng.next() - 0.5) * 3;
  const cy = SIZE / 2 + (rng.next() - 0.5) * 3;
  const bg = [rng.next(), rng.next(), rng.next()].map((v) => 40 + v * 200);
  let fg = [rng.next(), rng.next(), rng.next()].map((v) => 40 + v * 200);
  // keep enough contrast to be legible, as house numbers are
  if (Math.abs(fg.reduce((a, b) => a + b) - bg.reduce((a, b) => a + b)) < 180) fg = bg.map((v) => (v > 128 ? v - 150 : v + 150));
  const noise = 3 + rng.next() * 12;
  const plane = new Float64Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      let cover = 0;
      for (const [k, digit] of [[0, label], [-1, neighbours[0]!], [1, neighbours[1]!]] as const) {
        const left = cx - width / 2 + k * (width + gap);
        const gy = ((y - (cy - height / 2)) / height) * 7;
        const gx = ((x - left + slant * (y - cy)) / width) * 5;
        if (inGlyph(digit, gx, gy, stroke)) cover = 1;
      }
      plane[y * SIZE + x] = cover;
    }
  }
  // 3×3 box blur of the coverage, then colour and noise
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      let sum = 0;
      let n = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const yy = y + dy;
        const xx = x + dx;
        if (yy >= 0 && yy < SIZE && xx >= 0 && xx < SIZE) {
          sum += plane[yy * SIZE + xx]!;
          n++;
        }
      }
      const a = sum / n;
      for (let c = 0; c < 3; c++) {
        const v = bg[c]! * (1 - a) + fg[c]! * a + noise * rng.normal();
        out[offset + (y * SIZE + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
  return label;
}

export function syntheticSvhn(split: 'train' | 'test', count: number, seed = 211): ImageSet {
  const images = new Uint8Array(count * SIZE * SIZE * 3);
  const labels = new Uint8Array(count);
  const base = split === 'train' ? seed * 2 : seed * 2 + 1;
  for (let i = 0; i < count; i++) labels[i] = renderOne(makeRng(base * 1_000_003 + i), images, i * SIZE * SIZE * 3);
  return { name: `svhn-synthetic/${split}`, source: 'synthetic', synthetic: true, count, height: SIZE, width: SIZE, channels: 3, images, labels };
}
