/** hw2 data fetch against a server on 127.0.0.1 that serves Debian's copy, then a corrupted one. */
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchFashion } from '../../src/data/fetch.ts';

const DEBIAN = '/usr/share/datasets/fashion-mnist';
let corrupt = false;
const server = createServer((req, res) => {
  const file = join(DEBIAN, req.url!.slice(1));
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

describe('hw2 data fetch fashion', () => {
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
