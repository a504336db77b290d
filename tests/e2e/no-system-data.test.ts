/**
 * Grades a TA can trust on any machine: with no system datasets at all (a mount namespace
 * hides /usr/share/datasets where it exists), `correct` is graded from the embedded test split
 * at the same automatic score as with a configured copy of the data, no check in error; the
 * first lines of the run say which data was used; and a change of data regrades instead of
 * reusing results made on other data.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SubmissionResult } from '../../src/core/vocabulary.ts';
import { ROOT } from '../helpers-cli.ts';
import { PYTORCH_ACCURACY } from '../models/expected.ts';

const exec = promisify(execFile);
const SYSTEM = '/usr/share/datasets';
/** Root can hide the system datasets in a private mount namespace; elsewhere they must be absent. */
const canHide = !existsSync(SYSTEM) || (process.getuid?.() === 0 && spawnSync('unshare', ['--mount', '--propagation', 'private', 'true']).status === 0);

/** The real CLI, with HW2_DATA as given and the system datasets out of sight. */
async function hw2NoSystemData(args: string[], hw2Data: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = [process.execPath, join(ROOT, 'bin/hw2.mjs'), ...args];
  const [command, argv] = existsSync(SYSTEM)
    ? ['unshare', ['--mount', '--propagation', 'private', 'sh', '-c', `mount -t tmpfs tmpfs ${SYSTEM} && exec "$@"`, 'sh', ...cli]]
    : [cli[0]!, cli.slice(1)];
  try {
    const { stdout, stderr } = await exec(command, argv as string[], { cwd: ROOT, env: { ...process.env, HW2_DATA: hw2Data }, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const result = async (out: string): Promise<SubmissionResult> => JSON.parse(await readFile(join(out, 'correct', 'result.json'), 'utf8'));

describe.skipIf(!canHide)('grading with no system datasets', () => {
  let empty: string;
  let configured: string;
  let out: string;
  let embeddedRun: Awaited<ReturnType<typeof hw2NoSystemData>>;
  let embedded: SubmissionResult;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hw2-nodata-'));
    empty = join(dir, 'empty');
    await mkdir(empty);
    // A configured copy of the same official test split, as `hw2 data fetch` or Debian would lay it out.
    configured = join(dir, 'data');
    await mkdir(join(configured, 'fashion-mnist'), { recursive: true });
    for (const f of ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) await copyFile(join(ROOT, 'vendor/fashion-mnist', f), join(configured, 'fashion-mnist', f));
    out = join(dir, 'out');
    embeddedRun = await hw2NoSystemData(['grade', join(ROOT, 'solutions/correct'), '--out', out, '--no-pdf'], empty);
    embedded = await result(out);
  }, 180_000);

  it('measures Task 2 on the embedded test split, says so first, and leaves no check in error', () => {
    expect(embeddedRun.code, embeddedRun.stderr).toBe(0);
    expect(embeddedRun.stdout.split('\n')[0]).toMatch(/^FashionMNIST test: embedded \(.*vendor\/fashion-mnist\), sha256 5b4141f0afba/);
    expect(embedded.checks.filter((c) => c.status === 'error').map((c) => `${c.id}: ${c.message}`)).toEqual([]);
    // PyTorch measured the same weights at 89.78% (tests/models/expected.ts)
    expect(embedded.checks.find((c) => c.id === 'task2.accuracy')!.message).toContain(`${(100 * PYTORCH_ACCURACY.correct!).toFixed(2)}%`);
  });

  it('reuses the result when nothing changed, and regrades when the data changes, to the same score', async () => {
    const again = await hw2NoSystemData(['grade', join(ROOT, 'solutions/correct'), '--out', out, '--no-pdf'], empty);
    expect(again.stdout).toContain('1 unchanged since the last run were reused');
    const withData = await hw2NoSystemData(['grade', join(ROOT, 'solutions/correct'), '--out', out, '--no-pdf'], configured);
    expect(withData.code, withData.stderr).toBe(0);
    expect(withData.stdout.split('\n')[0]).toMatch(new RegExp(`^FashionMNIST test: ${join(configured, 'fashion-mnist', 't10k-images-idx3-ubyte.gz')}, sha256 [0-9a-f]{12}…$`));
    expect(withData.stdout).not.toContain('unchanged since the last run');
    const fromConfigured = await result(out);
    expect(fromConfigured.cacheKey).not.toBe(embedded.cacheKey);
    expect(fromConfigured.checks.map((c) => [c.id, c.status, c.score])).toEqual(embedded.checks.map((c) => [c.id, c.status, c.score]));
    expect(fromConfigured.score).toBe(embedded.score);
  }, 180_000);
});

describe('a damaged dataset on the grading machine', () => {
  it('holds the points of the checks it stops back, never scores them 0, and exits 1 with one line per cause', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hw2-damaged-data-'));
    await mkdir(join(dir, 'data', 'fashion-mnist'), { recursive: true });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'data', 'fashion-mnist', 't10k-images-idx3-ubyte'), 'damaged');
    await writeFile(join(dir, 'data', 'fashion-mnist', 't10k-labels-idx1-ubyte'), 'damaged');
    const out = join(dir, 'out');
    // a pair with the two Task 2 models only: quicker than correct's four
    const pair = 'flawed-task2-accuracy-between-85-and-89';
    const run = await hw2NoSystemData(['grade', join(ROOT, 'solutions', pair), '--out', out, '--no-pdf'], join(dir, 'data'));
    expect(run.code).toBe(1);
    const images = join(dir, 'data', 'fashion-mnist', 't10k-images-idx3-ubyte');
    expect(run.stderr).toContain(`hw2: not graded yet: the grading machine lacked something: the fashion-mnist test set could not be read: ${images} is not an idx file (its first two bytes must be 0) (1 submission: ${pair})`);
    const r: SubmissionResult = JSON.parse(await readFile(join(out, pair, 'result.json'), 'utf8'));
    const held = r.checks.filter((c) => c.cause === 'environment').map((c) => [c.id, c.status, c.score]);
    // the two Task 2 checks that measure a model: 6 + 2 points (reference/rubric.json)
    expect(held).toEqual([['task2.accuracy', 'error', 0], ['task2.reinit', 'error', 0]]);
    expect(r.heldBack).toBe(8);
    // the score counts every other automatic check, and nothing for the held-back ones
    const others = r.checks.filter((c) => c.kind === 'auto' && c.cause === undefined).reduce((a, c) => a + c.score, 0);
    expect(r.score).toBeCloseTo(others, 9);
    const grades = await readFile(join(out, 'grades.csv'), 'utf8');
    expect(grades.split('\r\n')[1]!.split(',')[2]).toBe('');
    // An incomplete result is never reused: the machine may have been fixed since.
    const again = await hw2NoSystemData(['grade', join(ROOT, 'solutions', pair), '--out', out, '--no-pdf'], join(dir, 'data'));
    expect(again.stdout).not.toContain('unchanged since the last run');
  }, 180_000);
});
