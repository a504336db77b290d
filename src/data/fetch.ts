/**
 * `hw2 data fetch fashion|svhn`: downloads a dataset from its upstream and checks every file
 * before it is kept. FashionMNIST: the sha256 of each file's decompressed content
 * (re-compressed copies, like Debian's, differ in their gzip bytes but not in their content).
 * SVHN: the md5 of each .mat file, as published with torchvision's SVHN loader, computed while
 * the file streams to a .part file that is renamed only when it matches (train is 182 MB,
 * extra 1.3 GB: neither is held in memory). On a machine without internet both fail at once
 * with a message that says where else the data can come from.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gunzipSync } from 'node:zlib';
import { FASHION_SHA256 } from './datasets.ts';

/** Upstream (Zalando's mirror); HW2_FASHION_URL points elsewhere, e.g. a course mirror. */
const FASHION_URL = () => process.env.HW2_FASHION_URL ?? 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';

/** The message for a download that could not start: the cause, and what to do without internet. */
function unreachable(url: string, error: unknown, instead: string): Error {
  const inner = (error as { cause?: { code?: string; message?: string } }).cause;
  const cause = inner?.code ?? inner?.message ?? (error as Error).message;
  return new Error(`could not download ${url} (${cause}). ${instead}`);
}

export async function fetchFashion(dir: string, log: (line: string) => void): Promise<void> {
  const target = join(dir, 'fashion-mnist');
  await mkdir(target, { recursive: true });
  for (const [stem, sha] of Object.entries(FASHION_SHA256)) {
    const url = `${FASHION_URL()}${stem}.gz`;
    let bytes: Buffer;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      bytes = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      throw unreachable(url, error, `Without internet, install Debian's dataset-fashion-mnist or copy the four .gz files into ${target}`);
    }
    const got = createHash('sha256').update(gunzipSync(bytes)).digest('hex');
    if (got !== sha) throw new Error(`${url}: content sha256 ${got}, expected ${sha}; the file was not saved`);
    await writeFile(join(target, `${stem}.gz`), bytes);
    log(`${stem}.gz: ${bytes.length} bytes, sha256 of its content checked`);
  }
}

/** Upstream (Stanford's); HW2_SVHN_URL points elsewhere, e.g. a course mirror. */
const SVHN_URL = () => process.env.HW2_SVHN_URL ?? 'http://ufldl.stanford.edu/housenumbers/';

export type SvhnSplit = 'train' | 'test' | 'extra';

/** md5 of the .mat files, as torchvision's SVHN loader publishes them. */
export const SVHN_MD5: Record<SvhnSplit, string> = {
  train: 'e26dedcc434d2e4c54c9b2d4a06d8373',
  test: 'eb5a983be6a315427106f1b164d9cef3',
  extra: 'a93ce644f1a588dc4d68dda5feec44a7',
};

async function md5Of(file: string): Promise<string> {
  const hash = createHash('md5');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/**
 * Downloads the SVHN splits into `<dir>/svhn/<split>_32x32.mat`. A file already there with the
 * right md5 is kept; a download whose md5 differs is deleted and the error names both sums.
 * `md5` defaults to the published sums (tests give their fixtures' own).
 */
export async function fetchSvhn(dir: string, splits: SvhnSplit[], log: (line: string) => void, md5: Record<SvhnSplit, string> = SVHN_MD5): Promise<void> {
  const target = join(dir, 'svhn');
  await mkdir(target, { recursive: true });
  for (const split of splits) {
    const name = `${split}_32x32.mat`;
    const file = join(target, name);
    if (existsSync(file) && (await md5Of(file)) === md5[split]) {
      log(`${name}: already there, md5 checked`);
      continue;
    }
    const url = `${SVHN_URL()}${name}`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
    } catch (error) {
      throw unreachable(url, error, `Without internet, copy train_32x32.mat and test_32x32.mat (from http://ufldl.stanford.edu/housenumbers/) into ${target}`);
    }
    const part = `${file}.part`;
    const hash = createHash('md5');
    let bytes = 0;
    const tee = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(response.body as Parameters<typeof Readable.fromWeb>[0]), tee, createWriteStream(part));
    } catch (error) {
      await rm(part, { force: true });
      throw new Error(`${url}: the download broke off after ${bytes} bytes (${(error as Error).message}); nothing was kept`);
    }
    const got = hash.digest('hex');
    if (got !== md5[split]) {
      await rm(part, { force: true });
      throw new Error(`${url}: md5 ${got}, expected ${md5[split]}; the file was not kept`);
    }
    await rename(part, file);
    log(`${name}: ${bytes} bytes, md5 checked`);
  }
}
