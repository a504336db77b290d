// The message format between the grader and its sandboxed child, both ways: data only,
// bounded while decoding. Plain JavaScript because the child loads it with no TypeScript
// loader; src/sandbox/codec.d.mts gives the grader its types.
//
// Why not v8.serialize: its decoder trusts the bytes (a sparse array of length 2^32 or a Map
// of millions of entries costs a few bytes to declare and gigabytes to build) and it carries
// types no check expects (BigInt, Date, Map). Here every count is checked against the bytes
// that remain before anything is allocated, so decoding costs at most a small multiple of
// the frame's size, and anything malformed fails at once with a message saying what.
//
// Value := tag byte, then
//   0 undefined | 1 null | 2 false | 3 true | 4 number: float64 LE
//   5 string: u32 byte length, UTF-8
//   6 array: u32 count, then count values (dense)
//   7 object: u32 count, then count × (u32 key byte length, UTF-8 key, value)
//   8 typed array: u8 kind (TYPED below), u32 byte length, the elements' bytes (LE)

export const LIMITS = Object.freeze({
  /** Containers nested deeper than this are refused (a cycle ends here too). */
  maxDepth: 64,
  /**
   * Values in one message (a typed array counts as one): a 600×600 matrix of plain numbers
   * is 361,000; at most ~64 bytes of memory each, this bounds a decoded message to ~128 MB.
   */
  maxNodes: 2_000_000,
  /** Keys of one object. */
  maxKeys: 100_000,
});

const TYPED = [Float32Array, Float64Array, Int32Array, Uint8Array];
/** Keys that mean something to JavaScript beyond data; no answer needs them. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A value that cannot be encoded, or bytes that cannot be decoded; `code` says which. */
export class CodecError extends Error {
  /** `overBytes`: a 'too-large' value that passed the byte limit (rather than a count). */
  constructor(code, message, overBytes = false) {
    super(message);
    this.name = 'CodecError';
    this.code = code;
    this.overBytes = overBytes;
  }
}

function typeName(value) {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  return tag === 'Object' ? value.constructor?.name ?? 'object' : tag;
}

/** Encodes `value`; throws CodecError 'unserializable' or 'too-large' (over `maxBytes`). */
export function encode(value, maxBytes = 64 * 1024 * 1024) {
  let buffer = Buffer.allocUnsafe(1024);
  let at = 0;
  let nodes = 0;
  const room = (n) => {
    if (at + n > maxBytes) throw new CodecError('too-large', `the value is more than ${maxBytes} bytes encoded`, true);
    if (at + n <= buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.min(Math.max(buffer.length * 2, at + n), maxBytes));
    buffer.copy(grown, 0, 0, at);
    buffer = grown;
  };
  const byte = (b) => {
    room(1);
    buffer[at++] = b;
  };
  const u32 = (n) => {
    room(4);
    buffer.writeUInt32LE(n, at);
    at += 4;
  };
  const text = (s) => {
    const length = Buffer.byteLength(s);
    u32(length);
    room(length);
    at += buffer.write(s, at, 'utf8');
  };
  // The path to the value being encoded, joined only when an error names it.
  const path = [];
  const where = () => `the value${path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')}`;
  const walk = (v, depth) => {
    if (++nodes > LIMITS.maxNodes) throw new CodecError('too-large', `the value has more than ${LIMITS.maxNodes} elements; return large data as a typed array`);
    if (v === undefined) return byte(0);
    if (v === null) return byte(1);
    if (typeof v === 'boolean') return byte(v ? 3 : 2);
    if (typeof v === 'number') {
      room(9);
      buffer[at++] = 4;
      buffer.writeDoubleLE(v, at);
      at += 8;
      return;
    }
    if (typeof v === 'string') {
      byte(5);
      return text(v);
    }
    const unsupported = () => new CodecError('unserializable', `${where()} is a ${typeName(v)}; return numbers, strings, booleans, null, arrays, plain objects or Float32Array/Float64Array/Int32Array/Uint8Array`);
    if (typeof v !== 'object') throw unsupported();
    if (ArrayBuffer.isView(v)) {
      const kind = TYPED.findIndex((T) => Object.getPrototypeOf(v) === T.prototype || (T === Uint8Array && Buffer.isBuffer(v)));
      if (kind < 0) throw unsupported();
      byte(8);
      byte(kind);
      u32(v.byteLength);
      room(v.byteLength);
      buffer.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), at);
      at += v.byteLength;
      return;
    }
    if (depth >= LIMITS.maxDepth) throw new CodecError('unserializable', `${where()} is nested more than ${LIMITS.maxDepth} levels deep (or contains itself)`);
    if (Array.isArray(v)) {
      byte(6);
      u32(v.length);
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) throw new CodecError('unserializable', `${where()} is a sparse array (index ${i} is a hole)`);
        path.push(i);
        walk(v[i], depth + 1);
        path.pop();
      }
      return;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw unsupported();
    const keys = Object.keys(v);
    if (keys.length > LIMITS.maxKeys) throw new CodecError('too-large', `${where()} has ${keys.length} keys, more than ${LIMITS.maxKeys}`);
    byte(7);
    u32(keys.length);
    for (const key of keys) {
      if (FORBIDDEN_KEYS.has(key)) throw new CodecError('unserializable', `${where()} has a key named ${key}, which is not allowed`);
      text(key);
      path.push(key);
      walk(v[key], depth + 1);
      path.pop();
    }
  };
  walk(value, 0);
  return buffer.subarray(0, at);
}

