/**
 * The idx format of (Fashion-)MNIST, gzipped or not: a magic number whose third byte is the
 * element type (0x08 = uint8) and fourth the number of dimensions, the sizes as big-endian
 * uint32, then the values. Read straight into typed arrays.
 */
import { gunzipSync } from 'node:zlib';

export interface IdxArray {
  shape: number[];
  data: Uint8Array;
}

export class IdxError extends Error {}

export function parseIdx(bytes: Uint8Array, name: string): IdxArray {
  const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  if (raw.length < 4 || raw[0] !== 0 || raw[1] !== 0) throw new IdxError(`${name} is not an idx file (its first two bytes must be 0)`);
  if (raw[2] !== 0x08) throw new IdxError(`${name}: element type 0x${raw[2]!.toString(16)} is not supported (only 0x08, unsigned bytes)`);
  const dims = raw[3]!;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const shape = Array.from({ length: dims }, (_, i) => view.getUint32(4 + 4 * i, false));
  const start = 4 + 4 * dims;
  const count = shape.reduce((a, b) => a * b, 1);
  if (raw.length - start < count) throw new IdxError(`${name}: shape ${shape.join('×')} needs ${count} bytes, the file has ${raw.length - start}`);
  return { shape, data: raw.subarray(start, start + count) };
}
