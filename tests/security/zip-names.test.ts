/**
 * A zip entry the file system cannot create (a name part longer than Linux's 255-byte
 * NAME_MAX, as a folder or as the parent of a file) used to throw out of an entry handler and
 * kill the whole grading process, sheets unwritten. Now it refuses that submission with the
 * entry named, and in a Moodle download that upload alone. Found by an independent attacker.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover } from '../../src/intake/discover.ts';
import { extractZip } from '../../src/sandbox/zip.ts';
import { hw2 } from '../helpers-cli.ts';
import { writeZip } from '../zip-writer.ts';

const hw2Json = Buffer.from(JSON.stringify({ contract: 1, group: { ids: ['123456782', '234567891'] }, answers: {} }));

async function zipFile(entries: Parameters<typeof writeZip>[0]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hw2-longname-'));
  await writeFile(join(dir, 'pair.zip'), writeZip(entries));
  return join(dir, 'pair.zip');
}

describe('a zip entry whose name the file system cannot hold', () => {
  it('is refused with the entry named, as a folder and as the parent of a file', async () => {
    for (const name of [`${'A'.repeat(300)}/`, `${'B'.repeat(300)}/x.json`]) {
      const r = await extractZip(await zipFile([{ name: 'hw2.json', data: hw2Json }, { name, data: Buffer.alloc(0) }]));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/has a name part longer than 255 bytes/);
    }
    // Every part short, the whole past Linux's PATH_MAX (4,096): the file system itself refuses it.
    const deep = `${Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(250, 'x')).join('/')}/f`;
    const r = await extractZip(await zipFile([{ name: 'hw2.json', data: hw2Json }, { name: deep, data: Buffer.from('x') }]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/could not be extracted \(ENAMETOOLONG\)/);
  });

  it('in a batch, costs only its own submission: the others are graded and the sheets written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hw2-longname-batch-'));
    await writeFile(join(dir, 'long.zip'), writeZip([{ name: 'hw2.json', data: hw2Json }, { name: `${'A'.repeat(300)}/`, data: Buffer.alloc(0) }]));
    await writeFile(join(dir, 'good.zip'), writeZip([{ name: 'hw2.json', data: hw2Json }]));
    const run = await hw2(['grade', dir, '--out', await mkdtemp(join(tmpdir(), 'hw2-longname-out-')), '--no-pdf', '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('2 graded');
    const { units } = await discover([dir], { maxEntries: 5000, maxTotalBytes: 1e9, maxRatio: 200 });
    expect(units.map((u) => u.id).sort()).toEqual(['good', 'long']);
  }, 60_000);
});
