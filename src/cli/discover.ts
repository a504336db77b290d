/** Finds submission folders under the paths a user names. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../contract/errors.ts';
import { MANIFEST } from '../contract/load.ts';

const isZip = (name: string) => name.toLowerCase().endsWith('.zip');

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/**
 * A folder with hw2.json, or a .zip, is one submission; any other folder is a batch whose
 * subfolders and zips are submissions (a subfolder without hw2.json is still graded, as "not submitted"; folders
 * whose names start with "." or "_" are skipped).
 */
export async function discoverSubmissions(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    if (isZip(path) && (await stat(path).catch(() => undefined))?.isFile()) {
      found.push(path);
      continue;
    }
    if (!(await isDir(path))) throw new UsageError(`${path}: not a folder or a .zip (expected a submission folder, its zip, or a folder of submissions)`);
    if (await stat(join(path, MANIFEST)).catch(() => undefined)) {
      found.push(path);
      continue;
    }
    const entries = (await readdir(path, { withFileTypes: true }))
      .filter((e) => (e.isDirectory() || (e.isFile() && isZip(e.name))) && !e.name.startsWith('.') && !e.name.startsWith('_'))
      .map((e) => join(path, e.name))
      .sort();
    if (!entries.length) throw new UsageError(`${path}: no ${MANIFEST} and no submission folders inside`);
    found.push(...entries);
  }
  return found;
}
