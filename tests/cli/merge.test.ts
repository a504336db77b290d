/**
 * `hw2 merge` writes the same sheets as a single run, held-back points included, and keeps
 * an incomplete submission's grade out of grades.csv unless told otherwise. Real folders and
 * files; the results are written by hand, as shard runs would have left them.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { mergeCommand } from '../../src/cli/commands/merge.ts';
import type { CheckResult } from '../../src/core/vocabulary.ts';
import { RESULT_VERSION } from '../../src/core/result-schema.ts';

const row = (id: string, points: number, extra: Partial<CheckResult>): CheckResult => ({
  id, question: id.split('.')[0] as CheckResult['question'], title: id, kind: 'auto', visibility: 'public', status: 'pass', score: points, points, message: 'm', ...extra,
});

/**
 * A result.json as a shard leaves it; `stale` gives it totals that disagree with its checks
 * (as a hand edit would), which merge must recompute rather than believe.
 */
function resultJson(id: string, ids: string[], checks: CheckResult[], totals: { score: number; heldBack: number; incomplete: string[] }, stale = false) {
  return {
    contract: 1, resultVersion: RESULT_VERSION, harness: { name: 'hw2-harness', version: '0.1.0' }, mode: 'grade',
    submission: { id, path: `/s/${id}`, hash: 'h', group: { ids } },
    score: stale ? 10 : totals.score, maxScore: checks.reduce((a, c) => a + c.points, 0), pendingManual: 0,
    heldBack: stale ? 0 : totals.heldBack, incomplete: stale ? [] : totals.incomplete,
    problems: [], checks,
  };
}

let root: string | undefined;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = undefined;
});

async function shards(): Promise<string[]> {
  root = await mkdtemp(join(tmpdir(), 'hw2-merge-'));
  const complete = resultJson('complete', ['123456782'], [row('q2.forward', 4, {}), row('q6.table', 5, { status: 'partial', score: 2.5 })], { score: 6.5, heldBack: 0, incomplete: [] });
  // Its totals say 10 points and nothing held back; its checks say 4 scored and 6 held back.
  const machine = resultJson('machine', ['234567891', '345678916'], [
    row('q2.forward', 4, {}),
    row('task2.accuracy', 6, { status: 'error', score: 0, cause: 'environment', message: 'FashionMNIST is not on this machine' }),
  ], { score: 4, heldBack: 6, incomplete: ['task2.accuracy: FashionMNIST is not on this machine'] }, true);
  const dirs = [join(root, 'shard-1'), join(root, 'shard-2')];
  for (const [dir, result] of [[dirs[0]!, complete], [dirs[1]!, machine]] as const) {
    await mkdir(join(dir, result.submission.id), { recursive: true });
    await writeFile(join(dir, result.submission.id, 'result.json'), JSON.stringify(result));
  }
  return dirs;
}

const sheet = async (file: string) => parse(await readFile(file, 'utf8'), { columns: true }) as Record<string, string>[];

describe('hw2 merge', () => {
  it('leaves the Grade of an incomplete submission empty and writes its held-back points', async () => {
    const dirs = await shards();
    const out = join(root!, 'merged');
    expect(await mergeCommand(dirs, out)).toBe(0);
    const grades = await sheet(join(out, 'grades.csv'));
    // complete: 4 + 2.5; machine: 4 scored, task2.accuracy's 6 held back, so no grade yet.
    expect(grades.map((r) => [r['Identifier'], r['Grade']])).toEqual([['123456782', '6.5'], ['234567891', ''], ['345678916', '']]);
    expect(grades[1]!['Feedback comments']).toContain('No grade yet: 6 points could not be graded because the grading machine lacked something (task2.accuracy: FashionMNIST is not on this machine)');
    const scores = await sheet(join(out, 'scores.csv'));
    expect(scores.map((r) => [r['submission'], r['score'], r['held_back']])).toEqual([['complete', '6.5', '0'], ['machine', '4', '6']]);
    expect(await readFile(join(out, 'summary.html'), 'utf8')).toContain('data-incomplete="machine"');
  });

  it('writes the partial score with --allow-incomplete', async () => {
    const dirs = await shards();
    const out = join(root!, 'merged');
    expect(await mergeCommand(dirs, out, { allowIncomplete: true })).toBe(0);
    const grades = await sheet(join(out, 'grades.csv'));
    expect(grades.map((r) => r['Grade'])).toEqual(['6.5', '4', '4']);
    expect(grades[1]!['Feedback comments']).toMatch(/^Score 4 of 10\. 6 points not graded yet: the grading machine lacked something/);
  });

  it('refuses a result.json of another shape, naming the file and the field', async () => {
    root = await mkdtemp(join(tmpdir(), 'hw2-merge-'));
    const dir = join(root, 'shard');
    const old = { ...resultJson('old', ['123456782'], [row('q2.forward', 4, {})], { score: 4, heldBack: 0, incomplete: [] }) } as Record<string, unknown>;
    delete old['resultVersion'];
    await mkdir(join(dir, 'old'), { recursive: true });
    await writeFile(join(dir, 'old', 'result.json'), JSON.stringify(old));
    await expect(mergeCommand([dir], join(root, 'merged'))).rejects.toThrow(`${join(dir, 'old', 'result.json')}: resultVersion: expected ${RESULT_VERSION}, found none (an older harness wrote it); regrade with this harness`);
    const bad = { ...resultJson('bad', ['123456782'], [row('q2.forward', 4, { status: 'great' as never })], { score: 4, heldBack: 0, incomplete: [] }) };
    await mkdir(join(dir, 'bad'), { recursive: true });
    await rm(join(dir, 'old'), { recursive: true });
    await writeFile(join(dir, 'bad', 'result.json'), JSON.stringify(bad));
    await expect(mergeCommand([dir], join(root, 'merged'))).rejects.toThrow(/bad\/result\.json: checks\[0\]\.status: /);
  });

  it('refuses a result.json whose submission.id is not its folder\'s name (it names the folder merge copies)', async () => {
    root = await mkdtemp(join(tmpdir(), 'hw2-merge-'));
    const dir = join(root, 'shard');
    const climbing = resultJson('../../escape', ['123456782'], [row('q2.forward', 4, {})], { score: 4, heldBack: 0, incomplete: [] });
    await mkdir(join(dir, 'pair'), { recursive: true });
    await writeFile(join(dir, 'pair', 'result.json'), JSON.stringify(climbing));
    await expect(mergeCommand([dir], join(root, 'merged'))).rejects.toThrow(`${join(dir, 'pair', 'result.json')}: submission.id "../../escape" is not the name of its folder, "pair"`);
  });
});
