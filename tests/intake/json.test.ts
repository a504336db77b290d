/** parseBoundedJson: the limits each reader relies on, one at a time. */
import { describe, expect, it } from 'vitest';
import { depthExceeded, parseBoundedJson } from '../../src/intake/json.ts';

const limits = { maxDepth: 4, maxValues: 10, maxKeys: 3, maxKeyChars: 5 };

describe('parseBoundedJson', () => {
  it('accepts what is within every limit, scalars included', () => {
    expect(parseBoundedJson('{"a": [1, 2], "b": {"c": null}}', 'f.json', limits)).toEqual({ ok: true, value: { a: [1, 2], b: { c: null } }, dropped: [] });
    expect(parseBoundedJson('"text"', 'f.json', limits)).toEqual({ ok: true, value: 'text', dropped: [] });
  });
  it('refuses too many values, too many keys, a long key, naming the place', () => {
    expect(parseBoundedJson(JSON.stringify(Array(20).fill(0)), 'f.json', limits)).toEqual({ ok: false, message: 'f.json holds more than 10 values (limit); it was not read' });
    expect(parseBoundedJson('{"a": {"w": 1, "x": 1, "y": 1, "z": 1}}', 'f.json', limits)).toEqual({ ok: false, message: 'f.json a: has 4 keys, more than the limit of 3; it was not read' });
    expect(parseBoundedJson('{"a": [{"longkey": 1}]}', 'f.json', limits)).toEqual({ ok: false, message: 'f.json a[0]: a key of 7 characters, more than the limit of 5; it was not read' });
  });
  it('counts depth on the text, ignoring brackets inside strings and escaped quotes', () => {
    expect(depthExceeded('[[["[[[[[\\"[[[["]]]', 3)).toBe(-1);
    expect(depthExceeded('[[[[1]]]]', 3)).toBe(3);
    expect(parseBoundedJson('[[[[[1]]]]]', 'f.json', limits)).toEqual({ ok: false, message: 'f.json is nested more than 4 levels deep at line 1, column 5 (limit); it was not read' });
  });
  it('drops "__proto__" (also written with escapes) and "constructor" holding a "prototype"; keeps a plain "constructor"', () => {
    const r = parseBoundedJson('{"\\u005f_proto__": {"x": 1}, "constructor": {"prototype": 1}, "b": {"constructor": 2}}', 'f.json', { ...limits, maxKeyChars: 20 });
    expect(r).toEqual({ ok: true, value: { b: { constructor: 2 } }, dropped: [
      'f.json __proto__: the key "__proto__" is not allowed (it could change what an object inherits); ignored',
      'f.json constructor: the key "constructor" is not allowed (it could change what an object inherits); ignored',
    ] });
  });
  it('a syntax error is reported as one, its text bounded', () => {
    const r = parseBoundedJson(`{"a": ${'1'.repeat(100_000)}x}`, 'f.json', limits);
    expect(r).toMatchObject({ ok: false, syntax: true });
    expect((r as { message: string }).message.length).toBeLessThan(260);
  });
});
