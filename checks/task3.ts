/**
 * Task 3 checks. The pair's CNN is re-measured on SVHN's test set where the files are on the
 * machine. Where they are not, a deterministic synthetic SVHN-like set stands in: what does
 * not depend on the data (parameters, dimensions) is still graded, and the accuracy,
 * noise and augmentation checks go to a TA with the synthetic measurements shown and labelled.
 */
import type { Evidence, IntegrityWarning, Outcome } from '../src/core/vocabulary.ts';
import { manual, notSubmitted } from '../src/core/outcomes.ts';
import { defineCheck, type CheckInput } from '../src/registry/define.ts';
import { percent } from '../src/util/numeric.ts';
import type { Evaluated } from '../src/models/evaluate.ts';
import { accuracyCredit } from '../reference/task2.ts';
import { claimCheck, curvesOutcome, integrityDiagnoses, notMeasured } from './task2.ts';

type Measured = Extract<Evaluated, { ok: true }>['result'];

/** The measured model, or the outcome that explains why there is none. */
function measured(input: CheckInput<'models'>, key: 'task3.model' | 'task3.augmentedModel', answer: string): Measured | Outcome {
  const ref = key === 'task3.model' ? input.answers.task3?.model : input.answers.task3?.augmentedModel;
  if (!ref) return notSubmitted(answer);
  const m = input.models[key];
  if (!m?.ok) return notMeasured(m);
  return m.result;
}
const isOutcome = (x: Measured | Outcome): x is Outcome => 'kind' in x;

/** On synthetic data a data-dependent check is a TA's, with the measurement shown. */
function onSynthetic(r: Measured, what: string, evidence?: Evidence): Outcome {
  return {
    kind: 'manual',
    message: `SVHN is not on this machine, so ${what} was measured on ${r.count.toLocaleString('en-US')} synthetic SVHN-like images (labelled synthetic): a TA confirms on real SVHN (hw2 grade --data-dir with train_32x32.mat/test_32x32.mat).`,
    ...(evidence ? { evidence } : {}),
  };
}

const accuracy = defineCheck({
  id: 'task3.accuracy',
  question: 'task3',
  title: 'Task 3.3 test accuracy of the CNN on SVHN (≥ 86% to pass, ≥ 90% for full marks), measured by the harness',
  kind: 'auto',
  points: 5,
  visibility: 'public',
  needs: ['models'],
  run(input) {
    const r = measured(input, 'task3.model', 'answers.task3.model');
    if (isOutcome(r)) return r;
    const rule = input.rubric.task3;
    const evidence: Evidence = { type: 'thresholds', label: `measured test accuracy${r.synthetic ? ' (synthetic SVHN)' : ''}`, value: r.accuracy, thresholds: [{ label: 'pass', value: rule.pass }, { label: 'full', value: rule.full }] };
    if (r.synthetic) return onSynthetic(r, `the accuracy (${percent(r.accuracy)})`, evidence);
    const claimed = input.answers.task3?.claimed?.testAccuracy;
    const warning = claimCheck('task3 test accuracy', claimed, r.accuracy, rule.claimTolerance);
    // The pair's claim is always shown beside the measurement, as a claim read in percent (99.28) is.
    const claimText = claimed === undefined ? ' Your notebook claims no accuracy (answers.task3.claimed.testAccuracy).'
      : ` Your notebook claims ${percent(claimed > 1 ? claimed / 100 : claimed)}${warning ? `, more than ${percent(rule.claimTolerance)} from the measurement` : ''}.`;
    return {
      kind: 'graded',
      fraction: accuracyCredit(r.accuracy, rule),
      message: `Measured ${percent(r.accuracy)} on the ${r.count.toLocaleString('en-US')} SVHN test images (${r.backend}).${claimText}`,
      diagnoses: integrityDiagnoses('task3', warning, rule.claimTolerance),
      expected: { pass: rule.pass, full: rule.full }, actual: { measured: r.accuracy, claimed: claimed ?? null },
      evidence, integrity: warning ? [warning] : undefined,
    };
  },
});

