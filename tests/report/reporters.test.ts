/**
 * Reporters are picked by name and isolated from each other: each writes its own file, and one
 * that throws costs only its file, named in a fault, while the others still write theirs.
 * Real files in a temporary folder; the results are written by hand.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckResult, SubmissionResult } from '../../src/core/vocabulary.ts';
import { REPORTER_NAMES, REPORTERS, Reporters, reportersOf, type Reporter, type ReporterName } from '../../src/report/reporters.ts';
import { RESULT_VERSION } from '../../src/core/result-schema.ts';

const row = (id: string, points: number, extra: Partial<CheckResult> = {}): CheckResult => ({
  id, question: id.split('.')[0] as CheckResult['question'], title: id, kind: 'auto', visibility: 'public', status: 'pass', score: points, points, message: 'm', ...extra,
});

/** A graded pair: q2.forward 4 of 4, q6.table 2.5 of 5, so 6.5 of 9. */
function result(id: string, studentId: string): SubmissionResult {
  return {
    contract: 1, resultVersion: RESULT_VERSION, harness: { name: 'hw2-harness', version: '0.1.0' }, mode: 'grade',
    submission: { id, path: `/s/${id}`, hash: 'h', group: { ids: [studentId] } },
    score: 6.5, maxScore: 9, pendingManual: 0, heldBack: 0, incomplete: [], problems: [],
    checks: [row('q2.forward', 4), row('q6.table', 5, { status: 'partial', score: 2.5 })],
  };
}

const context = { jobs: 1, allowIncomplete: false, warn: () => {} };

let root: string | undefined;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = undefined;
});

async function folders(): Promise<{ out: string; dir: string }> {
  root = await mkdtemp(join(tmpdir(), 'hw2-reporters-'));
  const dir = join(root, 'pair');
  await mkdir(dir);
  return { out: root, dir };
}

describe('the reporters by name', () => {
  it('are the nine files a run writes, each named once', () => {
    // From the README's list of outputs, not from the module.
    const expected: Record<string, string> = {
      html: 'report.html', pdf: 'report.pdf', json: 'result.json', gradescope: 'gradescope-results.json',
      moodle: 'grades.csv', scores: 'scores.csv', junit: 'junit.xml', summary: 'summary.html',
      github: '$GITHUB_STEP_SUMMARY',
    };
    expect(Object.fromEntries(REPORTER_NAMES.map((n) => [n, REPORTERS[n].file]))).toEqual(expected);
    expect(reportersOf(REPORTER_NAMES, 'run').sort()).toEqual(['junit', 'moodle', 'scores', 'summary']);
    expect(reportersOf(REPORTER_NAMES, 'submission').sort()).toEqual(['github', 'gradescope', 'html', 'json', 'pdf']);
  });

  it('write only the files of the reporters picked (result.json is the engine\'s, not theirs)', async () => {
    const { out, dir } = await folders();
    const picked: ReporterName[] = ['json', 'scores', 'html'];
    const reporters = await Reporters.create(picked, context);
    const r = result('pair', '123456782');
    await reporters.submission(r, dir);
    await reporters.run([r], out);
    await reporters.close();
    expect(reporters.faults).toEqual([]);
    expect(await readdir(dir)).toEqual(['report.html']);
    expect((await readdir(out)).sort()).toEqual(['pair', 'scores.csv']);
    // scores.csv: one row for the pair: Q2 4, Q6 2.5, every other question 0; 6.5 of 9.
    const [header, ...rows] = (await readFile(join(out, 'scores.csv'), 'utf8')).trim().split(/\r?\n/).map((l) => l.split(','));
    expect(rows).toHaveLength(1);
    const cell = Object.fromEntries(header!.map((h, i) => [h, rows[0]![i]]));
    expect(cell).toMatchObject({ submission: 'pair', ids: '123456782', q2: '4', q6: '2.5', q1: '0', score: '6.5', pending_manual: '0', held_back: '0', max: '9' });
  });

  it('write every file of today\'s run when all are picked, and tell the CLI what grades.csv left out', async () => {
    const { out, dir } = await folders();
    const reporters = await Reporters.create(REPORTER_NAMES.filter((n) => n !== 'pdf'), context);
    // Two pairs that name the same student: grades.csv gives that student no grade.
    const results = [result('pair', '123456782'), result('other', '123456782')];
    await reporters.submission(results[0]!, dir);
    const notes = await reporters.run(results, out);
    expect(reporters.faults).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual(['gradescope-results.json', 'report.html']);
    expect((await readdir(out)).sort()).toEqual(['grades.csv', 'junit.xml', 'pair', 'scores.csv', 'summary.html']);
    expect(notes).toEqual({ refusedGrades: [], idConflicts: [{ id: '123456782', submissions: ['pair', 'other'] }] });
  });
});

describe('a reporter that throws', () => {
  it('costs only its own file, per submission and per run, and is named in the faults', async () => {
    const { out, dir } = await folders();
    // A folder where a file should go: the rename that writes report.html and grades.csv fails.
    await mkdir(join(dir, 'report.html'));
    await mkdir(join(out, 'grades.csv'));
    const reporters = await Reporters.create(REPORTER_NAMES.filter((n) => n !== 'pdf'), context);
    const r = result('pair', '123456782');
    await reporters.submission(r, dir);
    await reporters.run([r], out);
    expect(reporters.faults).toHaveLength(2);
    expect(reporters.faults[0]).toMatch(/^pair report\.html: /);
    expect(reporters.faults[1]).toMatch(/^grades\.csv: /);
    expect(existsSync(join(dir, 'gradescope-results.json'))).toBe(true);
    for (const f of ['summary.html', 'scores.csv', 'junit.xml']) expect(existsSync(join(out, f)), f).toBe(true);
  });

  it('in any hook stops no other reporter, and nothing throws out of the set', async () => {
    const { out, dir } = await folders();
    const calls: string[] = [];
    const broken: Reporter = {
      submission: async () => { throw new Error('no ink'); },
      run: async () => { throw new Error('no paper'); },
      close: async () => { throw new Error('stuck'); },
    };
    const counting: Reporter = {
      submission: async (res) => { calls.push(`submission ${res.submission.id}`); },
      run: async (all) => { calls.push(`run ${all.length}`); },
      close: async () => { calls.push('close'); },
    };
    const reporters = new Reporters([{ file: 'broken.txt', reporter: broken }, { file: 'counting.txt', reporter: counting }]);
    await reporters.submission(result('a', '1'), dir);
    await reporters.submission(result('b', '2'), dir);
    await reporters.run([result('a', '1'), result('b', '2')], out);
    await reporters.close();
    expect(calls).toEqual(['submission a', 'submission b', 'run 2', 'close']);
    expect(reporters.faults).toEqual(['a broken.txt: no ink', 'b broken.txt: no ink', 'broken.txt: no paper', 'broken.txt: stuck']);
  });
});
