/** hw2 data fetch against a server on 127.0.0.1: Debian's FashionMNIST and a SciPy-written SVHN fixture, then corrupted or absent files. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSvhn } from '../../src/data/datasets.ts';
import { fetchFashion, fetchSvhn, SVHN_MD5 } from '../../src/data/fetch.ts';

const DEBIAN = '/usr/share/datasets/fashion-mnist';
const FIXTURE = new URL('../fixtures/mat/', import.meta.url).pathname;
let corrupt = false;
const requests: string[] = [];
const server = createServer((req, res) => {
  requests.push(req.url!);
  // SVHN's test split is the small fixture SciPy wrote (tests/fixtures/mat/make_fixtures.py)
  const file = req.url === '/svhn/test_32x32.mat' ? join(FIXTURE, 'svhn_small_z.mat') : join(DEBIAN, req.url!.slice(1));
  try {
    const bytes = readFileSync(file);
    res.end(corrupt && req.url!.includes('labels') ? gzipSync(Buffer.from('not the labels')) : bytes);
  } catch {
    res.statusCode = 404;
    res.end();
  }
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
afterAll(() => server.close());

// The server below serves Debian's copy of all four files; only the test split ships with the harness.
const debian = existsSync(join(DEBIAN, 'train-images-idx3-ubyte.gz'));
const noDebian = " — skipped: needs Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist)";
if (!debian) console.warn(`hw2 data fetch fashion${noDebian}`);

describe.skipIf(!debian)(`hw2 data fetch fashion${debian ? '' : noDebian}`, () => {
  it('saves the four files when their content matches, and refuses a file whose content does not', async () => {
    process.env.HW2_FASHION_URL = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    const dir = await mkdtemp(join(tmpdir(), 'hw2-fetch-'));
    await fetchFashion(dir, () => {});
    expect((await readdir(join(dir, 'fashion-mnist'))).sort()).toEqual(['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz']);
    corrupt = true;
    await expect(fetchFashion(await mkdtemp(join(tmpdir(), 'hw2-fetch-')), () => {})).rejects.toThrow(/train-labels-idx1-ubyte\.gz: content sha256 [0-9a-f]{64}, expected bad3541b/);
    delete process.env.HW2_FASHION_URL;
  });
});

describe('hw2 data fetch svhn', () => {
  const fixture = readFileSync(join(FIXTURE, 'svhn_small_z.mat'));
  // the fixture's md5 over the whole buffer at once, where fetchSvhn hashes the stream chunk by chunk
  const md5 = { ...SVHN_MD5, test: createHash('md5').update(fixture).digest('hex') };
  const expected = JSON.parse(readFileSync(join(FIXTURE, 'svhn_small.json'), 'utf8')) as { labels: number[] };

  it('streams a split to disk, keeps it only when its md5 matches, and does not fetch it twice', async () => {
    process.env.HW2_SVHN_URL = `http://127.0.0.1:${(server.address() as { port: number }).port}/svhn/`;
    const dir = await mkdtemp(join(tmpdir(), 'hw2-fetch-'));
    const log: string[] = [];
    await fetchSvhn(dir, ['test'], (l) => log.push(l), md5);
    expect(await readdir(join(dir, 'svhn'))).toEqual(['test_32x32.mat']);
    expect(log).toEqual([`test_32x32.mat: ${fixture.length} bytes, md5 checked`]);
    expect(Array.from((await loadSvhn('test', dir)).labels)).toEqual(expected.labels);
    requests.length = 0;
    await fetchSvhn(dir, ['test'], (l) => log.push(l), md5);
    expect(requests).toEqual([]);
    expect(log.at(-1)).toBe('test_32x32.mat: already there, md5 checked');
    delete process.env.HW2_SVHN_URL;
  });

  it('deletes a download whose md5 differs (here: the published one against the fixture), naming both sums', async () => {
    process.env.HW2_SVHN_URL = `http://127.0.0.1:${(server.address() as { port: number }).port}/svhn/`;
    const dir = await mkdtemp(join(tmpdir(), 'hw2-fetch-'));
    await expect(fetchSvhn(dir, ['test'], () => {})).rejects.toThrow(`test_32x32.mat: md5 ${md5.test}, expected eb5a983be6a315427106f1b164d9cef3; the file was not kept`);
    expect(await readdir(join(dir, 'svhn'))).toEqual([]);
    // a split the server does not have
    await expect(fetchSvhn(dir, ['train'], () => {})).rejects.toThrow(/could not download .*train_32x32\.mat \(HTTP 404\)\. Without internet, copy train_32x32\.mat and test_32x32\.mat/);
    delete process.env.HW2_SVHN_URL;
  });

  it('fails at once with what to do when nothing answers', async () => {
    // a port that was just free: nothing listens there
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    process.env.HW2_SVHN_URL = `http://127.0.0.1:${port}/`;
    await expect(fetchSvhn(await mkdtemp(join(tmpdir(), 'hw2-fetch-')), ['test'], () => {})).rejects.toThrow(/could not download http:\/\/127\.0\.0\.1:\d+\/test_32x32\.mat \(ECONNREFUSED\)\. Without internet, copy/);
    delete process.env.HW2_SVHN_URL;
  });
});
