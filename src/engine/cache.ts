/**
 * Content keys: a result is reused only when everything that can change it is the same as
 * when it was made: the submission's bytes (and the names and kinds of its entries, links
 * and other non-files included, since intake refuses those), the rubric, the seed, the mode,
 * the harness's own sources and installed backends, and the data it was measured on.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Rubric } from './rubric.ts';
import { harnessFingerprint } from './fingerprint.ts';

type Hash = ReturnType<typeof createHash>;

async function hashFile(hash: Hash, file: string): Promise<void> {
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
}

/** Walks with lstat (never through a link): every entry's name and kind, and a file's bytes. */
async function hashTree(hash: Hash, dir: string, rel: string): Promise<void> {
  const entries = await readdir(join(dir, rel), { withFileTypes: true });
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const name = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      hash.update(`\0dir\0${name}\0`);
      await hashTree(hash, dir, name);
    } else if (e.isFile()) {
      hash.update(`\0file\0${name}\0`);
      await hashFile(hash, join(dir, name));
    } else {
      hash.update(`\0other\0${name}\0`);
    }
  }
}

export interface KeyContext {
  rubric: Rubric;
  seed: number;
  mode: string;
  /** Which data the checks measure on, by content (src/data/plan.ts planFingerprint). */
  data: string;
  /** Why intake refused the upload, if it did (a limit, the roster): a changed reason regrades. */
  problem?: string;
}

export async function cacheKey(path: string, context: KeyContext): Promise<string> {
  const hash = createHash('sha256');
  const { rubric, seed, mode, data, problem } = context;
  hash.update(JSON.stringify({ harness: harnessFingerprint(), rubric, seed, mode, data, problem: problem ?? null }));
  const info = await lstat(path);
  if (info.isDirectory()) await hashTree(hash, path, '');
  else if (info.isFile()) await hashFile(hash, path);
  else hash.update(`\0other\0`);
  return hash.digest('hex');
}
