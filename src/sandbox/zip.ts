/**
 * Safe extraction of a submission zip. Refused, with the entry named: paths that escape the
 * folder (`../`, absolute, drive letters), links, more entries than allowed, more bytes than
 * allowed (counted while inflating, not trusted from the headers), and entries whose
 * compression ratio marks a zip bomb. A zip whose entries all sit in one top folder is
 * graded from that folder.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
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

export type Extracted = { ok: true; dir: string; root: string } | { ok: false; message: string };

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function open(file: string): Promise<yauzl.ZipFile> {
  return new Promise((res, rej) => yauzl.open(file, { lazyEntries: true, autoClose: true, strictFileNames: true, validateEntrySizes: true }, (err, zip) => (err ? rej(err) : res(zip!))));
}

function checkName(name: string): string | undefined {
  if (name.includes('\\')) return 'uses a backslash in its path';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'has an absolute path';
  if (name.split('/').some((part) => part === '..')) return 'climbs out of the folder with ..';
  return undefined;
}

/** Extracts `file` into a fresh temporary folder; the caller removes `root` when done. */
export async function extractZip(file: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<Extracted> {
  const root = await mkdtemp(join(tmpdir(), 'hw2-zip-'));
  const fail = async (message: string): Promise<Extracted> => {
    await rm(root, { recursive: true, force: true });
    return { ok: false, message: `${file}: ${message}` };
  };
  let zip: yauzl.ZipFile;
  try {
    zip = await open(file);
  } catch (error) {
    return fail(`not a readable zip (${(error as Error).message})`);
  }
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    return fail(`has ${zip.entryCount} entries, more than the limit of ${limits.maxEntries}`);
  }
  let total = 0;
  const outcome = await new Promise<string | undefined>((done) => {
    zip.on('error', (error: Error) => done(`could not be read: ${error.message}`));
    zip.on('end', () => done(undefined));
    zip.on('entry', async (entry: yauzl.Entry) => {
      const name = entry.fileName;
      const bad = checkName(name);
      if (bad) return done(`entry "${name}" ${bad}`);
      const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
      if (mode === S_IFLNK) return done(`entry "${name}" is a symbolic link; links are not accepted`);
      const target = resolve(root, name);
      if (!target.startsWith(root + sep)) return done(`entry "${name}" escapes the folder`);
      if (name.endsWith('/')) {
        await mkdir(target, { recursive: true });
        return zip.readEntry();
      }
      if (entry.uncompressedSize > 1024 * 1024 && entry.uncompressedSize / Math.max(1, entry.compressedSize) > limits.maxRatio) {
        return done(`entry "${name}" expands ${Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize))} times (limit ${limits.maxRatio}): a zip bomb?`);
      }
      if (total + entry.uncompressedSize > limits.maxTotalBytes) {
        return done(`expands to more than ${limits.maxTotalBytes} bytes (limit)`);
      }
      zip.openReadStream(entry, async (err, stream) => {
        if (err || !stream) return done(`entry "${name}" could not be read: ${err?.message}`);
        await mkdir(dirname(target), { recursive: true });
        // Bytes are counted as they inflate: headers can lie about sizes.
        const counter = new Transform({
          transform(chunk: Buffer, _enc, next) {
            total += chunk.length;
            if (total > limits.maxTotalBytes) next(new Error(`expands to more than ${limits.maxTotalBytes} bytes (limit)`));
            else next(null, chunk);
          },
        });
        try {
          await pipeline(stream, counter, createWriteStream(target, { flags: 'wx' }));
          zip.readEntry();
        } catch (error) {
          done(`entry "${name}": ${(error as Error).message}`);
        }
      });
    });
    zip.readEntry();
  });
  zip.close();
  if (outcome) return fail(outcome);
  // A zip of the folder itself: grade from the single top folder.
  const top = (await readdir(root)).filter((n) => n !== '__MACOSX');
  const only = top.length === 1 ? join(root, top[0]!) : undefined;
  const dir = only && (await stat(only)).isDirectory() ? only : root;
  return { ok: true, dir, root };
}
