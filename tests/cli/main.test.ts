/**
 * `run()`: one exit code per outcome, from the table, and a message on stderr for every error;
 * the bare `hw2`, --help and --version as bin/hw2.mjs answers them. In process: each test
 * stops before anything is graded.
 */
import { mkdtemp } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/main.ts';

let stdout: string[];
let stderr: string[];
beforeEach(() => {
  stdout = [];
  stderr = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void stdout.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(a.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

const VERSION = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

describe('run', () => {
  it('prints the version and the help, and a bare hw2 is a usage error that shows the help', async () => {
    expect(await run(['--version'], {})).toBe(0);
    expect(stdout).toEqual([VERSION]);
    expect(await run(['grade', '--help'], {})).toBe(0);
    expect(stdout[1]).toMatch(new RegExp(`^hw2 ${VERSION.replace(/\./g, '\\.')} — `));
    expect(await run([], {})).toBe(2);
    expect(stdout[2]).toBe(stdout[1]);
    expect(stderr).toEqual([]);
  });

  it('ends a usage error with 2 and one line saying what was wrong', async () => {
    expect(await run(['frobnicate'], {})).toBe(2);
    expect(await run(['grade', 'x', '--reporter', 'xml'], {})).toBe(2);
    expect(await run(['grade', 'x', '--frobnicate'], {})).toBe(2);
    expect(await run(['grade', 'x'], { HW2_SHARD: '9' })).toBe(2);
    expect(await run(['check'], {})).toBe(2);
    expect(stderr).toEqual([
      expect.stringMatching(/^hw2: unknown command "frobnicate"/),
      expect.stringMatching(/^hw2: --reporter: unknown reporter "xml" \(known: /),
      expect.stringMatching(/^hw2: Unknown option '--frobnicate'/),
      expect.stringMatching(/^hw2: HW2_SHARD: expected i\/n/),
      'hw2: hw2 check: name exactly one submission folder',
    ]);
  });

  it('ends a bad rubric with 2, and merge of folders with no result in them with 2', async () => {
    expect(await run(['rubric', '--rubric', 'package.json'], {})).toBe(2);
    expect(stderr[0]).toMatch(/^hw2: package\.json: /);
    const empty = await mkdtemp(join(tmpdir(), 'hw2-main-'));
    expect(await run(['merge', empty, '--out', join(empty, 'out')], {})).toBe(2);
    expect(stderr[1]).toBe(`hw2: no result.json under ${empty}`);
  });
});
