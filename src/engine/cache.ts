/**
 * Content keys: a result is reused only when everything that can change it is the same as
 * when it was made: the submission's bytes (and the names and kinds of its entries: links,
 * files with other names (hard links), names that are not UTF-8 and other non-files
 * included, since intake refuses those), the rubric, the seed, the mode, the harness's own
 * sources and installed backends, and the data it was measured on.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import type { Rubric } from './rubric.ts';
import { harnessFingerprint } from './fingerprint.ts';

type Hash = ReturnType<typeof createHash>;

const SLASH = Buffer.from('/');

/**
 * A file's bytes. A file that cannot be read (permission, gone since the listing) is hashed
 * as a marker with the reason instead of throwing: staging then refuses the submission with
 * the entry named, a submission problem, never a harness fault.
 */
async function hashFile(hash: Hash, file: string | Buffer): Promise<void> {
  try {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  } catch (error) {
    hash.update(`\0unreadable\0${(error as NodeJS.ErrnoException)?.code ?? 'error'}\0`);
  }
}

/**
 * Walks with lstat (never through a link): every entry's name and kind, and a file's bytes.
 * Names are kept as the raw bytes the file system holds (readdir's 'buffer' encoding) and
 * files are opened by those bytes: a name that is not valid UTF-8 (`\xff\xfe.exe`) would
 * otherwise be decoded to U+FFFD, and the decoded name names no file (ENOENT). Staging
 * refuses such a name; the key only has to be computed without throwing.
 */
/**
 * How many bytes the key may read: staging refuses a file over `limits.intake.maxFileBytes`
 * and a folder over `maxTotalBytes` from lstat sizes alone, so past them the size (and time)
 * stands for the content: a 1 TB sparse file costs the key a stat, not a terabyte of reading.
 */
interface Budget { maxFileBytes: number; left: number }

async function hashTree(hash: Hash, dir: Buffer, rel: Buffer, budget: Budget): Promise<void> {
  const at = rel.length ? Buffer.concat([dir, SLASH, rel]) : dir;
  let entries;
  try {
    entries = await readdir(at, { withFileTypes: true, encoding: 'buffer' });
  } catch (error) {
    hash.update(`\0unreadable-dir\0${(error as NodeJS.ErrnoException)?.code ?? 'error'}\0`);
    return;
  }
  for (const e of entries.sort((a, b) => Buffer.compare(a.name, b.name))) {
    const name = rel.length ? Buffer.concat([rel, SLASH, e.name]) : e.name;
    const tag = (kind: string) => {
      hash.update(`\0${kind}\0`);
      hash.update(name);
      hash.update('\0');
    };
    if (e.isDirectory()) {
      tag('dir');
      await hashTree(hash, dir, name, budget);
    } else if (e.isFile()) {
      const file = Buffer.concat([dir, SLASH, name]);
      // A file with other names (a hard link) is refused by staging: that it has them is part
      // of the key, so adding or removing the other name regrades.
      const info = await lstat(file).catch(() => undefined);
      tag((info?.nlink ?? 0) > 1 ? 'linked-file' : 'file');
      if (info && (info.size > budget.maxFileBytes || info.size > budget.left)) {
        hash.update(`\0unread\0${info.size}\0${info.mtimeMs}\0`);
        budget.left = -1;
      } else {
        if (info) budget.left -= info.size;
        await hashFile(hash, file);
      }
    } else {
      tag('other');
    }
  }
}

export interface KeyContext {
  rubric: Rubric;
  seed: number;
  mode: string;
  /** Which data the checks measure on, by content (src/data/plan.ts planFingerprint). */
  data: string;
  /** Why intake refused the upload, if it did (a limit, the roster): a changed reason regrades. */
  problem?: string;
}

/** Staging's default limits (src/intake/stage.ts DEFAULT_STAGE_LIMITS), when the rubric gives none. */
const DEFAULT_READ = { maxFileBytes: 256 * 1024 * 1024, maxTotalBytes: 500 * 1024 * 1024 };

export async function cacheKey(path: string, context: KeyContext): Promise<string> {
  const hash = createHash('sha256');
  const { rubric, seed, mode, data, problem } = context;
  hash.update(JSON.stringify({ harness: harnessFingerprint(), rubric, seed, mode, data, problem: problem ?? null }));
  const limits = (rubric.limits as { intake?: { maxFileBytes: number; maxTotalBytes: number } }).intake ?? DEFAULT_READ;
  const info = await lstat(path);
  if (info.isDirectory()) await hashTree(hash, Buffer.from(path), Buffer.alloc(0), { maxFileBytes: limits.maxFileBytes, left: limits.maxTotalBytes });
  else if (info.isFile()) await hashFile(hash, path);
  else hash.update(`\0other\0`);
  return hash.digest('hex');
}
