/** The cache key: what can change a grade is in it; a TA's notes and rubric items are not. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheKey } from '../../src/engine/cache.ts';
import { RUBRIC } from '../helpers.ts';

describe('the cache key', () => {
  it('ignores the rubric\'s manual section (hw2 review rewrites it), and not a tolerance', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hw2-key-'));
    writeFileSync(join(dir, 'hw2.json'), '{"contract":1,"answers":{}}');
    const context = { rubric: RUBRIC, seed: 211, mode: 'grade', data: 'synthetic' };
    const key = await cacheKey(dir, context);
    const withItems = { ...RUBRIC, manual: { 'q1.proof': { notes: 'other notes', items: [{ id: 'half', label: 'missing the ½', points: -2 }] } } };
    expect(await cacheKey(dir, { ...context, rubric: withItems })).toBe(key);
    const otherTolerance = { ...RUBRIC, q2: { ...RUBRIC.q2, carriedForwardCredit: RUBRIC.q2.carriedForwardCredit / 2 } };
    expect(await cacheKey(dir, { ...context, rubric: otherTolerance })).not.toBe(key);
  });
});
