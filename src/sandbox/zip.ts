/**
 * Safe extraction of a submission zip. Refused, with the entry named: paths that escape the
 * folder (`../`, absolute, drive letters), links, devices, FIFOs and sockets, an entry that
 * is both a file and a folder (or appears twice), more entries or more nesting than allowed,
 * more bytes than allowed (counted while inflating, not trusted from the headers), and
 * entries whose compression ratio marks a zip bomb. Only regular files and folders are
 * written, so an extracted zip has the same shape as a staged folder (src/intake/stage.ts).
 * A zip whose entries all sit in one top folder is graded from that folder.
 *
 * A course's download holds many uploads in one zip: with `groups`, entries are grouped by
 * their top folder (one student's), each group has the limits of one submission, and a group
 * that breaks one is refused alone — its files are removed, the reason is kept — while the
 * others are extracted.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import yauzl from 'yauzl';

export interface ZipLimits {
  maxEntries: number;
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio of an entry bigger than 1 MB. */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 5000, maxTotalBytes: 500 * 1024 * 1024, maxRatio: 200 };

export interface ExtractOptions {
  /** An existing empty folder to extract into; otherwise a fresh temporary one. */
  into?: string;
  /** How the zip is named in messages (default: its path). */
  label?: string;
  /** Largest inflated size of one entry. */
  maxFileBytes?: number;
  /** Deepest nesting of an entry's path (a/b/c is 3). */
  maxDepth?: number;
  /** Entries grouped by `of(name)` (undefined: not in a group); each group has `limits` of its own. */
  groups?: { of(name: string): string | undefined; limits: ZipLimits };
}

export type Extracted =
  | { ok: true; dir: string; root: string; /** group → why it was refused (only with `groups`) */ refused: Map<string, string> }
  | { ok: false; message: string };

const S_IFMT = 0o170000;
const TYPES: Record<number, string> = {
  0o120000: 'a symbolic link; links are not accepted',
  0o020000: 'a device; only files and folders are accepted',
  0o060000: 'a device; only files and folders are accepted',
  0o010000: 'a FIFO (named pipe); only files and folders are accepted',
  0o140000: 'a socket; only files and folders are accepted',
};
const S_IFDIR = 0o040000;

function open(file: string): Promise<yauzl.ZipFile> {
  return new Promise((res, rej) => yauzl.open(file, { lazyEntries: true, autoClose: true, strictFileNames: true, validateEntrySizes: true }, (err, zip) => (err ? rej(err) : res(zip!))));
}

function checkName(name: string): string | undefined {
  if (name.includes('\\')) return 'uses a backslash in its path';
  if (name.includes('\0')) return 'has a NUL character in its name';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'has an absolute path';
  if (name.split('/').some((part) => part === '..')) return 'climbs out of the folder with ..';
  // Linux's NAME_MAX: a longer part cannot be created, whatever the zip says.
  if (name.split('/').some((part) => Buffer.byteLength(part) > 255)) return 'has a name part longer than 255 bytes';
  return undefined;
}

/** Entry names in messages, bounded: a name is the zip author's text. */
const shown = (name: string) => JSON.stringify(name.length > 200 ? `${name.slice(0, 200)}…` : name);

