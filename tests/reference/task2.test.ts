/**
 * Task 2's reference (reference/task2.ts): the baseline's parameter count by formula, held to
 * a hand calculation and to TensorFlow.js's own count of the model `buildMlp` builds; the
 * published baseline held to its card; the thresholds to the rubric and the check's rule; the
 * items table to the registry.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECK_IDS, REGISTRY } from '../../checks/index.ts';
import { referenceAnswer, REFERENCE_TOPICS } from '../../reference/index.ts';
import {
  accuracyCredit, countLayer, countLayers, describeLayers, HOMEWORK_THRESHOLDS, ITEMS, LayerError, MLP_DEFAULTS, MLP_INPUT, MLP_PUBLISHED, mlpLayers,
  referenceTask2,
} from '../../reference/task2.ts';
import { countTrainable } from '../../src/models/tfjs-io.ts';
import { tensorflow } from '../../src/tf/runtime.ts';
import { buildMlp, MLP_DEFAULTS as TRAIN_MLP_DEFAULTS } from '../../src/train/mlp.ts';
import { RUBRIC } from '../helpers.ts';

const card = (path: string) => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'));

describe('Task 2 reference: the baseline MLP counted by formula', () => {
  it('counts the published MLP 784 → 256 → 128 → 10 as by hand: 784·256+256 + 256·128+128 + 128·10+10 = 235,146', () => {
    // 200,960 + 32,896 + 1,290 = 235,146; the dropout layers have none
    const byHand = 784 * 256 + 256 + (256 * 128 + 128) + (128 * 10 + 10);
    expect(byHand).toBe(235_146);
    const counted = countLayers(MLP_INPUT, mlpLayers(MLP_PUBLISHED.hyperparameters));
    expect(counted.total).toBe(byHand);
    expect(counted.rows.map((r) => r.params)).toEqual([200_960, 0, 32_896, 0, 1_290]);
    expect(counted.rows[0]!.formula).toBe('784·256 + 256');
    expect(counted.output).toEqual([10]);
  });

  it('counts the defaults of hw2 train mlp, 784 → 512 → 256 → 10, as by hand: 784·512+512 + 512·256+256 + 256·10+10 = 535,818', () => {
    // 401,920 + 131,328 + 2,570 = 535,818
    expect(countLayers(MLP_INPUT, mlpLayers(MLP_DEFAULTS)).total).toBe(784 * 512 + 512 + (512 * 256 + 256) + (256 * 10 + 10));
    expect(countLayers(MLP_INPUT, mlpLayers(MLP_DEFAULTS)).total).toBe(535_818);
  });

  it('agrees with TensorFlow.js\'s own count of the model buildMlp builds, layer by layer (defaults, the published flags, no dropout, three hidden layers)', async () => {
    await tensorflow('cpu');
    const variants = [MLP_DEFAULTS, MLP_PUBLISHED.hyperparameters, { ...MLP_DEFAULTS, hidden: [64], dropout: 0 }, { ...MLP_DEFAULTS, hidden: [300, 100, 50], dropout: 0.3 }];
    for (const h of variants) {
      const model = buildMlp(h);
      const counted = countLayers(MLP_INPUT, mlpLayers(h));
      expect(countTrainable(model)).toBe(counted.total);
      expect(model.countParams()).toBe(counted.total);
      expect(model.layers.map((l) => l.countParams())).toEqual(counted.rows.map((r) => r.params));
      expect(model.layers.map((l) => (l.outputShape as number[]).slice(1))).toEqual(counted.rows.map((r) => r.output));
      model.dispose();
    }
  });

  it('is the single source of the train module\'s defaults', () => {
    expect(TRAIN_MLP_DEFAULTS).toBe(MLP_DEFAULTS);
  });

  it('refuses a dense layer on an image that was not flattened', () => {
    expect(() => countLayer({ kind: 'dense', units: 10, activation: 'softmax' }, [28, 28, 1])).toThrow(LayerError);
  });
});

describe('Task 2 reference: the published baseline is what its cards say', () => {
  it('the MLP: architecture, parameters, hyper-parameters and accuracy', () => {
    const c = card(MLP_PUBLISHED.card);
    expect(c.architecture).toBe(`MLP ${describeLayers(MLP_INPUT, mlpLayers(MLP_PUBLISHED.hyperparameters))}`);
    expect(c.params).toBe(MLP_PUBLISHED.paramsOnCard);
    expect(c.testAccuracy).toBe(MLP_PUBLISHED.testAccuracy);
    const h = MLP_PUBLISHED.hyperparameters;
    expect(c.hyperparameters).toMatchObject({ learningRate: h.learningRate, epochs: h.epochs, batchSize: h.batchSize, init: h.init, validationFraction: h.validationFraction, seed: h.seed });
    expect(c.preprocessing).toEqual({ scale: 1 / 255, layout: 'flat', inputShape: MLP_INPUT });
  });

  it('the re-initialized MLP of item 3', () => {
    const c = card(MLP_PUBLISHED.reinit.card);
    expect(c.params).toBe(MLP_PUBLISHED.reinit.paramsOnCard);
    expect(c.testAccuracy).toBe(MLP_PUBLISHED.reinit.testAccuracy);
    expect(c.hyperparameters).toMatchObject({ init: MLP_PUBLISHED.reinit.init, epochs: MLP_PUBLISHED.reinit.epochs });
  });
});

describe('Task 2 reference: thresholds', () => {
  it('are the rubric\'s, which are hw2.md\'s 85% and 89%', async () => {
    const answer = await referenceAnswer('task2', RUBRIC) as ReturnType<typeof referenceTask2>;
    expect(answer.thresholds).toMatchObject({ pass: RUBRIC.task2.pass, full: RUBRIC.task2.full, passCredit: RUBRIC.task2.passCredit, claimTolerance: RUBRIC.task2.claimTolerance, rubricDiffersFromHomework: false });
    expect({ pass: RUBRIC.task2.pass, full: RUBRIC.task2.full }).toEqual(HOMEWORK_THRESHOLDS);
    expect(answer.protocol.claims.claimTolerance).toBe(RUBRIC.task2.claimTolerance);
  });

  it('follow the rubric when a TA changes it', async () => {
    const rubric = { ...RUBRIC, task2: { ...RUBRIC.task2, pass: 0.8, full: 0.9, claimTolerance: 0.01 } };
    const answer = await referenceAnswer('task2', rubric) as ReturnType<typeof referenceTask2>;
    expect(answer.thresholds).toMatchObject({ pass: 0.8, full: 0.9, claimTolerance: 0.01, rubricDiffersFromHomework: true });
    expect(answer.thresholds.examples).toContainEqual({ accuracy: 0.85, credit: 0.75 });
  });

  it('give 0 below 85%, half at 85%, rising linearly to full at 89% (by hand: 87% → 0.75)', () => {
    const rule = { pass: 0.85, full: 0.89, passCredit: 0.5 };
    expect(accuracyCredit(0.8499, rule)).toBe(0);
    expect(accuracyCredit(0.85, rule)).toBe(0.5);
    expect(accuracyCredit(0.87, rule)).toBeCloseTo(0.75, 12);
    expect(accuracyCredit(0.89, rule)).toBe(1);
    expect(accuracyCredit(0.9, rule)).toBe(1);
  });
});

describe('Task 2 reference: items → checks', () => {
  const task2Auto = REGISTRY.filter((c) => c.question === 'task2' && c.kind === 'auto').map((c) => c.id);

  it('names only checks of the registry, each a Task 2 check', () => {
    const named = ITEMS.flatMap((i) => i.checks);
    for (const id of named) expect(CHECK_IDS).toContain(id);
    for (const id of named) expect(REGISTRY.find((c) => c.id === id)!.question).toBe('task2');
    expect(ITEMS.map((i) => i.item)).toEqual([1, 2, 3]);
  });

  it('covers every automatic Task 2 check, and every Task 2 check at all', () => {
    const named = new Set(ITEMS.flatMap((i) => i.checks));
    expect(task2Auto.length).toBeGreaterThan(0);
    for (const id of task2Auto) expect(named).toContain(id);
    for (const c of REGISTRY.filter((x) => x.question === 'task2')) expect(named).toContain(c.id);
  });

  it('is a topic of hw2 reference, with each check\'s points from the rubric', async () => {
    expect(REFERENCE_TOPICS).toContain('task2');
    const answer = await referenceAnswer('task2', RUBRIC) as ReturnType<typeof referenceTask2>;
    expect(answer.items.find((i) => i.item === 2)!.checkPoints).toEqual({
      'task2.accuracy': RUBRIC.checks['task2.accuracy']!.points, 'task2.description': RUBRIC.checks['task2.description']!.points, 'task2.curves': RUBRIC.checks['task2.curves']!.points,
    });
    expect(answer.baseline.published.params).toBe(235_146);
    expect(answer.baseline.defaults.params).toBe(535_818);
    // JSON-able: the same after a round trip
    expect(JSON.parse(JSON.stringify(answer))).toEqual(answer);
  });
});
