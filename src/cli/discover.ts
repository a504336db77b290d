/** Finds submission folders under the paths a user names. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../contract/errors.ts';
import { MANIFEST } from '../contract/load.ts';

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/**
 * A folder with hw2.json is one submission; any other folder is a batch whose subfolders are
 * submissions (a subfolder without hw2.json is still graded, as "not submitted"; folders
 * whose names start with "." or "_" are skipped).
 */
export async function discoverSubmissions(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    if (!(await isDir(path))) throw new UsageError(`${path}: not a folder (expected a submission folder or a folder of submissions)`);
    if (await stat(join(path, MANIFEST)).catch(() => undefined)) {
      found.push(path);
      continue;
    }
    const entries = (await readdir(path, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_'))
      .map((e) => join(path, e.name))
      .sort();
    if (!entries.length) throw new UsageError(`${path}: no ${MANIFEST} and no submission folders inside`);
    found.push(...entries);
  }
  return found;
}
