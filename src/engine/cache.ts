/**
 * Content keys: a result is reused when the submission's bytes, the rubric, the seed, the
 * mode and the harness version are all the same as when it was made.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Rubric } from './rubric.ts';
import { HARNESS_VERSION } from './version.ts';

async function hashFile(hash: ReturnType<typeof createHash>, file: string): Promise<void> {
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
}

async function walk(dir: string, root: string, out: string[]): Promise<void> {
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, e.name);
    if (e.isDirectory()) await walk(path, root, out);
    else if (e.isFile()) out.push(relative(root, path));
  }
}

export async function cacheKey(path: string, rubric: Rubric, seed: number, mode: string): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ harness: HARNESS_VERSION, rubric, seed, mode }));
  if ((await stat(path)).isDirectory()) {
    const files: string[] = [];
    await walk(path, path, files);
    for (const f of files) {
      hash.update(`\0${f}\0`);
      await hashFile(hash, join(path, f));
    }
  } else {
    await hashFile(hash, path);
  }
  return hash.digest('hex');
}
