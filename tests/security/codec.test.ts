/**
 * The sandbox's message format (src/sandbox/codec.mjs): every value a solution may return
 * survives the trip exactly, everything else is refused by name, and hostile bytes fail at
 * once with a message saying what is wrong, before the decoder allocates what they declare.
 */
import fc from 'fast-check';
import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { CodecError, decode, encode, frame, frameReader, LIMITS } from '../../src/sandbox/codec.mjs';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const key = fc.string({ maxLength: 8 }).filter((k) => !FORBIDDEN.has(k));
const typed = fc.oneof(
  fc.float32Array({ maxLength: 8 }), fc.float64Array({ maxLength: 8 }),
  fc.int32Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }),
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null), fc.constant(undefined), fc.boolean(), fc.double(), fc.string({ unit: 'grapheme' }), typed,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5, noNullPrototype: true }),
  ),
}));

/** The bytes of a hand-made body: [tag, ...u32 little-endian counts] and so on. */
function u32(n: number): number[] {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return [...b];
}

function decodeError(bytes: Buffer | number[]): string {
  try {
    decode(Buffer.from(bytes));
  } catch (error) {
    expect(error).toBeInstanceOf(CodecError);
    expect((error as CodecError).code).toBe('malformed');
    return (error as Error).message;
  }
  throw new Error('decoded bytes that should have been refused');
}

function encodeError(v: unknown, maxBytes?: number): CodecError {
  try {
    encode(v, maxBytes);
  } catch (error) {
    expect(error).toBeInstanceOf(CodecError);
    return error as CodecError;
  }
  throw new Error('encoded a value that should have been refused');
}

describe('the codec round trip', () => {
  it('decodes exactly what was encoded: numbers (NaN, ±Infinity, -0), strings, arrays, plain objects, flat typed arrays', () => {
    fc.assert(fc.property(value, (v) => {
      expect(decode(encode(v))).toStrictEqual(v);
    }), { numRuns: 500 });
  });

  it('keeps typed arrays typed and copies only the view, not the buffer behind it', () => {
    const big = new Float32Array([1, 2, 3, 4, 5, 6]);
    const view = big.subarray(2, 4);
    const back = decode(encode({ view, bytes: Buffer.from('hi') })) as { view: Float32Array; bytes: Uint8Array };
    expect(back.view).toStrictEqual(new Float32Array([3, 4]));
    expect(back.view.buffer.byteLength).toBe(8);
    expect(back.bytes).toStrictEqual(new Uint8Array([104, 105]));
  });

  it('reassembles frames however the pipe splits them', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 6 }), fc.array(fc.nat(50), { maxLength: 20 }), (bodies, cuts) => {
      const stream = Buffer.concat(bodies.map((b) => frame(Buffer.from(b))));
      const got: Buffer[] = [];
      const read = frameReader((body) => void got.push(Buffer.from(body)), () => false);
      let at = 0;
      for (const cut of cuts) {
        read(stream.subarray(at, Math.min(stream.length, at + cut)));
        at = Math.min(stream.length, at + cut);
      }
      read(stream.subarray(at));
      expect(got.map((b) => [...b])).toEqual(bodies.map((b) => [...b]));
    }));
  });

  it('asks about a frame\'s length before buffering its body, and reads nothing more once told to stop', () => {
    const got: number[] = [];
    const asked: number[] = [];
    const read = frameReader((body) => void got.push(body.length), (length) => (asked.push(length), length > 10));
    read(Buffer.concat([frame(Buffer.alloc(3)), frame(Buffer.alloc(11)), frame(Buffer.alloc(2))]));
    expect(asked).toEqual([3, 11]);
    expect(got).toEqual([3]);
  });
});

