/** The inverted index finds exactly the pairs an all-pairs comparison finds, and sets common keys aside. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Postings } from '../../src/similarity/postings.ts';

describe('Postings', () => {
  it('visits each pair once per key it shares, counting each holder once', () => {
    const p = new Postings<string>();
    p.add('k', 0);
    p.add('k', 0);
    p.add('k', 2);
    p.add('lone', 1);
    const seen: string[] = [];
    p.forEachSharedPair(10, (a, b, key, holders) => seen.push(`${a}-${b} ${key} ${holders}`));
    expect(seen).toEqual(['0-2 k 2']);
    expect(p.count('k')).toBe(2);
    expect(p.count('none')).toBe(0);
  });

  it('sets aside keys held by more than maxHolders, and lists them', () => {
    const p = new Postings<number>();
    for (let i = 0; i < 5; i++) p.add(7, i);
    p.add(8, 1);
    p.add(8, 3);
    const seen: string[] = [];
    p.forEachSharedPair(4, (a, b, key) => seen.push(`${a}-${b} ${key}`));
    expect(seen).toEqual(['1-3 8']);
    expect(p.common(4)).toEqual([[7, 5]]);
  });

  it('agrees with comparing every pair of sets (the slow way)', () => {
    fc.assert(fc.property(fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 12 }), { minLength: 2, maxLength: 12 }), fc.integer({ min: 2, max: 12 }), (sets, max) => {
      const p = new Postings<number>();
      sets.forEach((keys, who) => keys.forEach((k) => p.add(k, who)));
      const fast = new Map<string, number>();
      p.forEachSharedPair(max, (a, b) => fast.set(`${a}-${b}`, (fast.get(`${a}-${b}`) ?? 0) + 1));
      const holders = (k: number) => sets.filter((s) => s.includes(k)).length;
      const slow = new Map<string, number>();
      for (let a = 0; a < sets.length; a++) for (let b = a + 1; b < sets.length; b++) {
        const n = sets[a]!.filter((k) => sets[b]!.includes(k) && holders(k) <= max).length;
        if (n) slow.set(`${a}-${b}`, n);
      }
      expect(fast).toEqual(slow);
    }), { numRuns: 200, seed: 211 });
  });
});