/** Decodes one message; throws CodecError 'malformed' naming the first thing that is wrong. */
export function decode(bytes) {
  const data = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  let nodes = 0;
  const fail = (what) => {
    throw new CodecError('malformed', `malformed message at byte ${at}: ${what}`);
  };
  const need = (n, what) => {
    if (n > data.length - at) fail(`${what} needs ${n} bytes, only ${data.length - at} remain`);
  };
  const u32 = (what) => {
    need(4, what);
    const n = data.readUInt32LE(at);
    at += 4;
    return n;
  };
  const text = (what) => {
    const length = u32(what);
    need(length, what);
    const s = data.toString('utf8', at, at + length);
    at += length;
    return s;
  };
  const read = (depth) => {
    if (++nodes > LIMITS.maxNodes) fail(`more than ${LIMITS.maxNodes} values`);
    need(1, 'a value');
    const tag = data[at++];
    switch (tag) {
      case 0: return undefined;
      case 1: return null;
      case 2: return false;
      case 3: return true;
      case 4: {
        need(8, 'a number');
        const n = data.readDoubleLE(at);
        at += 8;
        return n;
      }
      case 5: return text('a string');
      case 6: {
        if (depth >= LIMITS.maxDepth) fail(`nested deeper than ${LIMITS.maxDepth} levels`);
        const count = u32('an array length');
        // Every element takes at least one byte: a count the bytes cannot hold is a lie.
        if (count > data.length - at) fail(`an array declares ${count} elements but only ${data.length - at} bytes remain`);
        if (count > LIMITS.maxNodes - nodes) fail(`an array declares ${count} elements, more than the ${LIMITS.maxNodes} values a message may hold`);
        const array = [];
        for (let i = 0; i < count; i++) array.push(read(depth + 1));
        return array;
      }
      case 7: {
        if (depth >= LIMITS.maxDepth) fail(`nested deeper than ${LIMITS.maxDepth} levels`);
        const count = u32('an object size');
        if (count > LIMITS.maxKeys) fail(`an object declares ${count} keys, more than ${LIMITS.maxKeys}`);
        // A key takes at least 4 bytes of length and its value at least 1.
        if (count > LIMITS.maxNodes - nodes) fail(`an object declares ${count} keys, more than the ${LIMITS.maxNodes} values a message may hold`);
        if (count * 5 > data.length - at) fail(`an object declares ${count} keys but only ${data.length - at} bytes remain`);
        const object = {};
        for (let i = 0; i < count; i++) {
          const key = text('a key');
          if (FORBIDDEN_KEYS.has(key)) fail(`the key ${JSON.stringify(key)} is not allowed`);
          if (Object.prototype.hasOwnProperty.call(object, key)) fail(`the key ${JSON.stringify(key.slice(0, 100))} appears twice`);
          object[key] = read(depth + 1);
        }
        return object;
      }
      case 8: {
        need(1, 'a typed array kind');
        const T = TYPED[data[at++]];
        if (!T) fail(`unknown typed array kind ${data[at - 1]}`);
        const length = u32('a typed array length');
        need(length, 'a typed array');
        if (length % T.BYTES_PER_ELEMENT !== 0) fail(`${length} bytes is not a whole number of ${T.name} elements`);
        // Copied into a fresh, aligned buffer that holds nothing else of the frame.
        const array = new T(length / T.BYTES_PER_ELEMENT);
        new Uint8Array(array.buffer).set(data.subarray(at, at + length));
        at += length;
        return array;
      }
      default: return fail(`unknown tag ${tag}`);
    }
  };
  const value = read(0);
  if (at !== data.length) fail(`${data.length - at} bytes left over after the value`);
  return value;
}

/** A frame on the pipe: u32 big-endian body length, then the body. */
export function frame(body) {
  const head = Buffer.allocUnsafe(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}

/**
 * Reassembles frames from chunks without copying the buffer on every chunk (a 64 MB frame in
 * 64 KB chunks would otherwise copy gigabytes). `onFrame(body)` runs per whole frame and
 * stops the reader by returning false; `tooLong(length)` is asked before a frame's body is
 * buffered and stops the reader when true.
 */
export function frameReader(onFrame, tooLong) {
  let chunks = [];
  let have = 0;
  let want = -1;
  let stopped = false;
  return (chunk) => {
    if (stopped) return;
    chunks.push(chunk);
    have += chunk.length;
    for (;;) {
      if (want < 0) {
        if (have < 4) return;
        if (chunks[0].length < 4) chunks = [Buffer.concat(chunks)];
        want = chunks[0].readUInt32BE(0);
        if (tooLong(want)) {
          stopped = true;
          chunks = [];
          return;
        }
        chunks[0] = chunks[0].subarray(4);
        have -= 4;
      }
      if (have < want) return;
      const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      const body = all.subarray(0, want);
      const rest = all.subarray(want);
      chunks = rest.length ? [rest] : [];
      have = rest.length;
      want = -1;
      if (onFrame(body) === false) stopped = true;
      if (stopped) {
        chunks = [];
        return;
      }
    }
  };
}
