import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNpy } from '../../src/data/npy.ts';

/** A .npy v1.0 file by hand, following NumPy's format description. */
function npy(descr: string, shape: number[], body: Buffer): Buffer {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const len = Buffer.alloc(2);
  len.writeUInt16LE(header.length);
  return Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0]), len, Buffer.from(header, 'latin1'), body]);
}

describe('parseNpy', () => {
  it('reads the float32 files that solutions/_make/make_examples.py wrote with Python\'s struct', () => {
    const a = parseNpy(readFileSync(new URL('../../solutions/correct/xavier_128_64.npy', import.meta.url)));
    expect(a).toMatchObject({ dtype: '<f4', shape: [64, 128], fortranOrder: false });
    expect(a.data.length).toBe(8192);
    const b = Math.sqrt(6 / 192);
    expect(a.data.every((v) => Math.abs(v) <= b * (1 + 1e-6))).toBe(true);
  });

  it('reads float64 big-endian and float16', () => {
    const be = Buffer.alloc(16);
    be.writeDoubleBE(1.5, 0);
    be.writeDoubleBE(-2.25, 8);
    expect(Array.from(parseNpy(npy('>f8', [2], be)).data)).toEqual([1.5, -2.25]);
    // float16 by hand: 0x3C00 = 1.0, 0xC000 = −2.0, 0x3555 ≈ 0.33325
    const half = Buffer.from([0x00, 0x3c, 0x00, 0xc0, 0x55, 0x35]);
    const h = parseNpy(npy('<f2', [3], half)).data;
    expect([h[0], h[1]]).toEqual([1, -2]);
    expect(h[2]).toBeCloseTo(0.33325, 5);
  });

  it('refuses what it cannot read, saying what to do', () => {
    expect(() => parseNpy(npy('<i8', [1], Buffer.alloc(8)), 'w.npy')).toThrow("w.npy: dtype '<i8' is not supported; save float16, float32 or float64");
    expect(() => parseNpy(Buffer.from('PK\x03\x04 not npy'), 'w.npy')).toThrow('w.npy is not a .npy file');
    expect(() => parseNpy(npy('<f4', [4, 4], Buffer.alloc(8)), 'w.npy')).toThrow('w.npy: shape (4, 4) needs 64 bytes of data, the file has 8');
  });
});
