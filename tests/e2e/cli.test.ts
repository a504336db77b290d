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
import { REGISTRY } from '../../checks/index.ts';

/**
 * Only the Task 2 examples carry trained models (they are the large files); every other
 * example leaves Task 2 out, so its four automatic Task 2 checks score 0 as not submitted.
 */
const WITH_TASK3 = new Set(['correct', 'pytorch-onnx-pair']);
const WITH_TASK2 = new Set(['correct', 'pytorch-onnx-pair', 'flawed-task2-accuracy-between-85-and-89', 'flawed-task2-accuracy-below-85', 'flawed-task2-claim-lies-about-accuracy', 'flawed-task2-reinit-same-file']);
/**
 * The first CNN (trained on the synthetic set, or untrained) and its history, but no augmented
 * CNN: graded like WITH_TASK3 except that Task 3.5 is not submitted.
 */
const WITH_CNN = new Set(['flawed-task3-accuracy-model-saved-before-training', 'flawed-task3-params-no-biases-dims-one-label-noise-wrong-a']);

/**
 * check id → points it must keep (score); checks not named must keep all their points (or, in
 * Tasks 2–3 where the example leaves them out, say "Not submitted"). `statuses` and `messages`
 * pin what a check shows where it cannot grade (a TA's, without SVHN).
 */
