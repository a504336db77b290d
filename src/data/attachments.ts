/**
 * Files a submission names in hw2.json (today: Task 1's .npy samples), read before grading
 * so that checks stay pure. A file must sit inside the submission folder (on its real path)
 * and be at most `maxBytes`; every failure is a message naming the file.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolveInside } from '../util/paths.ts';
import type { LoadedSubmission } from '../contract/load.ts';
import { NpyError, parseNpy, type NpyArray } from './npy.ts';

export type LoadedArray = { ok: true; array: NpyArray } | { ok: false; message: string };

export async function readNpyIn(dir: string, file: string, maxBytes: number): Promise<LoadedArray> {
  const fail = (message: string): LoadedArray => ({ ok: false, message: `${file}: ${message}` });
  const resolved = await resolveInside(dir, file);
  if (!resolved.ok) return fail(resolved.reason === 'missing' ? 'named in hw2.json answers.task1.samples but not in the submission' : 'leads outside the submission folder');
  const real = resolved.path;
  const size = (await stat(real)).size;
  if (size > maxBytes) return fail(`is ${size} bytes, more than the limit of ${maxBytes}`);
  try {
    return { ok: true, array: parseNpy(await readFile(real), file) };
  } catch (error) {
    if (error instanceof NpyError) return { ok: false, message: error.message };
    throw error;
  }
}

export async function readArrays(sub: LoadedSubmission, maxBytes: number): Promise<Record<string, LoadedArray>> {
  const out: Record<string, LoadedArray> = {};
  for (const entry of sub.answers.task1?.samples ?? []) out[entry.file] ??= await readNpyIn(sub.dir, entry.file, maxBytes);
  return out;
}
