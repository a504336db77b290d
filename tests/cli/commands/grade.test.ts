/**
 * `hw2 grade --reporter`: the files written are those of the reporters named, and result.json
 * always; an unknown name stops the run before anything is graded, listing the known names.
 * The real CLI in a child process, on one example submission.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hw2 } from '../../helpers-cli.ts';

describe('hw2 grade --reporter', () => {
  it('json,scores writes result.json and scores.csv, and no other file', async () => {
    const out = await mkdtemp(join(tmpdir(), 'hw2-reporter-'));
    const run = await hw2(['grade', 'solutions/half-empty', '--out', out, '--reporter', 'json,scores', '--quiet']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['half-empty', 'scores.csv']);
    expect(await readdir(join(out, 'half-empty'))).toEqual(['result.json']);
  }, 120_000);

  it('an unknown name exits 2, lists the known reporters, and grades nothing', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'hw2-reporter-')), 'out');
    const run = await hw2(['grade', 'solutions/half-empty', '--out', out, '--reporter', 'json,xml']);
    expect(run.code).toBe(2);
    const known = /^hw2: --reporter: unknown reporter "xml" \(known: (.*)\)\n$/.exec(run.stderr)?.[1]?.split(', ').sort();
    // The eight files of README's "Outputs" (html, pdf, json, gradescope, moodle, scores, junit,
    // summary) and the github reporter of "CI on a course repository".
    expect(known).toEqual(['github', 'gradescope', 'html', 'json', 'junit', 'moodle', 'pdf', 'scores', 'summary']);
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});

describe('hw2 grade interrupted', () => {
  it('Ctrl-C while a CNN is measured exits 130 and leaves no temporary folder (the noise field is 320 MB)', async () => {
    const { spawn } = await import('node:child_process');
    const { ROOT } = await import('../../helpers-cli.ts');
    // The CLI's own temporary folder: os.tmpdir() follows TMPDIR.
    const tmp = await mkdtemp(join(tmpdir(), 'hw2-interrupt-'));
    const out = join(tmp, 'out');
    const child = spawn(process.execPath, [join(ROOT, 'bin/hw2.mjs'), 'grade', 'solutions/correct', '--out', out, '--reporter', 'json', '--quiet'],
      { cwd: ROOT, env: { ...process.env, TMPDIR: tmp }, stdio: 'ignore' });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const noiseFile = async () => {
      for (const entry of await readdir(tmp, { recursive: true })) if (String(entry).includes('noise-')) return true;
      return false;
    };
    // Wait until the run's noise field exists: the evaluator is at work.
    for (let i = 0; i < 600 && !(await noiseFile()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await noiseFile()).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    // tsx's own compile cache is not ours.
    const left = (await readdir(tmp)).filter((e) => e !== 'out' && !e.startsWith('tsx-'));
    expect(left).toEqual([]);
  }, 120_000);
});