const params = defineCheck({
  id: 'task3.params',
  question: 'task3',
  title: 'Task 3.2 the printed number of parameters equals the model\'s',
  kind: 'auto',
  points: 2,
  visibility: 'public',
  needs: ['models'],
  run(input) {
    const r = measured(input, 'task3.model', 'answers.task3.model');
    if (isOutcome(r)) return r;
    const claimed = input.answers.task3?.claimed?.params;
    if (claimed === undefined) return notSubmitted('answers.task3.claimed.params');
    const base = { expected: r.params, actual: claimed };
    if (claimed === r.params) return { kind: 'graded', fraction: 1, message: `${r.params.toLocaleString('en-US')} parameters, as counted from the model file.`, ...base };
    const integrity: IntegrityWarning[] = [{ what: 'task3 parameter count', claimed, measured: r.params }];
    return { kind: 'graded', fraction: 0, message: `${claimed.toLocaleString('en-US')} printed; the model file has ${r.params.toLocaleString('en-US')} trainable parameters.`, integrity, ...base };
  },
});

const dims = defineCheck({
  id: 'task3.dims',
  question: 'task3',
  title: 'Task 3.2 input and output dimensions',
  kind: 'auto',
  points: 1,
  visibility: 'public',
  needs: ['models'],
  run(input) {
    const r = measured(input, 'task3.model', 'answers.task3.model');
    if (isOutcome(r)) return r;
    const t3 = input.answers.task3!;
    if (!t3.inputShape || !t3.outputShape) return notSubmitted('answers.task3.inputShape and outputShape');
    const strip = (shape: (number | null)[]) => shape.slice(1).map((d) => d ?? -1);
    const modelIn = strip(r.inputShape);
    const modelOut = strip(r.outputShape);
    const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
    // "32×32×3" names the same image as a PyTorch model's [3, 32, 32]: the homework asks for
    // the dimensions, not the tensor layout, so the input's sizes may come in any order.
    const sorted = (a: number[]) => [...a].sort((x, y) => x - y);
    const inputOk = same(t3.inputShape, modelIn) || same(sorted(t3.inputShape), sorted(modelIn));
    const ok = inputOk && same(t3.outputShape, modelOut) && modelOut.at(-1) === 10;
    const layoutNote = same(t3.inputShape, modelIn) ? '' : ` (the model takes it as [${modelIn.join(', ')}])`;
    return {
      kind: 'graded',
      fraction: ok ? 1 : 0,
      message: ok ? `Input [${t3.inputShape.join(', ')}]${layoutNote}, output [${modelOut.join(', ')}].` : `Written [${t3.inputShape.join(', ')}] → [${t3.outputShape.join(', ')}]; the model has [${modelIn.join(', ')}] → [${modelOut.join(', ')}]${modelOut.at(-1) === 10 ? '' : ' (SVHN has 10 classes)'}.`,
      expected: { input: modelIn, output: modelOut }, actual: { input: t3.inputShape, output: t3.outputShape },
    };
  },
});

const noise = defineCheck({
  id: 'task3.noise',
  question: 'task3',
  title: 'Task 3.4 accuracy with noise image + a·N(0,1), a = 0.05, 0.01, 0.005',
  kind: 'auto',
  points: 3,
  visibility: 'public',
  needs: ['models'],
  run(input) {
    const r = measured(input, 'task3.model', 'answers.task3.model');
    if (isOutcome(r)) return r;
    const claims = input.answers.task3?.claimed?.noise;
    const table: Evidence = {
      type: 'table', columns: ['a', 'yours', 'measured'],
      rows: r.noise.map((n) => {
        const c = claims?.find((x) => Math.abs(x.a - n.a) < 1e-12)?.accuracy;
        const ok = c !== undefined && !claimCheck('', c, n.accuracy, input.rubric.task3.claimTolerance);
        return { cells: [n.a, c ?? null, n.accuracy], verdicts: [null, c === undefined ? 'missing' : r.synthetic ? null : ok ? 'right' : 'wrong', null] };
      }),
    };
    if (r.synthetic) return onSynthetic(r, `the accuracy under noise (${r.noise.map((n) => `a = ${n.a}: ${percent(n.accuracy)}`).join(', ')})`, table);
    if (!claims?.length) return { ...notSubmitted('answers.task3.claimed.noise'), evidence: table };
    const integrity = r.noise.map((n) => claimCheck(`task3 accuracy with noise a = ${n.a}`, claims.find((x) => Math.abs(x.a - n.a) < 1e-12)?.accuracy, n.accuracy, input.rubric.task3.claimTolerance)).filter((w): w is IntegrityWarning => !!w);
    const right = table.rows.filter((row) => row.verdicts[1] === 'right').length;
    return {
      kind: 'graded',
      fraction: right / r.noise.length,
      message: `${right} of ${r.noise.length} printed accuracies agree with the measurement within ${percent(input.rubric.task3.claimTolerance)} (noise seeded with ${input.seed}, added to the image in [0, 1] before normalization).`,
      evidence: table, integrity: integrity.length ? integrity : undefined,
    };
  },
});

