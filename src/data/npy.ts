/**
 * A reader for NumPy's .npy format (versions 1–3): the magic, a little Python-literal header
 * with descr, fortran_order and shape, then the raw values. Floating-point dtypes are read
 * (f2, f4, f8, either byte order); anything else is refused with the dtype named.
 */
import { boundString } from '../util/text.ts';

export interface NpyArray {
  dtype: string;
  shape: number[];
  fortranOrder: boolean;
  data: Float64Array;
}

export class NpyError extends Error {}

/**
 * NumPy's own np.load refuses headers longer than this (its max_header_size, since 1.24);
 * np.save pads headers to 64 bytes and an honest one is under 200. A longer header is text
 * the student chose, and it would be copied into messages: refused before it is decoded.
 */
export const MAX_NPY_HEADER_BYTES = 10_000;

/** Header text in messages: bounded, since the file's author wrote it. */
const clip = (text: string, max = 80) => boundString(text, max);

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

export function parseNpy(bytes: Uint8Array, name = 'file'): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new NpyError(`${name} is not a .npy file (no \\x93NUMPY magic at the start)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new NpyError(`${name}: .npy version ${major} is not supported (1, 2 or 3)`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  if (headerLength > MAX_NPY_HEADER_BYTES) throw new NpyError(`${name}: the header is ${headerLength} bytes, more than the limit of ${MAX_NPY_HEADER_BYTES} (NumPy's own); save it again with np.save`);
  if (headerStart + headerLength > bytes.length) throw new NpyError(`${name}: the header runs past the end of the file`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new NpyError(`${name}: the header lacks descr, fortran_order or shape: ${clip(header.trim(), 120)}`);
  }
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new NpyError(`${name}: shape (${clip(shapeText)}) is not a tuple of sizes`);
  const count = shape.reduce((a, b) => a * b, 1);
  const m = /^([<>|=])([fiu])(\d+)$/.exec(descr);
  if (!m || m[2] !== 'f' || !['2', '4', '8'].includes(m[3]!)) {
    throw new NpyError(`${name}: dtype '${clip(descr)}' is not supported; save float16, float32 or float64 (e.g. np.save(path, w.astype(np.float32)))`);
  }
  const little = m[1] !== '>';
  const size = Number(m[3]);
  const start = headerStart + headerLength;
  if (bytes.length - start < count * size) {
    throw new NpyError(`${name}: shape (${clip(shapeText)}) needs ${count * size} bytes of data, the file has ${bytes.length - start}`);
  }
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const at = start + i * size;
    data[i] = size === 8 ? view.getFloat64(at, little) : size === 4 ? view.getFloat32(at, little) : halfToFloat(view.getUint16(at, little));
  }
  return { dtype: descr, shape, fortranOrder: fortran === 'True', data };
}
