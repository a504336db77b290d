/**
 * Staging: every submission, folder or zip, is copied into a private temporary folder before
 * anything reads it, and everything after (hw2.json, the notebook, .npy samples, models,
 * histories, the sandboxed solution) reads only that copy.
 *
 * Why a copy: a submission folder is the student's. A symbolic link in it to `/`, to the
 * answer key or to a neighbour's hw2.json would be followed by every later reader, a link to
 * /dev/zero or a FIFO would be read without end, and a file can change between a check and a
 * read. The copy is made by walking with lstat (never following a link): links, devices,
 * FIFOs and sockets are refused with the entry named, and so are a file with other names (a
 * hard link, whose other name may be outside the submission) and a name that is not valid
 * UTF-8 (no string names it); the number of entries, the nesting and
 * the bytes are checked from lstat before a byte is read, and the bytes actually read are
 * counted again (a file that grows or shrinks while copied is refused). Only regular files
 * and folders are copied. A zip is extracted into the same shape by src/sandbox/zip.ts, under
 * the same limits.
 *
 * The copy is then sealed read-only (files 0444, folders 0555) inside a 0711 folder: the
 * sandboxed child, which may run as an unprivileged uid, can read it but not change it, and
 * other users cannot list the temporary folder.
 */
import { chmodSync, constants, readdirSync, rmSync } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, open, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractZip, type ZipLimits } from '../sandbox/zip.ts';
import { kindOf, shownName } from './files.ts';

export interface StageLimits {
  /** Files and folders in a submission. */
  maxFiles: number;
  /** Deepest nesting of a path inside the submission (a/b/c is 3). */
  maxDepth: number;
  /** Largest single file. */
  maxFileBytes: number;
  /** All files together. */
  maxTotalBytes: number;
}

export const DEFAULT_STAGE_LIMITS: StageLimits = { maxFiles: 5000, maxDepth: 16, maxFileBytes: 256 * 1024 * 1024, maxTotalBytes: 500 * 1024 * 1024 };

export type Staged =
  | { ok: true; /** The submission inside the copy (a zip of one folder: that folder). */ dir: string; /** Remove with removeStaged. */ root: string }
  | { ok: false; message: string };

export { shownName };

const LINK_REFUSED = 'a symbolic link; links are not accepted (a submission must hold its files, not point elsewhere)';

/** An entry staging refuses, as a noun with what is accepted instead. */
function refusedKind(info: Parameters<typeof kindOf>[0]): string {
  if (info.isSymbolicLink()) return LINK_REFUSED;
  return `${info.isFIFO() || info.isSocket() || info.isCharacterDevice() || info.isBlockDevice() ? kindOf(info) : 'neither a file nor a folder'}; only files and folders are accepted`;
}

function ioError(rel: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return `${shownName(rel)} disappeared while the submission was being read`;
  if (code === 'EACCES' || code === 'EPERM') return `${shownName(rel)} could not be read (permission denied)`;
  if (code === 'ELOOP') return `${shownName(rel)} is ${LINK_REFUSED}`;
  return `${shownName(rel)} could not be read (${code ?? 'error'})`;
}

class Refusal extends Error {}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A name as the file system holds it, as text: undefined when its bytes are not valid UTF-8. */
function utf8Name(bytes: Buffer): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * A name that is not UTF-8 (`touch $'\xff\xfe.exe'`) has no string that names it: decoded,
 * it becomes U+FFFD, which names no file, and every later reader would fail on it. Refused
 * with its bytes (at most 32 shown) and the folder it is in, so the pair can find it.
 */
