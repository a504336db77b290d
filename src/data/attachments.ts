/**
 * Files a submission names in hw2.json (today: Task 1's .npy samples), read before grading
 * so that checks stay pure. Each is read by readSubmissionFile: inside the (staged)
 * submission, a regular file (not a folder, link or FIFO), 1..maxBytes bytes; every failure
 * is a message naming the file and the field that named it.
 */
import { readSubmissionFile } from '../intake/files.ts';
import type { Answers } from '../contract/schema.ts';
import { NpyError, parseNpy, type NpyArray } from './npy.ts';

export type LoadedArray = { ok: true; array: NpyArray } | { ok: false; message: string };

export async function readNpyIn(dir: string, file: string, maxBytes: number): Promise<LoadedArray> {
  const read = await readSubmissionFile(dir, file, maxBytes, 'hw2.json answers.task1.samples');
  if (!read.ok) return read;
  try {
    return { ok: true, array: parseNpy(read.bytes, file) };
  } catch (error) {
    if (error instanceof NpyError) return { ok: false, message: error.message };
    throw error;
  }
}

export async function readArrays(dir: string, answers: Answers, maxBytes: number): Promise<Record<string, LoadedArray>> {
  // A plain record with no prototype: a sample named "__proto__" is just a name here.
  const out: Record<string, LoadedArray> = Object.create(null);
  for (const entry of answers.task1?.samples ?? []) out[entry.file] ??= await readNpyIn(dir, entry.file, maxBytes);
  return out;
}