describe('what the encoder refuses (the child reports it as the call\'s error)', () => {
  it.each([
    ['a BigInt', { a: [1, 2n] }, /the value\.a\[1\] is a bigint/],
    ['a Map', new Map([[1, 2]]), /the value is a Map/],
    ['a Set', { s: new Set([1]) }, /the value\.s is a Set/],
    ['a Date', [new Date(0)], /the value\[0\] is a Date/],
    ['a function', { f: () => 1 }, /the value\.f is a function/],
    ['a symbol', Symbol('x'), /the value is a symbol/],
    ['a class instance', new (class Tensor { x = 1; })(), /the value is a Tensor/],
    ['an Int16Array', new Int16Array(2), /the value is a Int16Array/],
    ['a sparse array', [1, , 3], /the value is a sparse array \(index 1 is a hole\)/],
    ['a __proto__ key', JSON.parse('{"__proto__": {"polluted": true}}'), /has a key named __proto__/],
    ['a constructor key', { constructor: 1 }, /has a key named constructor/],
  ])('%s', (_, v, message) => {
    const error = encodeError(v);
    expect(error.code).toBe('unserializable');
    expect(error.message).toMatch(message);
  });

  it('a value that contains itself, by its depth', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(encodeError(loop)).toMatchObject({ code: 'unserializable', message: expect.stringMatching(/nested more than 64 levels deep \(or contains itself\)/) });
  });

  it('a value shared so often that it expands past the value limit, and one past the byte limit', () => {
    let shared: unknown = [1, 2];
    for (let i = 0; i < 40; i++) shared = [shared, shared]; // 2^40 leaves from 41 arrays
    expect(encodeError(shared)).toMatchObject({ code: 'too-large', message: expect.stringMatching(/more than 2000000 elements; return large data as a typed array/) });
    expect(encodeError(new Float64Array(1000), 4000)).toMatchObject({ code: 'too-large', message: 'the value is more than 4000 bytes encoded' });
  });
});

describe('hostile bytes: decoding fails at once, saying why', () => {
  it('nesting deeper than the limit (100,000 arrays of one) stops at level 64, without exhausting the stack', () => {
    const bytes = Buffer.concat([Buffer.from(Array.from({ length: 100_000 }, () => [6, ...u32(1)]).flat()), Buffer.from([1])]);
    expect(decodeError(bytes)).toMatch(/nested deeper than 64 levels/);
  });

  it('counts declared beyond the bytes that follow are refused before anything is allocated', () => {
    expect(decodeError([6, ...u32(0xffffffff), 1, 1])).toMatch(/an array declares 4294967295 elements but only 2 bytes remain/);
    expect(decodeError([7, ...u32(90_000), 0, 0, 0, 0])).toMatch(/an object declares 90000 keys but only 4 bytes remain/);
    expect(decodeError([7, ...u32(0xffffffff)])).toMatch(/an object declares 4294967295 keys, more than 100000/);
    expect(decodeError([5, ...u32(1 << 30), 65])).toMatch(/a string needs 1073741824 bytes, only 1 remain/);
    expect(decodeError([8, 1, ...u32(1 << 30), 0])).toMatch(/a typed array needs 1073741824 bytes, only 1 remain/);
  });

  it('more values than a message may hold are refused when declared, even when the bytes are there', () => {
    const n = LIMITS.maxNodes + 1;
    const bytes = Buffer.alloc(5 + n, 1); // an array of n nulls, each one byte
    bytes[0] = 6;
    bytes.writeUInt32LE(n, 1);
    expect(decodeError(bytes)).toMatch(/an array declares 2000001 elements, more than the 2000000 values a message may hold/);
    // Spread over many smaller arrays, the count so far stops the one that would pass the limit.
    const many = Buffer.concat([Buffer.from([6, ...u32(1000)]), ...Array.from({ length: 1000 }, () => Buffer.concat([Buffer.from([6, ...u32(2100)]), Buffer.alloc(2100, 1)]))]);
    expect(decodeError(many)).toMatch(/^malformed message at byte 2001865: an array declares 2100 elements, more than the 2000000 values a message may hold$/);
  });

  it('prototype keys, repeated keys, unknown tags and kinds, ragged typed arrays and trailing bytes', () => {
    const text = (s: string) => [...u32(Buffer.byteLength(s)), ...Buffer.from(s)];
    expect(decodeError([7, ...u32(1), ...text('__proto__'), 1])).toMatch(/the key "__proto__" is not allowed/);
    expect(decodeError([7, ...u32(2), ...text('a'), 1, ...text('a'), 1])).toMatch(/the key "a" appears twice/);
    expect(decodeError([9])).toMatch(/unknown tag 9/);
    expect(decodeError([8, 7, ...u32(0)])).toMatch(/unknown typed array kind 7/);
    expect(decodeError([8, 0, ...u32(3), 1, 2, 3])).toMatch(/3 bytes is not a whole number of Float32Array elements/);
    expect(decodeError([1, 1])).toMatch(/1 bytes left over after the value/);
    expect(decodeError([])).toMatch(/a value needs 1 bytes, only 0 remain/);
  });

  it('v8.serialize\'s sparse-array and Map bombs are not this format', () => {
    const sparse: unknown[] = [];
    sparse[2 ** 32 - 2] = 1;
    expect(decodeError(serialize(sparse))).toMatch(/unknown tag 255/);
    expect(decodeError(serialize(new Map([[1, 2]])))).toMatch(/unknown tag 255/);
  });
});
