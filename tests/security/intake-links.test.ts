/**
 * Two things a folder on the TA's disk can hold that a zip or a Moodle upload cannot, each
 * built here from real files and graded by the real batch: a file name that is not valid
 * UTF-8, and a hard link to a file outside the submission. Each must cost only that
 * submission's score, with a message that says what to change: never a harness fault (points
 * held back as "not graded yet", exit 1), and never the linked file's contents in any output.
 */
import { existsSync } from 'node:fs';
import { link, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeBatch } from '../../src/engine/batch.ts';
import { cacheKey } from '../../src/engine/cache.ts';
import { gradePath } from '../../src/engine/pipeline.ts';
import { DEFAULT_STAGE_LIMITS, removeStaged, stageSubmission } from '../../src/intake/stage.ts';
import { DEFAULT_ZIP_LIMITS } from '../../src/sandbox/zip.ts';
import { correctAnswers, RUBRIC } from '../helpers.ts';
import { REGISTRY } from '../../checks/index.ts';

const manifest = () => JSON.stringify({ contract: 1, group: { ids: ['123456782', '234567891'] }, answers: { q4: correctAnswers().q4 } });
const KEY = { rubric: RUBRIC, seed: 211, mode: 'grade', data: 'test' };

async function pair(name: string): Promise<{ root: string; dir: string }> {
  const root = await mkdtemp(join(tmpdir(), 'hw2-sec-links-'));
  const dir = join(root, name);
  await mkdir(dir);
  await writeFile(join(dir, 'hw2.json'), manifest());
  return { root, dir };
}

/** Creates a file whose name is `bytes` (not necessarily UTF-8) in `dir`. */
async function rawFile(dir: string, bytes: number[], content = 'x'): Promise<void> {
  await writeFile(Buffer.concat([Buffer.from(`${dir}/`), Buffer.from(bytes)]), content);
}

const EXE = [0xff, 0xfe, 0x2e, 0x65, 0x78, 0x65]; // "\xff\xfe.exe"

describe('a file name that is not valid UTF-8', () => {
  it('is the submission\'s problem, named by its bytes, in a batch: no harness fault, no points held back', async () => {
    const { root, dir } = await pair('weird');
    await rawFile(dir, EXE);
    const out = join(root, 'out');
    const outcome = await gradeBatch([{ id: 'weird', path: dir, origin: dir, warnings: [] }], REGISTRY, RUBRIC, { out, mode: 'grade', seed: 211, jobs: 1 });
    expect(outcome.harnessFaults).toEqual([]);
    const result = outcome.results[0]!;
    expect(result.problems[0]).toBe('weird: an entry\'s name is not valid UTF-8 (bytes ff fe 2e 65 78 65, shown as "\uFFFD\uFFFD.exe"); rename it');
    expect(result.score).toBe(0);
    expect(result.heldBack ?? 0).toBe(0);
    expect(result.checks.some((c) => c.cause === 'harness')).toBe(false);
    expect(existsSync(join(out, 'logs'))).toBe(false);
    await rm(root, { recursive: true, force: true });
  }, 60_000);

  it('inside a folder: the folder is named; a long name shows 32 bytes and how many more', async () => {
    const { root, dir } = await pair('nested');
    await mkdir(join(dir, 'models'));
    await rawFile(join(dir, 'models'), [0x61, 0xc3, 0x28, ...new Array<number>(40).fill(0x62)]);
    const staged = await stageSubmission(dir, 'nested', DEFAULT_STAGE_LIMITS, DEFAULT_ZIP_LIMITS);
    expect(staged.ok).toBe(false);
    if (!staged.ok) {
      expect(staged.message).toMatch(/^nested: an entry's name in models\/ is not valid UTF-8 \(bytes 61 c3 28 62 62 [0-9a-f ]+ … \(11 more bytes\), shown as "a\uFFFD\(b+"\); rename it$/);
    }
    await rm(root, { recursive: true, force: true });
  });

  it('valid UTF-8 names (accents, CJK, emoji) are copied as before', async () => {
    const { root, dir } = await pair('unicode');
    await writeFile(join(dir, 'résumé 日本 🙂.txt'), 'fine');
    const staged = await stageSubmission(dir, 'unicode', DEFAULT_STAGE_LIMITS, DEFAULT_ZIP_LIMITS);
    expect(staged.ok).toBe(true);
    if (staged.ok) {
      expect(await readFile(join(staged.dir, 'résumé 日本 🙂.txt'), 'utf8')).toBe('fine');
      await removeStaged(staged.root);
    }
    await rm(root, { recursive: true, force: true });
  });

  it('the cache key is computed from the raw bytes of names without throwing, and tells such names apart', async () => {
    const { root, dir } = await pair('keyed');
    const plain = await cacheKey(dir, KEY);
    await rawFile(dir, EXE, 'one');
    const ff = await cacheKey(dir, KEY);
    expect(ff).not.toBe(plain);
    expect(await cacheKey(dir, KEY)).toBe(ff);
    // Another invalid name that decodes to the same text ("\uFFFD\uFFFD.exe") is another key.
    await rm(Buffer.concat([Buffer.from(`${dir}/`), Buffer.from(EXE)]));
    await rawFile(dir, [0xfe, 0xff, 0x2e, 0x65, 0x78, 0x65], 'one');
    const fe = await cacheKey(dir, KEY);
    expect(fe).not.toBe(ff);
    expect(fe).not.toBe(plain);
    await rm(root, { recursive: true, force: true });
  });
});

describe('a hard link in a folder submission', () => {
  it('to a file outside: refused with the entry named; the file\'s contents reach no output', async () => {
    const { root, dir } = await pair('hardlink');
    const secret = join(root, 'secret.txt');
    await writeFile(secret, 'SECRET-7f3a9c answer key');
    await link(secret, join(dir, 'data.txt'));
    const { result } = await gradePath(dir, REGISTRY, RUBRIC, { mode: 'grade', seed: 211 });
    expect(result.score).toBe(0);
    expect(result.problems[0]).toBe('hardlink: data.txt has other names (a hard link); a submission must hold its own files');
    expect(JSON.stringify(result)).not.toContain('SECRET-7f3a9c');
    await rm(root, { recursive: true, force: true });
  });

  it('deeper in the submission and between two of its own files: refused too, the first by name', async () => {
    const { root, dir } = await pair('inner');
    await mkdir(join(dir, 'history'));
    await writeFile(join(dir, 'history', 'a.json'), '[]');
    await link(join(dir, 'history', 'a.json'), join(dir, 'history', 'b.json'));
    const staged = await stageSubmission(dir, 'inner', DEFAULT_STAGE_LIMITS, DEFAULT_ZIP_LIMITS);
    expect(staged).toEqual({ ok: false, message: 'inner: history/a.json has other names (a hard link); a submission must hold its own files' });
    await rm(root, { recursive: true, force: true });
  });

  it('the cache key changes when a file gains another name, so a cached grade is not reused', async () => {
    const { root, dir } = await pair('linked-key');
    await writeFile(join(dir, 'data.txt'), 'same bytes');
    const alone = await cacheKey(dir, KEY);
    await link(join(dir, 'data.txt'), join(root, 'elsewhere.txt'));
    expect(await cacheKey(dir, KEY)).not.toBe(alone);
    await rm(root, { recursive: true, force: true });
  });
});
