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
