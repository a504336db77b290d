/**
 * One file a submission names (hw2.json, a history, an .npy sample, a model), checked and
 * read inside the staged copy. The name is the student's: it may climb out, be absolute,
 * name a folder, a link (a staged copy has none, but a caller might pass another root), a
 * FIFO, an empty or a huge file. Every case is a value with a sentence that names the file
 * as the submission names it and says what was expected; nothing here throws.
 */
import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { join } from 'node:path';
import { boundString } from '../util/text.ts';

export type SubmissionFile = { ok: true; bytes: Buffer } | { ok: false; message: string };
export type CheckedFile = { ok: true; path: string; size: number } | { ok: false; message: string };

/** A relative name as messages show it: bounded, since the student chose it. */
export const shownName = (rel: string) => boundString(rel, 200);

const label = (rel: string, what: string) => (what ? `${shownName(rel)} (${what})` : shownName(rel));

/** The parts of a relative name, or why it is not one. "./a//b" is a/b; "../a" and "/a" are refused. */
export function splitRelative(rel: string): string[] | string {
  if (rel.includes('\0')) return 'contains a NUL character';
  if (rel.includes('\\')) return 'uses a backslash; write paths with /';
  if (rel.startsWith('/') || /^[A-Za-z]:/.test(rel)) return 'is an absolute path; name a file inside the submission';
  const parts = rel.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return 'climbs out of the submission with ..';
  if (!parts.length) return 'is empty';
  return parts;
}

/** What an entry is, as a noun for messages ("a folder", "a FIFO (named pipe)"...). */
export function kindOf(info: { isDirectory(): boolean; isSymbolicLink(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isSymbolicLink()) return 'a symbolic link';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

const errorText = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'could not be read (permission denied)';
  if (code === 'ENOENT') return 'disappeared while it was being read';
  if (code === 'ELOOP') return 'is a symbolic link; links are not accepted';
  return `could not be read (${code ?? 'error'})`;
};

/**
 * `rel` under `root`: every component looked at with lstat (never following a link), the
 * last one a regular file of 1..maxBytes bytes. Gives the path to hand to a reader that must
 * open it itself (a model evaluator); prefer readSubmissionFile, which also reads it.
 */
export async function checkSubmissionFile(root: string, rel: string, maxBytes: number, what: string): Promise<CheckedFile> {
  const fail = (text: string): CheckedFile => ({ ok: false, message: `${label(rel, what)} ${text}` });
  const parts = splitRelative(rel);
  if (typeof parts === 'string') return fail(parts);
  let path = root;
  for (let i = 0; i < parts.length; i++) {
    path = join(path, parts[i]!);
    let info;
    try {
      info = await lstat(path);
    } catch (error) {
      return fail((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR'
        ? 'is not in the submission' : errorText(error));
    }
    const last = i === parts.length - 1;
    if (!last) {
      if (!info.isDirectory()) return fail(`is not in the submission: ${parts.slice(0, i + 1).join('/')} is ${kindOf(info) === 'not a regular file' ? 'a file' : kindOf(info)}, not a folder`);
      continue;
    }
    if (!info.isFile()) return fail(`is ${kindOf(info)}; expected a file`);
    if (info.size === 0) return fail('is empty (0 bytes)');
    if (info.size > maxBytes) return fail(`is ${info.size} bytes, more than the limit of ${maxBytes}`);
    return { ok: true, path, size: info.size };
  }
  return fail('is not in the submission');
}

/**
 * Reads `rel` under `root` after checkSubmissionFile's checks. The file is opened without
 * following a link and without blocking on a FIFO, checked again on the open descriptor
 * (the same file, still regular), and read only up to the size lstat gave: a file that
 * grew, shrank or vanished in between is refused rather than read without bound.
 */
export async function readSubmissionFile(root: string, rel: string, maxBytes: number, what: string): Promise<SubmissionFile> {
  const checked = await checkSubmissionFile(root, rel, maxBytes, what);
  if (!checked.ok) return checked;
  const fail = (text: string): SubmissionFile => ({ ok: false, message: `${label(rel, what)} ${text}` });
  let handle;
  try {
    handle = await open(checked.path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    return fail(errorText(error));
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return fail(`is ${kindOf(info)}; expected a file`);
    if (info.size !== checked.size) return fail('changed while it was being read');
    const bytes = Buffer.alloc(checked.size);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) return fail('changed while it was being read (it shrank)');
      filled += bytesRead;
    }
    // One byte more would mean the file grew after it was measured.
    const extra = await handle.read(Buffer.alloc(1), 0, 1, filled);
    if (extra.bytesRead !== 0) return fail('changed while it was being read (it grew)');
    return { ok: true, bytes };
  } catch (error) {
    return fail(errorText(error));
  } finally {
    await handle.close();
  }
}
