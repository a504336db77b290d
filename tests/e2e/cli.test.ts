/**
 * End to end: the real CLI in a child process over the bundled example submissions. Each
 * folder's name says its flaw; the table below says, from reasoning about that flaw alone,
 * which checks must lose points and what the diagnosis must name.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { diagnosisText, type SubmissionResult } from '../../src/core/vocabulary.ts';

import { hw2, ROOT } from '../helpers-cli.ts';

/**
 * Only the Task 2 examples carry trained models (they are the large files); every other
 * example leaves Task 2 out, so its four automatic Task 2 checks score 0 as not submitted.
 */
const WITH_TASK3 = new Set(['correct', 'pytorch-onnx-pair']);
const WITH_TASK2 = new Set(['correct', 'pytorch-onnx-pair', 'flawed-task2-accuracy-between-85-and-89', 'flawed-task2-accuracy-below-85', 'flawed-task2-claim-lies-about-accuracy']);

/** check id → points it must keep (score); checks not named must keep all their points. */
interface Expectation { scores?: Record<string, number>; diagnoses?: Record<string, RegExp>; allAutoZero?: RegExp; onlyPassing?: string[] }
const EXPECTED: Record<string, Expectation> = {
  correct: {},
  // Q5's constraints and Task 1's inits come from solution.ts, run in the sandbox; Q4 from its answers export.
  'typescript-pair': {},
  // 1 of 10 weight gradients wrong: 5 · 9/10.
  'flawed-q2-sign-error-w3': { scores: { 'q2.gradients': 4.5 }, diagnoses: { 'q2.gradients': /Sign error in w3/ } },
  // E follows from its own wrong outputs: half of q2.forward; gradients and update follow from its own values.
  'flawed-q2-forward-without-hidden-bias': { scores: { 'q2.forward': 2 }, diagnoses: { 'q2.forward': /bias b1/ } },
  'flawed-q2-mse-without-half': { scores: { 'q2.forward': 0 }, diagnoses: { 'q2.forward': /without the ½/ } },
  // a and b swapped, c right: 1 of 3 points.
  'flawed-q3-types-swapped': { scores: { 'q3.types': 1 }, diagnoses: { 'q3.types': /wrong plots/ } },
  'flawed-q4-variance-for-sigma': { scores: { 'q4.sigma': 0 }, diagnoses: { 'q4.sigma': /variance/ } },
  'flawed-q5-constraints-swapped': { scores: { 'q5.reversal': 0 }, diagnoses: { 'q5.reversal': /swapped/ } },
  // 8 conv + 3 FC parameter cells wrong of 52: 5 · 41/52 = 3.94; the total follows from its own table.
  'flawed-q6-vgg-without-biases': { scores: { 'q6.table': 3.94 }, diagnoses: { 'q6.table': /Biases not counted/ } },
  // one POOL2 output cell wrong of 52 (the FC row after it follows from it): 5 · 51/52 = 4.9.
  'flawed-q6-fc-input-without-last-pool': { scores: { 'q6.table': 4.9 }, diagnoses: { 'q6.table': /POOL2 halves/ } },
  // The rule checks still judge the files: no notebook (0 of 3), no forbidden type (1).
  'broken-hw2-json-not-json': { allAutoZero: /hw2\.json is not valid JSON: .* at line \d+, column \d+/ },
  'half-empty': { onlyPassing: ['q2.forward', 'rules.fileTypes'] },
  'flawed-notebook-not-run': { scores: { 'rules.executed': 0 }, diagnoses: { 'rules.executed': /saved without running/ } },
  // PyTorch-style: Task 2's and Task 3's models as ONNX files exported by torch.onnx.export
  // (the CNNs take NCHW input and the pair writes [3, 32, 32]), graded like the TF.js ones.
  'pytorch-onnx-pair': {},
  // 85.90% measured: 6 · (0.5 + 0.5 · 0.90/4) = 3.675, shown as 3.68.
  'flawed-task2-accuracy-between-85-and-89': { scores: { 'task2.accuracy': 3.68 } },
  'flawed-task2-accuracy-below-85': { scores: { 'task2.accuracy': 0 } },
  // The claim is flagged, with both numbers, but costs nothing: the measurement is what is graded.
  'flawed-task2-claim-lies-about-accuracy': { diagnoses: { 'task2.accuracy': /Integrity: the claimed accuracy 93\.00% differs from the measured 89\.78%/ } },
  'flawed-task1-nan-layer-off-by-far': { scores: { 'task1.nanLayer': 0 }, diagnoses: { 'task1.nanLayer': /wrong tensor|loop broke/ } },
  'flawed-task1-no-tanh-in-item4': { scores: { 'task1.tanh': 0 }, diagnoses: { 'task1.tanh': /was tanh applied/ } },
  'flawed-task1-xavier-from-normal': { scores: { 'task1.xavierInit': 0 }, diagnoses: { 'task1.xavierInit': /Xavier from a normal/ } },
  'flawed-task1-kaiming-fan-out': { scores: { 'task1.kaimingInit': 0 }, diagnoses: { 'task1.kaimingInit': /fan_out instead of fan_in/ } },
  'flawed-task1-kaiming-variance-as-std': { scores: { 'task1.kaimingInit': 0 }, diagnoses: { 'task1.kaimingInit': /Variance used as the standard deviation/ } },
};

