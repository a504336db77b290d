/**
 * Found by review: staging turned a file's I/O errors into refusals but not a folder's, so a
 * folder submission nested deep enough that its copy passes PATH_MAX threw out of staging and
 * became a harness fault (every point held back). Now it is the submission's refusal. And
 * the cache key reads no more of a submission than staging would: past the intake limits the
 * size stands for the content.
 */
import { mkdir, mkdtemp, writeFile, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STAGE_LIMITS, removeStaged, stageSubmission } from '../../src/intake/stage.ts';
import { DEFAULT_ZIP_LIMITS } from '../../src/sandbox/zip.ts';
import { cacheKey } from '../../src/engine/cache.ts';
import { RUBRIC } from '../helpers.ts';

describe('staging a very deep folder', () => {
  it('refuses it as the submission\'s problem when its copy cannot be made', async () => {
    const root = await mkdtemp(join(tmpdir(), 'hw2-deep-'));
    // 16 folders (the depth limit) making a 4,080-character relative path: readable from the
    // folder that holds it, past Linux's PATH_MAX (4,096) once under the staging folder.
    const names = [...Array.from({ length: 15 }, (_, i) => `${i}`.padEnd(255, 'x')), 'y'.repeat(238)];
    const cwd = process.cwd();
    process.chdir(root);
    await mkdir(join('p', ...names), { recursive: true });
    await writeFile(join('p', 'hw2.json'), '{}');
    const staged = await stageSubmission('p', 'p', DEFAULT_STAGE_LIMITS, DEFAULT_ZIP_LIMITS).finally(() => process.chdir(cwd));
    if (staged.ok) await removeStaged(staged.root);
    expect(staged.ok).toBe(false);
    if (!staged.ok) expect(staged.message).toMatch(/ENAMETOOLONG|too long/);
  });
});

describe('the cache key', () => {
  it('hashes a file past the intake limit by its size and time, not its bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hw2-bigkey-'));
    const rubric = { ...RUBRIC, limits: { ...RUBRIC.limits, intake: { ...RUBRIC.limits.intake, maxFileBytes: 10 } } };
    const context = { rubric, seed: 1, mode: 'grade', data: 'd' };
    const file = join(dir, 'big.bin');
    const when = new Date('2026-01-01T00:00:00Z');
    await writeFile(file, 'a'.repeat(20));
    await utimes(file, when, when);
    const first = await cacheKey(dir, context);
    await writeFile(file, 'b'.repeat(20)); // same size, other bytes: not read
    await utimes(file, when, when);
    expect(await cacheKey(dir, context)).toBe(first);
    await writeFile(file, 'b'.repeat(21)); // another size: another key
    await utimes(file, when, when);
    expect(await cacheKey(dir, context)).not.toBe(first);
  });
});
