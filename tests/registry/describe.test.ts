/**
 * What is written about the checks is made from the registry: the README's table is the
 * generated one (regenerate with `node bin/hw2.mjs rubric --markdown`), `hw2 rubric` lists
 * every check once, and a rubric skeleton has exactly the registry's ids.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECK_IDS, REGISTRY } from '../../checks/index.ts';
import { checksTable, rubricDefaults, rubricListing, TABLE_BEGIN, TABLE_END } from '../../src/registry/describe.ts';
import { RUBRIC } from '../helpers.ts';

describe('the README', () => {
  it('holds the table of checks the registry and the default rubric make (regenerate: hw2 rubric --markdown)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const begin = readme.indexOf(TABLE_BEGIN);
    const end = readme.indexOf(TABLE_END);
    expect(begin, 'README.md lacks the checks table markers').toBeGreaterThan(-1);
    expect(readme.slice(begin + TABLE_BEGIN.length, end).trim()).toBe(checksTable(REGISTRY, RUBRIC));
  });

  it('has one row per check, and the points in it add up to the rubric\'s total', () => {
    const rows = checksTable(REGISTRY, RUBRIC).split('\n').filter((l) => /^\| [^|]+ \| `/.test(l));
    expect(rows.length).toBe(REGISTRY.length);
    // The fifth cell is the points; summed independently of the rubric's own total.
    const sum = rows.reduce((a, r) => a + Number(r.split('|')[5]!.trim()), 0);
    expect(sum).toBe(100); // hw2.md: the homework is graded out of 100
  });
});

describe('hw2 rubric', () => {
  it('lists every check once, in registry order, then the total', () => {
    const lines = rubricListing(REGISTRY, RUBRIC);
    expect(lines.slice(0, -1).map((l) => l.split(/\s+/)[0])).toEqual([...CHECK_IDS]);
    expect(lines.at(-1)).toMatch(/^total\s+100$/);
  });
});

describe('rubricDefaults', () => {
  it('has exactly the registry\'s ids, each with its definition\'s points and visibility', () => {
    const defaults = rubricDefaults(REGISTRY);
    expect(Object.keys(defaults)).toEqual([...CHECK_IDS]);
    for (const c of REGISTRY) expect(defaults[c.id], c.id).toEqual({ points: c.points, visibility: c.visibility });
  });
});