describe('hw2 grade over solutions/', () => {
  let out: string;
  let run: Awaited<ReturnType<typeof hw2>>;
  const results = new Map<string, SubmissionResult>();

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'hw2-e2e-'));
    run = await hw2(['grade', 'solutions', '--out', out, '--no-pdf']); // PDFs: tests/report/browser.test.ts
    for (const e of await readdir(out, { withFileTypes: true })) if (e.isDirectory()) results.set(e.name, JSON.parse(await readFile(join(out, e.name, 'result.json'), 'utf8')));
  });

  it('writes the batch outputs: summary, Moodle and plain grade sheets, JUnit', async () => {
    for (const f of ['summary.html', 'grades.csv', 'scores.csv', 'junit.xml']) expect(existsSync(join(out, f)), f).toBe(true);
    for (const f of ['report.html', 'gradescope-results.json']) expect(existsSync(join(out, 'correct', f)), f).toBe(true);
  });

  it('exits 0 and writes one result.json per example folder', async () => {
    // Every example but typescript-pair names the same two students: grades.csv grades neither
    // and says so, as it would for a course where 20 submissions claimed one student.
    const claimants = (await readdir(join(ROOT, 'solutions'))).filter((f) => !f.startsWith('_') && f !== 'typescript-pair' && f !== 'broken-hw2-json-not-json').length;
    expect(run.stderr.trim().split('\n').map((l) => l.replace(/ \(.*\)/, ''))).toEqual(['123456782', '234567891'].map((id) =>
      `hw2: grades.csv has no grade for student ${id}: ${claimants} submissions name that id in hw2.json; a TA must decide`));
    expect(run.code).toBe(0);
    const folders = (await readdir(join(ROOT, 'solutions'))).filter((f) => !f.startsWith('_') && !f.startsWith('.'));
    expect([...results.keys()].sort()).toEqual(folders.sort());
    expect(Object.keys(EXPECTED).sort()).toEqual(folders.sort());
  });

  it('flags the lying claim in result.json with both numbers', () => {
    expect(results.get('flawed-task2-claim-lies-about-accuracy')!.integrity).toEqual([{ what: 'task2 test accuracy', claimed: 0.93, measured: 0.8978 }]);
    expect(results.get('correct')!.integrity).toBeUndefined();
  });

  it.each(Object.entries(EXPECTED))('%s loses exactly where its flaw is', (id, exp) => {
    const result = results.get(id)!;
    expect(result.maxScore).toBe(100);
    for (const c of result.checks.filter((c) => c.kind === 'auto')) {
      if (exp.allAutoZero) {
        if (c.question === 'rules') {
          expect(c.score, c.id).toBe(c.id === 'rules.fileTypes' ? 1 : 0);
          continue;
        }
        expect(c).toMatchObject({ status: 'error', score: 0 });
        expect(c.message).toMatch(exp.allAutoZero);
      } else if (exp.onlyPassing) {
        if (c.question === 'task2' || c.question === 'task3') continue;
        expect(c.score, c.id).toBe(exp.onlyPassing.includes(c.id) ? c.points : 0);
      } else if (c.question === 'task3' && WITH_TASK3.has(id)) {
        // Their CNNs were trained on the synthetic set; without SVHN here, the data-dependent checks go to a TA.
        expect(c.status, c.id).toBe({ 'task3.params': 'pass', 'task3.dims': 'pass', 'task3.curves': 'pass' }[c.id] ?? 'manual');
      } else if (c.question === 'task3' || (!WITH_TASK2.has(id) && c.question === 'task2')) {
        // Only `correct` and the PyTorch-style pair carry CNNs: Task 3 is not submitted in the other examples.
        expect(c, c.id).toMatchObject({ score: 0, message: expect.stringMatching(/^Not submitted/) });
      } else {
        expect(c.score, c.id).toBe(exp.scores?.[c.id] ?? c.points);
        if (exp.diagnoses?.[c.id]) expect(diagnosisText(c), c.id).toMatch(exp.diagnoses[c.id]!);
      }
    }
    for (const c of result.checks.filter((c) => c.kind === 'manual')) expect(c).toMatchObject({ status: 'manual', score: 0 });
  });

  it('prints a table with each submission\'s score', () => {
    expect(run.stdout).toMatch(/^correct: 70 \/ 100 \(30 points wait for a TA\)$/m);
    expect(run.stdout).toMatch(/diagnosis: Sign error in w3/);
  });
});