const augmentation = defineCheck({
  id: 'task3.augmentation',
  question: 'task3',
  title: 'Task 3.5 data augmentation: described, and its effect measured',
  kind: 'auto',
  points: 3,
  visibility: 'public',
  needs: ['models'],
  run(input): Outcome {
    const t3 = input.answers.task3;
    const described = !!t3?.augmentation?.trim();
    const aug = measured(input, 'task3.augmentedModel', 'answers.task3.augmentedModel');
    // Not submitted, but described: the description's third of the points.
    if (isOutcome(aug)) {
      return described && aug.kind === 'notSubmitted'
        ? { kind: 'graded', fraction: 1 / 3, message: 'The augmentation is described (a third of the points); the augmented model is not submitted (answers.task3.augmentedModel), so its effect is not measured.' }
        : aug;
    }
    const base = input.models['task3.model'];
    const change = base?.ok ? aug.accuracy - base.result.accuracy : undefined;
    const effect = change === undefined ? '' : ` (${change >= 0 ? '+' : ''}${(100 * change).toFixed(2)} points against the first CNN)`;
    if (aug.synthetic) return onSynthetic(aug, `the augmented CNN (${percent(aug.accuracy)}${effect})`);
    const warning = claimCheck('task3 accuracy with augmentation', t3?.claimed?.augmentedTestAccuracy, aug.accuracy, input.rubric.task3.claimTolerance);
    return {
      kind: 'graded',
      fraction: (described ? 1 / 3 : 0) + (warning || t3?.claimed?.augmentedTestAccuracy === undefined ? 0 : 2 / 3),
      message: `Measured ${percent(aug.accuracy)}${effect}.${described ? '' : ' The augmentation is not described.'}${warning ? ` Your notebook claims ${percent(warning.claimed)}.` : ''}`,
      integrity: warning ? [warning] : undefined,
    };
  },
});

const curves = defineCheck({
  id: 'task3.curves',
  question: 'task3',
  title: 'Task 3.3 loss curves: present and decreasing',
  kind: 'auto',
  points: 1,
  visibility: 'public',
  needs: ['histories'],
  run: (input) => curvesOutcome('task3', input, input.answers.task3?.history, 'answers.task3.history'),
});

const written = defineCheck({
  id: 'task3.written',
  question: 'task3',
  title: 'Task 3 written parts: five images shown, the architecture, hyper-parameters and tuning',
  kind: 'manual',
  points: 3,
  visibility: 'public',
  needs: [],
  run(input) {
    const t3 = input.answers.task3;
    const parts: [string, string | undefined][] = [['1. Images', t3?.display], ['2. Architecture', t3?.architecture], ['3. Tuning', t3?.tuning],
      ['Hyper-parameters', t3?.hyperparameters ? JSON.stringify(t3.hyperparameters) : undefined]];
    const text = parts.filter(([, t]) => t?.trim()).map(([h, t]) => `${h}: ${t}`).join('\n\n');
    return manual(text || undefined, 'answers.task3 written parts');
  },
});

export const task3Checks = [accuracy, params, dims, noise, augmentation, curves, written] as const;
