/**
 * What hw2 prints can be a CI log: GitHub reads `::command::` at the start of a line as a
 * workflow command, and a terminal obeys escape sequences. A submission names its own folder
 * and its keys, so nothing it writes may start a line or carry a control character.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { hw2, ROOT } from '../helpers-cli.ts';

const work = await mkdtemp(join(tmpdir(), 'hw2-terminal-'));
afterAll(() => rm(work, { recursive: true, force: true }));

it('prints what a submission wrote as one line each, with its controls escaped', async () => {
  // A hostile folder name, and a key of hw2.json that the contract reports as ignored.
  const name = 'pair\n::error file=x::injected\x1b[2J';
  const doc = JSON.parse(await readFile(join(ROOT, 'solutions/half-empty/hw2.json'), 'utf8'));
  doc.answers.q2.forward['E\n::error::pwned\x1b[31m'] = 1;
  await mkdir(join(work, 'course', name), { recursive: true });
  await writeFile(join(work, 'course', name, 'hw2.json'), JSON.stringify(doc));
  const run = await hw2(['grade', join(work, 'course'), '--out', join(work, 'out'), '--reporter', 'json']);
  expect(run.code, run.stderr).toBe(0);
  const lines = `${run.stdout}\n${run.stderr}`.split('\n');
  expect(lines.filter((l) => l.trimStart().startsWith('::'))).toEqual([]);
  expect(run.stdout + run.stderr).not.toContain('\x1b');
  // The key is still there for a TA to read, escaped.
  expect(run.stdout + run.stderr).toContain('E\\n::error::pwned\\x1b[31m');
}, 120_000);
