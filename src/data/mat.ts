/**
 * A reader for MATLAB's level 5 MAT-files, enough for SVHN's train_32x32.mat and
 * test_32x32.mat: numeric arrays (any real class), zlib-compressed elements, both byte
 * orders, column-major data. Everything else is skipped or refused with its name.
 */
import { inflateSync } from 'node:zlib';

export interface MatArray {
  name: string;
  dims: number[];
  /** Values in MATLAB's column-major order. */
  data: Uint8Array | Float64Array;
}

export class MatError extends Error {}

const MI = { INT8: 1, UINT8: 2, INT16: 3, UINT16: 4, INT32: 5, UINT32: 6, SINGLE: 7, DOUBLE: 9, INT64: 12, UINT64: 13, MATRIX: 14, COMPRESSED: 15, UTF8: 16 } as const;
const SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8, 16: 1 };

interface Element { type: number; view: DataView; start: number; length: number }

/** Reads the data elements in [start, end), following MAT v5's small-element and padding rules. */
function* elements(view: DataView, start: number, end: number, little: boolean, file: string): Generator<Element> {
  let pos = start;
  while (pos + 8 <= end) {
    const word = view.getUint32(pos, little);
    if (word >>> 16) {
      // small data element: size in the upper half, type in the lower, data in the next 4 bytes
      yield { type: word & 0xffff, view, start: pos + 4, length: word >>> 16 };
      pos += 8;
      continue;
    }
    const length = view.getUint32(pos + 4, little);
    if (pos + 8 + length > end) throw new MatError(`${file}: an element at byte ${pos} runs past the end of its container`);
    yield { type: word, view, start: pos + 8, length };
    pos += 8 + (word === MI.COMPRESSED ? length : Math.ceil(length / 8) * 8);
  }
}

function numbers(e: Element, little: boolean, file: string): Float64Array {
  const size = SIZE[e.type];
  if (!size || e.type === MI.UTF8) throw new MatError(`${file}: data type ${e.type} is not numeric`);
  const n = e.length / size;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const at = e.start + i * size;
    switch (e.type) {
      case MI.INT8: out[i] = e.view.getInt8(at); break;
      case MI.UINT8: out[i] = e.view.getUint8(at); break;
      case MI.INT16: out[i] = e.view.getInt16(at, little); break;
      case MI.UINT16: out[i] = e.view.getUint16(at, little); break;
      case MI.INT32: out[i] = e.view.getInt32(at, little); break;
      case MI.UINT32: out[i] = e.view.getUint32(at, little); break;
      case MI.SINGLE: out[i] = e.view.getFloat32(at, little); break;
      case MI.DOUBLE: out[i] = e.view.getFloat64(at, little); break;
      case MI.INT64: out[i] = Number(e.view.getBigInt64(at, little)); break;
      case MI.UINT64: out[i] = Number(e.view.getBigUint64(at, little)); break;
    }
  }
  return out;
}

function matrix(e: Element, little: boolean, file: string): MatArray | undefined {
  const parts = [...elements(e.view, e.start, e.start + e.length, little, file)];
  if (parts.length < 4) return undefined;
  const [flags, dimsEl, nameEl, real] = parts as [Element, Element, Element, Element];
  const mxClass = flags.view.getUint32(flags.start, little) & 0xff;
  if (mxClass < 6 || mxClass > 15) return undefined; // cells, structs, chars, sparse: not needed here
  const dims = Array.from(numbers(dimsEl, little, file));
  const name = new TextDecoder().decode(new Uint8Array(nameEl.view.buffer, nameEl.view.byteOffset + nameEl.start, nameEl.length));
  const count = dims.reduce((a, b) => a * b, 1);
  // uint8 data stays bytes (SVHN's 73,257 images are 225 MB as uint8, 1.8 GB as doubles).
  const data = real.type === MI.UINT8
    ? new Uint8Array(real.view.buffer, real.view.byteOffset + real.start, real.length).slice()
    : numbers(real, little, file);
  if (data.length !== count) throw new MatError(`${file}: ${name} has dimensions ${dims.join('×')} but ${data.length} values`);
  return { name, dims, data };
}

export function parseMat(bytes: Uint8Array, file: string): Map<string, MatArray> {
  if (bytes.length < 128) throw new MatError(`${file} is too short for a MAT-file (no 128-byte header)`);
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, 10));
  if (text.startsWith('MATLAB 7.3') || /HDF/.test(new TextDecoder('latin1').decode(bytes.subarray(0, 128)))) {
    throw new MatError(`${file} is a MAT v7.3 (HDF5) file; save it as v5 (scipy.io.savemat, or MATLAB's -v7)`);
  }
  if (!text.startsWith('MATLAB 5.0')) throw new MatError(`${file} is not a MATLAB 5.0 MAT-file`);
  const endian = String.fromCharCode(bytes[126]!, bytes[127]!);
  if (endian !== 'IM' && endian !== 'MI') throw new MatError(`${file}: unreadable endian indicator "${endian}"`);
  const little = endian === 'IM';
  const out = new Map<string, MatArray>();
  const visit = (view: DataView, start: number, end: number) => {
    for (const e of elements(view, start, end, little, file)) {
      if (e.type === MI.COMPRESSED) {
        const inflated = inflateSync(new Uint8Array(e.view.buffer, e.view.byteOffset + e.start, e.length));
        visit(new DataView(inflated.buffer, inflated.byteOffset, inflated.byteLength), 0, inflated.byteLength);
      } else if (e.type === MI.MATRIX) {
        const m = matrix(e, little, file);
        if (m) out.set(m.name, m);
      }
    }
  };
  visit(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 128, bytes.byteLength);
  return out;
}
