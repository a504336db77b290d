import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractZip } from '../../src/sandbox/zip.ts';
import { writeZip } from '../zip-writer.ts';

describe('extractZip', () => {
  it('refuses more entries than allowed, and grades a zip of one folder from that folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hw2-zip-'));
    const many = join(dir, 'many.zip');
    await writeFile(many, writeZip(Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from('x') }))));
    expect(await extractZip(many, { maxEntries: 10, maxTotalBytes: 1e6, maxRatio: 100 })).toEqual({ ok: false, message: `${many}: has 11 entries, more than the limit of 10` });
    const one = join(dir, 'one.zip');
    await writeFile(one, writeZip([{ name: 'pair/hw2.json', data: Buffer.from('{}') }]));
    const r = await extractZip(one);
    expect(r.ok && r.dir.endsWith('/pair')).toBe(true);
  });

  it('counts inflated bytes instead of trusting the headers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hw2-zip-'));
    const file = join(dir, 'big.zip');
    await writeFile(file, writeZip([{ name: 'a.bin', data: Buffer.alloc(600_000, 7), deflate: true }, { name: 'b.bin', data: Buffer.alloc(600_000, 7), deflate: true }]));
    expect(await extractZip(file, { maxEntries: 10, maxTotalBytes: 1_000_000, maxRatio: 1e9 })).toMatchObject({ ok: false, message: expect.stringMatching(/expands to more than 1000000 bytes/) });
  });
});
