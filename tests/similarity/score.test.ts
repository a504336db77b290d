/**
 * The ranking on generated courses (tests/similarity/course.ts: independent submissions with
 * the usual mistakes, seeds and idioms, copies planted on top), scored in memory; and the
 * bits of a shared key against a hand calculation.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { profileOf, type Profile } from '../../src/similarity/evidence.ts';
import { HOMEWORK_TEXT } from '../../src/similarity/read.ts';
import { baseOf, compare } from '../../src/similarity/score.ts';
import { generateCourse, profileInputOf, TEMPLATE_CELLS, type Plant } from './course.ts';

const base = baseOf({
  code: TEMPLATE_CELLS.filter((c) => c.type === 'code').map((c) => c.source),
  text: [readFileSync(HOMEWORK_TEXT, 'utf8'), ...TEMPLATE_CELLS.filter((c) => c.type === 'markdown').map((c) => c.source)],
});
const noBase = baseOf({});

function course(size: number, seed: number, plants: Plant[] = [], templateOnly = false) {
  const c = generateCourse({ size, seed, plants, templateOnly });
  return { ...c, profiles: c.submissions.map((s) => profileOf(profileInputOf(s))) };
}
const key = (p: { a: string; b: string }) => `${p.a} ${p.b}`;

describe('compare', () => {
  it('scores a shared key at log2((N − 1)/(n − 1)) bits (hand calculation)', () => {
    const profile = (id: string, wrong: string[]): Profile => ({ id, wrong: wrong.map((v) => ({ field: 'q6.total', value: v })), draws: [], seeds: [], code: [], text: [] });
    // 5 submissions; "1" held by two (log2(4/1) = 2 bits), "2" by three (log2(4/2) = 1 bit).
    const report = compare([profile('a', ['1']), profile('b', ['1']), profile('c', ['2']), profile('d', ['2']), profile('e', ['2'])], noBase, { commonShare: 1 });
    const byPair = new Map(report.pairs.map((p) => [key(p), p.kinds.wrong]));
    expect(byPair).toEqual(new Map([['a b', 2], ['c d', 1], ['c e', 1], ['d e', 1]]));
    expect(report.pairs[0]!.wrong).toEqual([{ field: 'q6.total', value: '1', sharedBy: 2, bits: 2 }]);
    // Held by more than the common share (here 5% of 5: at most 2 holders), "2" is course-wide.
    expect(compare([profile('a', ['1']), profile('b', ['1']), profile('c', ['2']), profile('d', ['2']), profile('e', ['2'])], noBase).pairs.map(key)).toEqual(['a b']);
  });

  it('finds a copy with renamed variables and reordered cells at the top', () => {
    const c = course(60, 3, ['code']);
    const report = compare(c.profiles, base);
    expect(key(report.pairs[0]!)).toBe(key(c.planted[0]!));
    expect(report.pairs[0]!.flagged).toBe(true);
    expect(report.pairs[0]!.kinds.code).toBeGreaterThan(report.threshold);
    // The page's evidence: side by side, the shared regions marked on both sides.
    const side = report.pairs[0]!.code[0]!;
    expect(side.a.segments.some((s) => s.match) && side.b.segments.some((s) => s.match)).toBe(true);
    expect(report.pairs.filter((p) => p.flagged)).toHaveLength(1);
  });

  it('finds a copy of only the wrong Q2 numbers', () => {
    const c = course(60, 4, ['wrong-q2']);
    const report = compare(c.profiles, base);
    const found = report.pairs.find((p) => key(p) === key(c.planted[0]!))!;
    expect(found.flagged).toBe(true);
    expect(found.wrong).toHaveLength(5);
    expect(found.wrong.every((w) => w.field.startsWith('q2.') && w.sharedBy === 2)).toBe(true);
    expect(report.pairs.filter((p) => p.flagged).map(key)).toEqual([key(c.planted[0]!)]);
  });

  it('flags no pair of independent submissions, nor two correct ones whose seed gives them the same draw', () => {
    const c = course(60, 5);
    const report = compare(c.profiles, base);
    expect(report.pairs.filter((p) => p.flagged)).toEqual([]);
    // Two correct pairs, both with the homework's seed and the same Xavier code: identical samples, explained.
    const [a, b] = generateCourse({ size: 2, seed: 6, templateOnly: true }).submissions.map((s) => {
      const seeded = { ...s, cells: [...s.cells, { type: 'code' as const, source: 'torch.manual_seed(211)' }] };
      return profileOf(profileInputOf(seeded));
    });
    const two = compare([a!, b!], base);
    expect(two.pairs).toHaveLength(1);
    expect(two.pairs[0]!.kinds).toEqual({ wrong: 0, draws: 0, seed: 4, code: 0, text: 0 });
    expect(two.pairs[0]!.flagged).toBe(false);
    expect(two.pairs[0]!.draws[0]!.seed).toBe('211');
  });

  it('flags nobody for the template alone, and ignores the template when given as base', () => {
    const c = course(30, 7, [], true);
    expect(compare(c.profiles, base).pairs.filter((p) => p.flagged)).toEqual([]);
    expect(compare(c.profiles, noBase).pairs.filter((p) => p.flagged)).toEqual([]);
    // Two submissions are too few for "what much of the course shares": only the base removes the template.
    const pair = c.profiles.slice(0, 2);
    const withoutBase = compare(pair, noBase).pairs[0]!;
    expect(withoutBase.kinds.code).toBeGreaterThan(0);
    expect(withoutBase.kinds.text).toBeGreaterThan(0);
    const withBase = compare(pair, base).pairs[0]!;
    expect([withBase.kinds.code, withBase.kinds.text]).toEqual([0, 0]);
  });

  it('ranks five planted copies of different kinds above every independent pair', () => {
    const c = course(120, 8, ['code', 'wrong-q2', 'npy', 'text', 'weights']);
    const report = compare(c.profiles, base);
    expect(new Set(report.pairs.slice(0, 5).map(key))).toEqual(new Set(c.planted.map(key)));
    expect(report.pairs.filter((p) => p.flagged)).toHaveLength(5);
  });
});