/** Extracts `file`; the caller removes `root` when done (and `into`, when it gave one). */
export async function extractZip(file: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS, options: ExtractOptions = {}): Promise<Extracted> {
  const root = options.into ?? (await mkdtemp(join(tmpdir(), 'hw2-zip-')));
  const label = options.label ?? file;
  const fail = async (message: string): Promise<Extracted> => {
    if (!options.into) await rm(root, { recursive: true, force: true });
    return { ok: false, message: `${label}: ${message}` };
  };
  let zip: yauzl.ZipFile;
  try {
    zip = await open(file);
  } catch (error) {
    return fail(`not a readable zip (${String((error as Error).message).slice(0, 200)})`);
  }
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    return fail(`has ${zip.entryCount} entries, more than the limit of ${limits.maxEntries}`);
  }
  let total = 0;
  /** What each path already is: a second entry may not make a file a folder, or repeat a file. */
  const kinds = new Map<string, 'file' | 'dir'>();
  const refused = new Map<string, string>();
  const groupTotals = new Map<string, { bytes: number; entries: number }>();
  const outcome = await new Promise<string | undefined>((done) => {
    zip.on('error', (error: Error) => done(`could not be read: ${String(error.message).slice(0, 200)}`));
    zip.on('end', () => done(undefined));
    /** Whatever extracting one entry throws (the file system refusing a name, say) refuses that entry, never the process. */
    const failed = (entry: yauzl.Entry, error: unknown) => {
      const group = options.groups?.of(entry.fileName);
      const message = `entry ${shown(entry.fileName)} could not be extracted (${(error as NodeJS.ErrnoException)?.code ?? String((error as Error)?.message ?? error).slice(0, 100)})`;
      if (group === undefined) return done(message);
      refused.set(group, message);
      zip.readEntry();
    };
    zip.on('entry', (entry: yauzl.Entry) => void onEntry(entry).catch((error) => failed(entry, error)));
    const onEntry = async (entry: yauzl.Entry) => {
      const name = entry.fileName;
      const group = options.groups?.of(name);
      if (group !== undefined && refused.has(group)) return zip.readEntry();
      // A fault of one upload refuses its group alone; anywhere else it refuses the zip.
      const refuse = (message: string) => {
        if (group === undefined) return done(message);
        refused.set(group, message);
        zip.readEntry();
      };
      const bad = checkName(name);
      if (bad) return refuse(`entry ${shown(name)} ${bad}`);
      const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
      if (TYPES[mode]) return refuse(`entry ${shown(name)} is ${TYPES[mode]}`);
      const target = resolve(root, name);
      if (!target.startsWith(root + sep)) return refuse(`entry ${shown(name)} escapes the folder`);
      const parts = name.split('/').filter((p) => p !== '' && p !== '.');
      if (options.maxDepth !== undefined && parts.length > options.maxDepth) {
        return refuse(`entry ${shown(name)} is nested ${parts.length} levels deep, more than the limit of ${options.maxDepth}`);
      }
      const isDir = name.endsWith('/') || mode === S_IFDIR;
      // Every parent must be (or become) a folder; the entry itself must be new as a file.
      for (let i = 1; i < parts.length; i++) {
        const parent = parts.slice(0, i).join('/');
        if (kinds.get(parent) === 'file') return refuse(`entry ${shown(parent)} is both a file and a folder`);
        kinds.set(parent, 'dir');
      }
      const key = parts.join('/');
      const before = kinds.get(key);
      if (isDir) {
        if (before === 'file') return refuse(`entry ${shown(key)} is both a file and a folder`);
        kinds.set(key, 'dir');
        await mkdir(target, { recursive: true });
        return zip.readEntry();
      }
      if (before === 'dir') return refuse(`entry ${shown(key)} is both a file and a folder`);
      if (before === 'file') return refuse(`entry ${shown(key)} appears twice`);
      kinds.set(key, 'file');
      if (entry.uncompressedSize > 1024 * 1024 && entry.uncompressedSize / Math.max(1, entry.compressedSize) > limits.maxRatio) {
        return refuse(`entry ${shown(name)} expands ${Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize))} times (limit ${limits.maxRatio}): a zip bomb?`);
      }
      if (options.maxFileBytes !== undefined && entry.uncompressedSize > options.maxFileBytes) {
        return refuse(`entry ${shown(name)} is ${entry.uncompressedSize} bytes, more than the limit of ${options.maxFileBytes} for one file`);
      }
      let mine: { bytes: number; entries: number } | undefined;
      if (group !== undefined) {
        mine = groupTotals.get(group) ?? { bytes: 0, entries: 0 };
        groupTotals.set(group, mine);
        if (++mine.entries > options.groups!.limits.maxEntries) return refuse(`has more than ${options.groups!.limits.maxEntries} entries (limit)`);
        if (mine.bytes + entry.uncompressedSize > options.groups!.limits.maxTotalBytes) return refuse(`expands to more than ${options.groups!.limits.maxTotalBytes} bytes (limit)`);
      }
      if (total + entry.uncompressedSize > limits.maxTotalBytes) {
        return done(`expands to more than ${limits.maxTotalBytes} bytes (limit)`);
      }
      zip.openReadStream(entry, (err, stream) => void (async () => {
        if (err || !stream) return refuse(`entry ${shown(name)} could not be read: ${String(err?.message).slice(0, 200)}`);
        let own = 0;
        // Bytes are counted as they inflate: headers can lie about sizes.
        const counter = new Transform({
          transform(chunk: Buffer, _enc, next) {
            total += chunk.length;
            own += chunk.length;
            if (mine) mine.bytes += chunk.length;
            if (total > limits.maxTotalBytes) next(new Error(`expands to more than ${limits.maxTotalBytes} bytes (limit)`));
            else if (mine && mine.bytes > options.groups!.limits.maxTotalBytes) next(new Error(`expands to more than ${options.groups!.limits.maxTotalBytes} bytes (limit)`));
            else if (options.maxFileBytes !== undefined && own > options.maxFileBytes) next(new Error(`more than the limit of ${options.maxFileBytes} bytes for one file`));
            else next(null, chunk);
          },
        });
        try {
          await mkdir(resolve(target, '..'), { recursive: true });
          await pipeline(stream, counter, createWriteStream(target, { flags: 'wx', mode: 0o644 }));
          zip.readEntry();
        } catch (error) {
          // A file-system error says its code, not its message (which names the temporary folder).
          const code = (error as NodeJS.ErrnoException).code;
          const message = code ? `entry ${shown(name)} could not be extracted (${code})` : `entry ${shown(name)}: ${String((error as Error).message).slice(0, 200)}`;
          if (total > limits.maxTotalBytes) done(message);
          else refuse(message);
        }
      })().catch((error) => failed(entry, error)));
    };
    zip.readEntry();
  });
  zip.close();
  if (outcome) return fail(outcome);
  // A refused upload leaves nothing behind: no half of it is graded.
  for (const group of refused.keys()) {
    const path = resolve(root, group);
    if (path.startsWith(root + sep)) await rm(path, { recursive: true, force: true });
  }
  // A zip of the folder itself: grade from the single top folder.
  const top = (await readdir(root)).filter((n) => n !== '__MACOSX');
  const only = top.length === 1 ? join(root, top[0]!) : undefined;
  const dir = only && (await stat(only)).isDirectory() ? only : root;
  return { ok: true, dir, root, refused };
}