describe('hw2 check (student mode)', () => {
  it('shows public checks in full and leaks nothing of hidden ones, in output or files', async () => {
    const out = await mkdtemp(join(tmpdir(), 'hw2-check-'));
    const run = await hw2(['check', 'solutions/flawed-q3-types-swapped', '--out', out]);
    expect(run.code).toBe(0);
    const file = await readFile(join(out, 'flawed-q3-types-swapped', 'result.json'), 'utf8');
    const report = await readFile(join(out, 'flawed-q3-types-swapped', 'report.html'), 'utf8');
    for (const text of [run.stdout, file, report.replace(/graded later/g, 'HIDE')]) {
      // q3.types is hidden: neither the key's answer for plot a nor the diagnosis may appear.
      expect(text).not.toMatch(/so model-wise/);
      expect(text).not.toMatch(/wrong plots/);
      expect(text).toMatch(/HIDE|"status": "hidden"/);
      expect(text).not.toContain('epoch-wise'); // the key of plot b, shown only in grading mode
    }
    expect(JSON.parse(file).checks.find((c: { id: string }) => c.id === 'q4.sigma').status).toBe('pass');
  });
});

describe('hw2 usage', () => {
  it('exits 2 with a message for an unknown command, a missing folder and a bad rubric', async () => {
    expect(await hw2(['frobnicate'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown command "frobnicate"/) });
    expect(await hw2(['grade', 'no/such/dir'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/no\/such\/dir: not a folder/) });
    expect(await hw2(['grade', 'solutions', '--rubric', 'package.json'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^hw2: package\.json: /) });
  });

  it('says in one line why training cannot start, and exits 1 (no wasm source dump)', async () => {
    // SVHN is absent here and in CI, so there is no extra split to add; the data folder is empty on purpose
    const r = await hw2(['train', 'cnn', '--extra', '10', '--data-dir', '/nonexistent']);
    expect(r).toMatchObject({ code: 1, stderr: expect.stringMatching(/^hw2: SVHN extra not found: looked for extra_32x32\.mat in \/nonexistent\/svhn.*; run hw2 data fetch svhn extra \(needs internet\) or copy it from http:\/\/ufldl\.stanford\.edu\/housenumbers\/ into one of them\n$/) });
    expect(await hw2(['data', 'fetch', 'svhn', 'bogus'])).toMatchObject({ code: 2, stderr: 'hw2: hw2 data fetch svhn: expected train, test or extra, got "bogus"\n' });
  }, 60_000);

  it('prints the JSON Schema and the reference answers', async () => {
    const schema = JSON.parse((await hw2(['schema'])).stdout);
    expect(schema.$schema).toMatch(/2020-12/);
    const q6 = JSON.parse((await hw2(['reference', 'q6'])).stdout);
    expect(q6.total).toBe(132_863_336);
    const q2 = JSON.parse((await hw2(['reference', 'q2'])).stdout);
    expect(q2.forward.E).toBeCloseTo(0.5932, 4);
  });
});
