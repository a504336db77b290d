/**
 * A course that requires OS isolation (rubric limits.sandbox.requireOsIsolation) on a machine
 * that has none (HW2_ISOLATION=none stands in for a machine without bubblewrap): the pair's
 * module is not run, and since its exports may answer any part, every automatic check is held
 * back as "not graded yet" — a fault of the grading machine, never the pair's 0 — and the run
 * exits 1 saying why.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { SubmissionResult } from '../../src/core/vocabulary.ts';
import { DEFAULT_SANDBOX_LIMITS } from '../../src/sandbox/types.ts';
import { ROOT } from '../helpers-cli.ts';

const exec = promisify(execFile);

describe('a rubric that requires OS isolation, on a machine without it', () => {
  it('holds every automatic check of a pair with a module back, and exits 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hw2-require-iso-'));
    const rubric = JSON.parse(await readFile(join(ROOT, 'reference/rubric.json'), 'utf8'));
    rubric.limits = { sandbox: { ...DEFAULT_SANDBOX_LIMITS, requireOsIsolation: true } };
    await writeFile(join(dir, 'rubric.json'), JSON.stringify(rubric));
    const out = join(dir, 'out');
    const run = await exec(process.execPath, [join(ROOT, 'bin/hw2.mjs'), 'grade', join(ROOT, 'solutions/typescript-pair'), '--out', out, '--no-pdf', '--rubric', join(dir, 'rubric.json')],
      { cwd: ROOT, env: { ...process.env, HW2_ISOLATION: 'none' }, maxBuffer: 64 << 20 }).then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => e);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/hw2: not graded yet: the grading machine lacked something: Not graded yet: .*bubblewrap/);
    const r: SubmissionResult = JSON.parse(await readFile(join(out, 'typescript-pair', 'result.json'), 'utf8'));
    const auto = r.checks.filter((c) => c.kind === 'auto');
    expect(auto.every((c) => c.status === 'error' && c.cause === 'environment')).toBe(true);
    expect(r.score).toBe(0);
    expect(r.heldBack).toBe(auto.reduce((a, c) => a + c.points, 0));
  }, 120_000);
});
