/**
 * A submission's content as a hash, walked the way intake walks it: with lstat (never through
 * a link), every entry's name and kind, a file's bytes. Used for cache keys and to tell
 * "both partners uploaded the same bytes" from "two different uploads".
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';

export type Hash = ReturnType<typeof createHash>;

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

/**
 * Adds `path`'s content (a folder or a file) to `hash`, reading at most what staging would
 * (`limits.maxFileBytes` a file, `limits.maxTotalBytes` in all); never throws for what the
 * submission holds.
 */
export async function hashContent(hash: Hash, path: string, limits: { maxFileBytes: number; maxTotalBytes: number }): Promise<Hash> {
  const info = await lstat(path);
  if (info.isDirectory()) await hashTree(hash, Buffer.from(path), Buffer.alloc(0), { maxFileBytes: limits.maxFileBytes, left: limits.maxTotalBytes });
  else if (info.isFile() && info.size <= limits.maxTotalBytes) await hashFile(hash, path);
  else hash.update(`\0other\0${info.size}\0`);
  return hash;
}