function notUtf8(rel: string, bytes: Buffer): string {
  const hex = [...bytes.subarray(0, 32)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  const more = bytes.length > 32 ? ` … (${bytes.length - 32} more bytes)` : '';
  const where = rel ? ` in ${shownName(rel)}/` : '';
  return `an entry's name${where} is not valid UTF-8 (bytes ${hex}${more}, shown as "${shownName(bytes.toString('utf8'))}"); rename it`;
}

/**
 * A regular file with more than one name: its other name may be outside the submission (a
 * hard link to a file of the TA's, made in a folder on the grader's disk), and copying it
 * would hand its contents to the solution. Zips and Moodle uploads cannot carry hard links.
 */
const hardLink = (rel: string) => `${shownName(rel)} has other names (a hard link); a submission must hold its own files`;

/**
 * Copies one regular file, reading no more than lstat said it holds (plus one byte, to see
 * that it grew). Opened without following a link and without blocking on a FIFO swapped in
 * since the lstat, and checked on the descriptor to be the very file lstat saw.
 */
async function copyFile(src: string, dst: string, rel: string, seen: { size: number; ino: number; dev: number }): Promise<void> {
  let input;
  try {
    input = await open(src, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    throw new Refusal(ioError(rel, error));
  }
  try {
    const info = await input.stat();
    if (!info.isFile() || info.ino !== seen.ino || info.dev !== seen.dev) throw new Refusal(`${shownName(rel)} changed while the submission was being copied`);
    if (info.nlink > 1) throw new Refusal(hardLink(rel));
    const output = await open(dst, 'wx', 0o644);
    try {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, seen.size + 1));
      let copied = 0;
      for (;;) {
        const { bytesRead } = await input.read(chunk, 0, Math.min(chunk.length, seen.size + 1 - copied), copied);
        if (bytesRead === 0) break;
        copied += bytesRead;
        if (copied > seen.size) throw new Refusal(`${shownName(rel)} grew while the submission was being copied (it was ${seen.size} bytes)`);
        await output.write(chunk, 0, bytesRead);
      }
      if (copied < seen.size) throw new Refusal(`${shownName(rel)} shrank while the submission was being copied (${copied} of ${seen.size} bytes)`);
    } finally {
      await output.close();
    }
  } catch (error) {
    if (error instanceof Refusal) throw error;
    throw new Refusal(ioError(rel, error));
  } finally {
    await input.close();
  }
}

/** Copies the folder `src` into the empty folder `dst`, by lstat, within `limits`. */
async function copyTree(src: string, dst: string, limits: StageLimits): Promise<void> {
  let entries = 0;
  let bytes = 0;
  // Breadth first with an explicit queue: no recursion on the student's nesting.
  const queue: { rel: string; depth: number }[] = [{ rel: '', depth: 0 }];
  while (queue.length) {
    const { rel, depth } = queue.shift()!;
    let raw: Buffer[];
    try {
      raw = await readdir(join(src, rel), { encoding: 'buffer' });
    } catch (error) {
      throw new Refusal(ioError(rel || '.', error));
    }
    const names = raw.map((bytes) => {
      const name = utf8Name(bytes);
      if (name === undefined) throw new Refusal(notUtf8(rel, bytes));
      return name;
    }).sort();
    if (entries + names.length > limits.maxFiles) throw new Refusal(`holds more than ${limits.maxFiles} files and folders (limit)`);
    for (const name of names) {
      const child = rel ? `${rel}/${name}` : name;
      entries++;
      let info;
      try {
        info = await lstat(join(src, child));
      } catch (error) {
        throw new Refusal(ioError(child, error));
      }
      if (depth + 1 > limits.maxDepth) throw new Refusal(`${shownName(child)} is nested ${depth + 1} levels deep, more than the limit of ${limits.maxDepth}`);
      if (info.isDirectory()) {
        try {
          await mkdir(join(dst, child), { mode: 0o755 });
        } catch (error) {
          // A folder the file system cannot create in the copy (a path past PATH_MAX) is refused.
          throw new Refusal(ioError(child, error));
        }
        queue.push({ rel: child, depth: depth + 1 });
      } else if (info.isFile()) {
        if (info.nlink > 1) throw new Refusal(hardLink(child));
        if (info.size > limits.maxFileBytes) throw new Refusal(`${shownName(child)} is ${info.size} bytes, more than the limit of ${limits.maxFileBytes} for one file`);
        bytes += info.size;
        if (bytes > limits.maxTotalBytes) throw new Refusal(`holds more than ${limits.maxTotalBytes} bytes (limit)`);
        await copyFile(join(src, child), join(dst, child), child, info);
      } else {
        throw new Refusal(`${shownName(child)} is ${refusedKind(info)}`);
      }
    }
  }
}

