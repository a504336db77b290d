/**
 * A course's night before grades: Moodle's download graded in parallel, killed midway and
 * resumed, split into shards and merged, and TA points merged in without regrading.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'node-html-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SubmissionResult } from '../../src/core/vocabulary.ts';
import { hw2, ROOT } from '../helpers-cli.ts';
import { moodleBatch } from '../moodle.ts';

async function results(out: string): Promise<Map<string, SubmissionResult>> {
  const map = new Map<string, SubmissionResult>();
  for (const e of await readdir(out, { withFileTypes: true })) {
    if (e.isDirectory() && existsSync(join(out, e.name, 'result.json'))) map.set(e.name, JSON.parse(await readFile(join(out, e.name, 'result.json'), 'utf8')));
  }
  return map;
}

/** What must not change between runs: each check's status and score. */
const essence = (r: SubmissionResult) => ({ id: r.submission.id, score: r.score, checks: r.checks.map((c) => [c.id, c.status, c.score]) });

describe('a Moodle download', () => {
  let dir: string;
  let zip: string;
  const batch = moodleBatch();
  let full: Map<string, SubmissionResult>;
  let fullRun: Awaited<ReturnType<typeof hw2>>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hw2-moodle-'));
    zip = join(dir, 'HW2-Download all submissions.zip');
    await writeFile(zip, batch.zip);
    fullRun = await hw2(['grade', zip, '--out', join(dir, 'full'), '--jobs', '2', '--no-pdf']);
    full = await results(join(dir, 'full'));
  }, 240_000);

  it('finds every pair, grades a pair that both partners uploaded once, and says so', () => {
    expect(fullRun.code).toBe(0);
    expect([...full.keys()].sort()).toEqual(batch.ids);
    const twice = full.get(batch.origin.correct!)!;
    expect(twice.problems.join(' ')).toMatch(/submitted twice, by (Student|Partner) correct_\d+_assignsubmission_file_ and by (Student|Partner) correct_\d+_assignsubmission_file_/);
    // the correct pair, with new ids in hw2.json and in its notebook's name, still gets every automatic point
    expect(twice.score).toBe(70);
  });

  it('resumes after being killed midway and ends with the same results as an uninterrupted run', async () => {
    const out = join(dir, 'killed');
    const child = spawn(process.execPath, [join(ROOT, 'bin/hw2.mjs'), 'grade', zip, '--out', out, '--jobs', '2', '--no-pdf', '--quiet'], { cwd: ROOT, stdio: 'ignore', detached: true });
    // Kill once a few submissions are done (result.json is written last and atomically).
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 100));
      if (existsSync(out) && (await results(out)).size >= 4) break;
    }
    process.kill(-child.pid!, 'SIGKILL');
    const before = (await results(out)).size;
    expect(before).toBeGreaterThanOrEqual(4);
    expect(before).toBeLessThan(batch.ids.length);
    const resumed = await hw2(['grade', zip, '--out', out, '--jobs', '2', '--no-pdf']);
    expect(resumed.code).toBe(0);
    const reused = Number(/(\d+) unchanged since the last run were reused/.exec(resumed.stdout)?.[1]);
    expect(reused).toBeGreaterThanOrEqual(before);
    const after = await results(out);
    expect([...after.keys()].sort()).toEqual(batch.ids);
    for (const [id, r] of after) expect(essence(r)).toEqual(essence(full.get(id)!));
  }, 240_000);
});

describe('shards and merge', () => {
  it('three shards merged give the same grade sheets as one run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hw2-shards-'));
    const single = await hw2(['grade', 'solutions', '--out', join(dir, 'single'), '--no-pdf', '--quiet']);
    expect(single.code).toBe(0);
    const counts: number[] = [];
    for (const i of [1, 2, 3]) {
      const r = await hw2(['grade', 'solutions', '--out', join(dir, `shard${i}`), '--shard', `${i}/3`, '--no-pdf', '--quiet']);
      expect(r.code).toBe(0);
      counts.push((await results(join(dir, `shard${i}`))).size);
    }
    expect(counts.reduce((a, b) => a + b, 0)).toBe((await results(join(dir, 'single'))).size);
    expect(counts.every((c) => c > 0)).toBe(true);
    const merged = await hw2(['merge', join(dir, 'shard1'), join(dir, 'shard2'), join(dir, 'shard3'), '--out', join(dir, 'merged')]);
    expect(merged.code).toBe(0);
    for (const sheet of ['grades.csv', 'scores.csv']) {
      expect(await readFile(join(dir, 'merged', sheet), 'utf8')).toBe(await readFile(join(dir, 'single', sheet), 'utf8'));
    }
    const twice = await hw2(['merge', join(dir, 'shard1'), join(dir, 'shard1'), '--out', join(dir, 'bad')]);
    expect(twice).toMatchObject({ code: 2, stderr: expect.stringMatching(/is in two shards/) });
  }, 240_000);
});

describe('TA points', () => {
  it('merge into the results without regrading, and a bad row names its line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hw2-manual-'));
    const out = join(dir, 'out');
    // two pairs with ids of their own: grades.csv grades no id that two submissions claim
    await hw2(['grade', 'solutions/correct', 'solutions/typescript-pair', '--out', out, '--no-pdf', '--quiet']);
    const csv = join(dir, 'manual.csv');
    await writeFile(csv, 'submission,check,points,comment\ncorrect,q1.proof,5,"clear, but skips E[xx^T] = I"\ncorrect,task2.display,2,\n');
    const run = await hw2(['grade', 'solutions/correct', 'solutions/typescript-pair', '--out', out, '--no-pdf', '--manual', csv]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/2 unchanged since the last run were reused/);
    const r = (await results(out)).get('correct')!;
    expect(r.score).toBe(70 + 5 + 2);
    expect(r.pendingManual).toBe(30 - 6 - 2);
    expect(r.checks.find((c) => c.id === 'q1.proof')!.ta).toEqual({ points: 5, comment: 'clear, but skips E[xx^T] = I' });
    const report = parse(await readFile(join(out, 'correct', 'report.html'), 'utf8'));
    expect(report.querySelector('#check-q1\\.proof .ta')!.text).toBe('5 / 6 — clear, but skips E[xx^T] = I');
    expect(await readFile(join(out, 'grades.csv'), 'utf8')).toMatch(/^123456782,Noa Levi,77,100,/m);

    await writeFile(csv, 'submission,check,points,comment\nnobody,q1.proof,1,\ncorrect,q2.forward,1,\ncorrect,q1.proof,9,\n');
    const bad = await hw2(['grade', 'solutions/correct', 'solutions/typescript-pair', '--out', out, '--no-pdf', '--manual', csv]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${csv} line 2: unknown submission "nobody"`);
  }, 120_000);
});
