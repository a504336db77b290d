/**
 * A notebook handed in alone: no hw2.json beside it, but the answers output that
 * kit/python/hw2kit.py displays (`sub.save()`), as Jupyter saves it. `hw2 check <notebook>`
 * grades it from those answers, and the report says where they were read. The expectation is
 * the same answers handed in as hw2.json beside the same notebook: every check scores alike.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY } from '../../checks/index.ts';
import { gradePath } from '../../src/engine/pipeline.ts';
import { ANSWERS_MIME } from '../../src/intake/notebook.ts';
import type { SubmissionResult } from '../../src/core/vocabulary.ts';
import { hw2, ROOT } from '../helpers-cli.ts';
import { RUBRIC } from '../helpers.ts';

const ID = 'ee046211_hw2_123456782_234567891';
let work: string;
let alone: SubmissionResult;
let html: string;
let withFile: SubmissionResult;
let run: { code: number; stdout: string; stderr: string };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'hw2-notebook-alone-'));
  // The example pair's answers, less what lives in files a notebook alone cannot carry (samples, models).
  const doc = JSON.parse(await readFile(join(ROOT, 'solutions/correct/hw2.json'), 'utf8')) as { answers: Record<string, Record<string, unknown>> };
  delete doc.answers.task1!.samples;
  delete doc.answers.task2;
  delete doc.answers.task3;
  const notebook = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [
    { cell_type: 'markdown', metadata: {}, source: '## Q4\nSee the derivation.' },
    { cell_type: 'code', metadata: {}, execution_count: 1, source: 'import hw2kit', outputs: [] },
    { cell_type: 'code', metadata: {}, execution_count: 2, source: 'sub.save()', outputs: [
      { output_type: 'display_data', metadata: {}, data: { [ANSWERS_MIME]: doc, 'text/plain': 'hw2.json for 123456782, 234567891' } }] },
  ] });
  await writeFile(join(work, `${ID}.ipynb`), notebook);
  run = await hw2(['check', join(work, `${ID}.ipynb`), '--out', join(work, 'out'), '--reporter', 'json,html']);
  alone = JSON.parse(await readFile(join(work, 'out', ID, 'result.json'), 'utf8')) as SubmissionResult;
  html = await readFile(join(work, 'out', ID, 'report.html'), 'utf8');
  // The same answers as a file beside the same notebook.
  const folder = join(work, ID);
  await mkdir(folder);
  await writeFile(join(folder, `${ID}.ipynb`), notebook);
  await writeFile(join(folder, 'hw2.json'), JSON.stringify(doc));
  withFile = (await gradePath(folder, REGISTRY, RUBRIC, { mode: 'check', seed: 211 })).result;
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('a notebook handed in alone', () => {
  it('is graded from the answers the kit displayed in it, as the same answers in hw2.json are', () => {
    expect(run.code).toBe(0);
    const rows = (r: SubmissionResult) => r.checks.map((c) => ({ id: c.id, status: c.status, score: c.score }));
    expect(rows(alone)).toEqual(rows(withFile));
    const status = Object.fromEntries(alone.checks.map((c) => [c.id, c.status]));
    expect(status).toMatchObject({ 'q2.forward': 'pass', 'q2.gradients': 'pass', 'q6.table': 'pass', 'task1.nanLayer': 'pass', 'rules.fileName': 'pass', 'rules.executed': 'pass' });
    expect(alone.score).toBeGreaterThan(20);
  });

  it('says in the console and the report where the answers were read', () => {
    const said = `hw2.json is not in the submission: the answers were read from ${ID}.ipynb (the output of cell 3, ${ANSWERS_MIME}), where the kit displayed them`;
    expect(run.stdout).toContain(said);
    expect(html).toContain(said);
    expect(JSON.stringify(withFile)).not.toContain('the kit displayed them');
  });
});