interface Expectation {
  scores?: Record<string, number>; diagnoses?: Record<string, RegExp>; statuses?: Record<string, string>; messages?: Record<string, RegExp>;
  allAutoZero?: RegExp; onlyPassing?: string[];
}
const EXPECTED: Record<string, Expectation> = {
  correct: {},
  // Q5's constraints and Task 1's inits come from solution.ts, run in the sandbox; Q4 from its answers export.
  'typescript-pair': {},
  // 1 of 10 weight gradients wrong: 5 · 9/10.
  'flawed-q2-sign-error-w3': { scores: { 'q2.gradients': 4.5 }, diagnoses: { 'q2.gradients': /Sign error in w3/ } },
  // q2.forward judges h1, h2, o1, o2, E at 1/5 each, at the 6 digits written. Without b1: h1 off by
  // 8.5e-3, h2 by 3.2e-3, o1 by 8.7e-4, o2 by 1.1e-3 (hundreds of units of the 6th digit: all wrong);
  // E = 0.591704 is not 0.593245 but is ½·Σ(t−o)² of its own outputs (half of E's share): 4 · 0.5/5 = 0.4.
  // Gradients and update follow from its own values.
  'flawed-q2-forward-without-hidden-bias': { scores: { 'q2.forward': 0.4 }, diagnoses: { 'q2.forward': /bias b1/ } },
  // h1, h2, o1, o2 right, E = Σ(t−o)² wrong (not ½·Σ of its outputs): 4 · 4/5 = 3.2.
  'flawed-q2-mse-without-half': { scores: { 'q2.forward': 3.2 }, diagnoses: { 'q2.forward': /without the ½/ } },
  // a and b swapped, c right: 1 of 3 points.
  'flawed-q3-types-swapped': { scores: { 'q3.types': 1 }, diagnoses: { 'q3.types': /wrong plots/ } },
  'flawed-q4-variance-for-sigma': { scores: { 'q4.sigma': 0 }, diagnoses: { 'q4.sigma': /variance/ } },
  'flawed-q5-constraints-swapped': { scores: { 'q5.reversal': 0 }, diagnoses: { 'q5.reversal': /swapped/ } },
  // Q6's table weighs 26 outputs · 1 + 11 counts (8 CONV, 3 FC) · 1 + 15 zeros (INPUT, ReLU, POOL2,
  // SOFTMAX) · 0.25 = 40.75 (rubric q6.cellWeights). 11 counts wrong by their biases (≤ 4,096 each, far
  // below 1% of the total): 5 · 29.75/40.75 = 3.65; the total follows from its own table.
  'flawed-q6-vgg-without-biases': { scores: { 'q6.table': 3.65 }, diagnoses: { 'q6.table': /Biases not counted/ } },
  // one POOL2 output cell wrong (the FC row after it follows from it): 5 · 39.75/40.75 = 4.877, shown 4.88.
  'flawed-q6-fc-input-without-last-pool': { scores: { 'q6.table': 4.88 }, diagnoses: { 'q6.table': /POOL2 halves/ } },
  // The rule checks still judge the files: no notebook (0 of 3), no forbidden type (1).
  'broken-hw2-json-not-json': { allAutoZero: /hw2\.json is not valid JSON: .* at line \d+, column \d+/ },
  'half-empty': { onlyPassing: ['q2.forward', 'rules.fileTypes', 'rules.pdfName'] },
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
  // Issue 14: one example for each automatic check that had none.
  // SGD step taken as w + α·g with the right gradients: every one of the 10 weights moves the wrong
  // way (the smallest step, α·|g_w2| = 4.0e-6, is 4 units of the 6th digit written, 0.200004 against
  // 0.199996): 5 · 0/10.
  'flawed-q2-update-step-along-gradient': { scores: { 'q2.update': 0 }, diagnoses: { 'q2.update': /^Moved along the gradient \(w \+ α·g\) instead of against it in w1, w2, w3, w4, w5, w6, w7, w8, w9, w10$/ } },
  // Plot c's critical point read a decade off the log axis (1,000; the key is 5,000–20,000): 3 · 2/3.
  'flawed-q3-critical-sample-wise-decade-off': { scores: { 'q3.critical': 2 } },
  'flawed-q4-expectation-second-moment-of-z': { scores: { 'q4.expectation': 0 }, diagnoses: { 'q4.expectation': /E\[z²\] = 1 is the second moment of z/ } },
  // Both invariances named and one more (sign-flip holds for tanh, not LeakyReLU): each extra costs one, 2 · (2 − 1)/2.
  'flawed-q5-invariances-sign-flip-named': { scores: { 'q5.invariances': 1 } },
  // Bases tied j ↔ 3 − j (C–A, T–G) instead of (j + 2) mod 4: not invariant to the complement, nor to
  // reversal (so not "swapped"): 0 of 2, no diagnosis.
  'flawed-q5-complement-bases-paired-in-reverse': { scores: { 'q5.complement': 0 }, messages: { 'q5.complement': /answers\.q5\.complement is not invariant/ } },
  'flawed-q5-scale-effect-depends-on-c': { scores: { 'q5.scaleEffect': 0 } },
  // The table is right and its sum is 132,863,336; the total 128,766,336 leaves out FC-1000's
  // 4,096,000 + 1,000 parameters, so no carried-forward credit: 0 of 2.
  'flawed-q6-total-without-fc1000': { scores: { 'q6.total': 0 }, diagnoses: { 'q6.total': /leaves out FC-1000/ } },
  // FC share without FC-1000: (102,764,544 + 16,781,312) / 132,863,336 = 89.98%, not 93.06% (nor
  // what the pair's own, correct table gives): 0 of 1.
  'flawed-q6-fc-share-without-fc1000': { scores: { 'q6.fcShare': 0 } },
  // 511.7 is the mean square (≈ N = 512): within 3% of 512, not of sqrt(512).
  'flawed-task1-products-variance-for-std': { scores: { 'task1.products': 0 }, diagnoses: { 'task1.products': /Printed the variance/ } },
  // 1/N: std 0 (float32 underflow) is outside [0.2, 5].
  'flawed-task1-scaled-by-1-over-n': { scores: { 'task1.scaled': 0 } },
  // Xavier without tanh keeps the std near 1: outside [0.02, 0.19].
  'flawed-task1-xavier-tanh-without-tanh': { scores: { 'task1.xavierTanh': 0 } },
  // Xavier with ReLU's std 3.2e-16 is below 1e-6.
  'flawed-task1-kaiming-relu-ran-xavier': { scores: { 'task1.kaimingRelu': 0 }, diagnoses: { 'task1.kaimingRelu': /The std vanished: that is what Xavier does with ReLU/ } },
  // correct's MLP (89.78%, full marks) under both paths.
  'flawed-task2-reinit-same-file': { scores: { 'task2.reinit': 0 }, diagnoses: { 'task2.reinit': /Both models are the same file/ } },
  // No model or history, only the description: the batch size is 1 of the 5 items (architecture,
  // optimizer, learning rate, epochs, batch size): 1 · 4/5.
  'flawed-task2-description-no-batch-size': { scores: { 'task2.description': 0.8 }, messages: { 'task2.description': /^Missing: batch size\.$/ } },
  // Only the history: a running sum of the epochs' losses rises from 0.603 to 6.25, so the curve is
  // present but not decreasing: 2 · 1/2.
  'flawed-task2-curves-running-loss-not-reset': { scores: { 'task2.curves': 1 }, diagnoses: { 'task2.curves': /running sum of the loss that is never reset/ } },
  // Without SVHN the accuracy is a TA's whatever it is; what shows is the synthetic measurement of
  // an untrained 10-class CNN, near chance (10%), so under 20%. With SVHN: below 86%, 0 of 5.
  'flawed-task3-accuracy-model-saved-before-training': { statuses: { 'task3.accuracy': 'manual' }, messages: { 'task3.accuracy': /^SVHN is not on this machine, so the accuracy \(1?\d\.\d\d%\) was measured on 5,000 synthetic/ } },
  // One CNN, three printed values wrong, each read by its own check (none depends on the weights):
  // 136,874 − (16 + 32 + 64 + 10) = 136,752 parameters printed: 0 of 2, with an integrity warning;
  // output written [1] against the model's 10 classes: 0 of 1; noise printed for a = 0.001, not
  // 0.005: without SVHN the check goes to a TA before it reads the claims (with SVHN: at most 2 of 3),
  // and its evidence marks a = 0.005 missing (see below).
  'flawed-task3-params-no-biases-dims-one-label-noise-wrong-a': {
    scores: { 'task3.params': 0, 'task3.dims': 0 }, statuses: { 'task3.noise': 'manual' },
    messages: {
      'task3.params': /^136,752 printed; the model file has 136,874 trainable parameters\.$/,
      'task3.dims': /^Written \[32, 32, 3\] → \[1\]; the model has \[32, 32, 3\] → \[10\]\.$/,
      'task3.noise': /^SVHN is not on this machine, so the accuracy under noise/,
    },
  },
  // Described, accuracy printed, no augmented CNN: the description's third, 3 · 1/3.
  'flawed-task3-augmentation-model-not-submitted': { scores: { 'task3.augmentation': 1 }, messages: { 'task3.augmentation': /^The augmentation is described \(a third of the points\); the augmented model is not submitted/ } },
  // Only the history: stuck near ln 10 ≈ 2.30 and rising (2.24 → 2.31): 1 · 1/2.
  'flawed-task3-curves-stuck-at-chance': { scores: { 'task3.curves': 0.5 }, diagnoses: { 'task3.curves': /training loss does not fall/ } },
  'flawed-rules-filename-copy-of-prefix': { scores: { 'rules.fileName': 0 }, diagnoses: { 'rules.fileName': /not named by the course's pattern/ } },
  // 'answers (1).pdf' beside the notebook: the PDF rule's 0.5 points lost, nothing else.
  'flawed-rules-pdfname-print-default-name': { scores: { 'rules.pdfName': 0 }, diagnoses: { 'rules.pdfName': /not named by the course's pattern/ } },
  'flawed-rules-filetypes-py-export-left': { scores: { 'rules.fileTypes': 0 }, messages: { 'rules.fileTypes': /ee046211_hw2_123456782_234567891\.py/ } },
  // Issue 15: one example per class. Class 1: gradients all 0 (not an attempt: 0 of 10) and the initial
  // weights copied as "updated": w1, w7–w10 not updated; w2–w6 are their initial values at 4 digits (the
  // steps 4e-6 to 9.9e-5 are within a unit of 1e-4), so judged with their gradients, which are 0: 0 of 10.
  'flawed-q2-zero-gradients-copied-weights': {
    scores: { 'q2.gradients': 0, 'q2.update': 0 },
    diagnoses: { 'q2.gradients': /not an attempt \(all 0\)/, 'q2.update': /Not updated in w1, w7, w8, w9, w10/ },
  },
  // Class 2: xavier_init(16, 8) saved, 128 values: below the size at which a normal-drawn sample
  // (the nearest named mistake) passes with probability ≤ 1e-6: 0 of 2.
  'flawed-task1-xavier-sample-too-small': { scores: { 'task1.xavierInit': 0 }, diagnoses: { 'task1.xavierInit': /^Too small to test: at least \d+ values$/ } },
  // Class 3: δh through the updated w7–w10: w1–w6 0.13–0.25% off, hundreds of units of the 6th digit
  // (w7–w10 right): 5 · 4/10. The update follows from those gradients, and at 6 digits the weights
  // w − α·g differ from the reference by under a unit (α·Δg ≤ 1.1e-7): full.
  'flawed-q2-hidden-gradients-with-updated-weights': { scores: { 'q2.gradients': 2 }, diagnoses: { 'q2.gradients': /already updated.* in w1, w2, w3, w4, w5, w6$/ } },
  // Every hand number at 4 significant digits, σ = 1.4142/sqrt(d), sqrt(N) = 22.63: as `correct`.
  'correct-rounded-4-digits': {},
  // Class 4: correct Xavier and Kaiming samples stored as float16: as `correct`.
  'correct-float16-samples': {},
  // Class 5: no SOFTMAX row: its output (1) and its 0 (0.25) of 40.75: 5 · 39.5/40.75 = 4.847, shown 4.85.
  'flawed-q6-table-without-softmax-row': { scores: { 'q6.table': 4.85 }, diagnoses: { 'q6.table': /^The SOFTMAX row is missing/ } },
  // The first FC's fan-in taken as 512: 2,101,248 parameters, 100,663,296 short (≥ 1% of the total), so
  // the cell weighs 10 instead of 1: 5 · 30.75/40.75 = 3.773, shown 3.77. Total and share are its own
  // table's (carried forward).
  'flawed-q6-fc-fan-in-channels-only': { scores: { 'q6.table': 3.77 }, diagnoses: { 'q6.table': /your count implies 512/ } },
  // Class 6: reversal parameters with every weight of a unit equal: invariant, over-constrained, 2 · 0.5.
  'flawed-q5-over-constrained': { scores: { 'q5.reversal': 1 }, diagnoses: { 'q5.reversal': /^Over-constrained: every weight of a unit equal$/ } },
};

describe('hw2 grade over solutions/', () => {
  let out: string;
  let run: Awaited<ReturnType<typeof hw2>>;
  const results = new Map<string, SubmissionResult>();

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'hw2-e2e-'));
    run = await hw2(['grade', 'solutions', '--out', out, '--no-pdf']); // PDFs: tests/report/pdf.test.ts
    for (const e of await readdir(out, { withFileTypes: true })) if (e.isDirectory()) results.set(e.name, JSON.parse(await readFile(join(out, e.name, 'result.json'), 'utf8')));
  }, 300_000); // 51 examples, 4 of them with CNNs: about a minute on 2 free cores, more on a shared machine


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

  it('shows the noise level the pair left out (a = 0.005) as missing, and flags the parameter count', () => {
    const id = 'flawed-task3-params-no-biases-dims-one-label-noise-wrong-a';
    const noise = results.get(id)!.checks.find((c) => c.id === 'task3.noise')!;
    expect(noise.evidence).toMatchObject({ type: 'table', columns: ['a', 'yours', 'measured'] });
    const rows = (noise.evidence as { rows: { cells: unknown[]; verdicts: unknown[] }[] }).rows;
    expect(rows.map((r) => [r.cells[0], r.cells[1], r.verdicts[1]])).toEqual([[0.05, 0.9871, null], [0.01, 0.9913, null], [0.005, null, 'missing']]);
    expect(results.get(id)!.integrity).toEqual([{ what: 'task3 parameter count', claimed: 136_752, measured: 136_874 }]);
  });

  it.each(Object.entries(EXPECTED))('%s loses exactly where its flaw is', (id, exp) => {
    const result = results.get(id)!;
    expect(result.maxScore).toBe(100);
    for (const c of result.checks.filter((c) => c.kind === 'auto')) {
      if (exp.allAutoZero) {
        if (c.question === 'rules') {
          // No forbidden type and no PDF: those two rules keep their points (hw2.json plays no part in them).
          expect(c.score, c.id).toBe(c.id === 'rules.fileTypes' || c.id === 'rules.pdfName' ? c.points : 0);
          continue;
        }
        expect(c).toMatchObject({ status: 'error', score: 0 });
        expect(c.message).toMatch(exp.allAutoZero);
      } else if (exp.onlyPassing) {
        if (c.question === 'task2' || c.question === 'task3') continue;
        expect(c.score, c.id).toBe(exp.onlyPassing.includes(c.id) ? c.points : 0);
      } else if (exp.statuses?.[c.id] || exp.scores?.[c.id] !== undefined) {
        // The check the example is about, wherever it is (Task 2 or 3 parts included).
        if (exp.statuses?.[c.id]) expect(c.status, c.id).toBe(exp.statuses[c.id]);
        if (exp.scores?.[c.id] !== undefined) expect(c.score, c.id).toBe(exp.scores[c.id]);
        if (exp.diagnoses?.[c.id]) expect(diagnosisText(c), c.id).toMatch(exp.diagnoses[c.id]!);
        if (exp.messages?.[c.id]) expect(c.message, c.id).toMatch(exp.messages[c.id]!);
      } else if (c.question === 'task3' && (WITH_TASK3.has(id) || WITH_CNN.has(id))) {
        // Their CNNs were trained on the synthetic set; without SVHN here, the data-dependent checks go to a TA.
        if (c.id === 'task3.augmentation' && WITH_CNN.has(id)) expect(c, c.id).toMatchObject({ score: 0, message: expect.stringMatching(/^Not submitted/) });
        else expect(c.status, c.id).toBe({ 'task3.params': 'pass', 'task3.dims': 'pass', 'task3.curves': 'pass' }[c.id] ?? 'manual');
      } else if (c.question === 'task3' || (!WITH_TASK2.has(id) && c.question === 'task2')) {
        // Only the examples above carry CNNs: Task 3 is not submitted in the others (nor Task 2 outside WITH_TASK2).
        expect(c, c.id).toMatchObject({ score: 0, message: expect.stringMatching(/^Not submitted/) });
      } else {
        expect(c.score, c.id).toBe(c.points);
        if (exp.diagnoses?.[c.id]) expect(diagnosisText(c), c.id).toMatch(exp.diagnoses[c.id]!);
        if (exp.messages?.[c.id]) expect(c.message, c.id).toMatch(exp.messages[c.id]!);
      }
    }
    for (const c of result.checks.filter((c) => c.kind === 'manual')) expect(c).toMatchObject({ status: 'manual', score: 0 });
  });

  it('has a flawed example for every automatic check of the registry', () => {
    // A check is covered when some example's entry pins what it must score or show.
    const covered = new Set(Object.values(EXPECTED).flatMap((e) => [...Object.keys(e.scores ?? {}), ...Object.keys(e.statuses ?? {})]));
    expect(REGISTRY.filter((c) => c.kind === 'auto').map((c) => c.id).filter((id) => !covered.has(id))).toEqual([]);
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
