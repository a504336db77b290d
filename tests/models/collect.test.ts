/**
 * Model evaluation spends its own submission's budget (rubric limits.models), never more: a
 * model that does not finish in what is left is the submission's failure, and the models after
 * it are not measured, each saying why. The budget here (1 ms) is far below what one
 * measurement of 10,000 images takes, so the outcome does not depend on the machine's speed.
 */
import { describe, expect, it } from 'vitest';
import { loadSubmission } from '../../src/contract/load.ts';
import { collectModels } from '../../src/models/collect.ts';
import { DEFAULT_MODEL_LIMITS } from '../../src/models/limits.ts';

const CORRECT = new URL('../../solutions/correct', import.meta.url).pathname;

describe('the models\' evaluation budget', () => {
  it('belongs to the submission: a model out of time is its failure, the rest are not measured', async () => {
    const sub = await loadSubmission(CORRECT);
    const models = await collectModels(sub, { ...DEFAULT_MODEL_LIMITS, submissionTimeoutMs: 1 }, 211, [0.05]);
    const budget = 'not measured: the submission\'s models used up their 0.001 s of evaluation time (rubric limits.models)';
    expect(models['task2.model']).toEqual({ ok: false, message: `models/mlp/model.json: ${budget}` });
    for (const [key, path] of [['task2.reinitModel', 'models/mlp-he/model.json'], ['task3.model', 'models/cnn/model.json'], ['task3.augmentedModel', 'models/cnn-aug/model.json']]) {
      expect(models[key!], key).toEqual({ ok: false, message: `${path}: ${budget}` });
    }
  }, 60_000);
});