/**
 * Makes the copy read-only, files first and each folder after its contents (a folder
 * without write permission could not have its entries changed any more). Also the check
 * that the copy holds only files and folders, whatever produced it.
 */
async function seal(dir: string): Promise<void> {
  const folders: string[] = [];
  const queue = [dir];
  while (queue.length) {
    const current = queue.shift()!;
    folders.push(current);
    for (const e of await readdir(current, { withFileTypes: true })) {
      const path = join(current, e.name);
      if (e.isDirectory()) queue.push(path);
      else if (e.isFile()) await chmod(path, 0o444);
      else throw new Refusal(`${shownName(path.slice(dir.length + 1))} is ${refusedKind(await lstat(path))}`);
    }
  }
  for (const folder of folders.reverse()) await chmod(folder, 0o555);
}

/** Staged copies not removed yet: an interrupted run (Ctrl-C, SIGTERM: the CLI exits) removes them at exit. */
const live = new Set<string>();
let exitHook = false;

function removeLiveAtExit(root: string): void {
  live.add(root);
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const dir of live) {
      const queue = [dir];
      while (queue.length) {
        const current = queue.shift()!;
        try {
          chmodSync(current, 0o700);
          for (const e of readdirSync(current, { withFileTypes: true })) if (e.isDirectory()) queue.push(join(current, e.name));
        } catch { /* gone already, or not ours to open: rmSync says what it can */ }
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** Removes a staged copy: its folders are made writable again first, so a non-root grader can delete it. */
export async function removeStaged(root: string): Promise<void> {
  live.delete(root);
  const queue = [root];
  while (queue.length) {
    const current = queue.shift()!;
    await chmod(current, 0o700).catch(() => undefined);
    const entries = await readdir(current, { withFileTypes: true }).catch(() => []);
    for (const e of entries) if (e.isDirectory()) queue.push(join(current, e.name));
  }
  await rm(root, { recursive: true, force: true });
}

/**
 * Stages the submission at `path` (a folder or a .zip). `label` names it in messages (its
 * file or folder name): never the temporary folder, which means nothing to a student.
 */
export async function stageSubmission(path: string, label: string, limits: StageLimits, zipLimits: ZipLimits): Promise<Staged> {
  const root = await mkdtemp(join(tmpdir(), 'hw2-stage-'));
  removeLiveAtExit(root);
  await chmod(root, 0o711);
  const copy = join(root, 'submission');
  await mkdir(copy, { mode: 0o755 });
  const refuse = async (message: string): Promise<Staged> => {
    await removeStaged(root);
    return { ok: false, message };
  };
  try {
    let info;
    try {
      info = await lstat(path);
    } catch (error) {
      return refuse(`${label}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found (it disappeared before it could be read)' : ioError('the submission', error)}`);
    }
    let dir = copy;
    if (info.isDirectory()) {
      await copyTree(path, copy, limits);
    } else if (info.isFile() && path.toLowerCase().endsWith('.zip')) {
      const extracted = await extractZip(path, { ...zipLimits, maxEntries: Math.min(zipLimits.maxEntries, limits.maxFiles), maxTotalBytes: Math.min(zipLimits.maxTotalBytes, limits.maxTotalBytes) }, {
        into: copy, label, maxFileBytes: limits.maxFileBytes, maxDepth: limits.maxDepth,
      });
      if (!extracted.ok) return refuse(extracted.message);
      dir = extracted.dir;
    } else {
      return refuse(`${label}: ${info.isFile() ? 'a file that is not a .zip' : refusedKind(info)}; a submission is a folder or a .zip of one`);
    }
    await seal(copy);
    return { ok: true, dir, root };
  } catch (error) {
    if (error instanceof Refusal) return refuse(`${label}: ${error.message}`);
    await removeStaged(root);
    throw error;
  }
}
