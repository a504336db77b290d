/**
 * The CLI's one door into the harness: the default rubric when none is named, a bad one as a
 * rubric error, and submissions split into shards that are disjoint and cover the batch.
 */
import { describe, expect, it } from 'vitest';
import { findSubmissions, loadRubric } from '../../src/cli/harness.ts';
import { HarnessError } from '../../src/core/errors.ts';
import { readdirSync } from 'node:fs';
import { ROOT } from '../helpers-cli.ts';

describe('harness', () => {
  it('loads the harness\'s rubric when none is named (its checks add up to 100) and refuses a file that is not one', async () => {
    expect((await loadRubric(undefined)).total).toBe(100);
    await expect(loadRubric('package.json')).rejects.toSatisfy((e) => e instanceof HarnessError && e.code === 'E_RUBRIC');
  });

  it('splits the example submissions into three shards, each in one, none left out', async () => {
    const rubric = await loadRubric(undefined);
    const examples = readdirSync(`${ROOT}/solutions`).filter((f) => !f.startsWith('_') && !f.startsWith('.')).sort();
    const parts: string[][] = [];
    for (const index of [1, 2, 3]) {
      const found = await findSubmissions([`${ROOT}/solutions`], rubric, { shard: { index, count: 3 } });
      expect(found.all.map((u) => u.id).sort()).toEqual(examples);
      expect(found.cleanup).toEqual([]);
      parts.push(found.units.map((u) => u.id));
    }
    expect(parts.flat().sort()).toEqual(examples);
    expect(parts.every((p) => p.length > 0)).toBe(true);
  });
});
