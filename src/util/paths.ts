/**
 * Confinement to a submission folder, in one place: a path is inside when its relative path
 * from the root neither climbs out nor is absolute. Checked on real paths, so links do not help.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';

export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

export type Resolved = { ok: true; path: string } | { ok: false; reason: 'missing' | 'outside' };

/** The real path of `file` under `dir`, if it exists and stays inside. */
export async function resolveInside(dir: string, file: string): Promise<Resolved> {
  let real: string;
  try {
    real = await realpath(join(dir, file));
  } catch {
    return { ok: false, reason: 'missing' };
  }
  return isInside(await realpath(dir), real) ? { ok: true, path: real } : { ok: false, reason: 'outside' };
}
