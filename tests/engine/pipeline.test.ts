/**
 * The pipeline does only the I/O that enabled checks declare, and a check sees only the
 * inputs it declared. Model evaluation is counted through a wrapper around collectModels.
 */
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { REGISTRY } from '../../checks/index.ts';
import { gradePath } from '../../src/engine/pipeline.ts';
import { defineCheck } from '../../src/registry/define.ts';
import type { Rubric } from '../../src/rubric/rubric.ts';
import { ROOT } from '../helpers-cli.ts';
import { RUBRIC } from '../helpers.ts';

const evaluations = vi.hoisted(() => ({ models: 0, histories: 0 }));
vi.mock('../../src/models/collect.ts', async (original) => {
  const real = await original<typeof import('../../src/models/collect.ts')>();
  return {
    ...real,
    collectModels: (...args: Parameters<typeof real.collectModels>) => { evaluations.models++; return real.collectModels(...args); },
    collectHistories: (...args: Parameters<typeof real.collectHistories>) => { evaluations.histories++; return real.collectHistories(...args); },
  };
});

const CORRECT = join(ROOT, 'solutions/correct');

/** The default rubric with Tasks 2 and 3 given no points (the total lowered to match). */
function withoutTasks23(): Rubric {
  const checks = Object.fromEntries(Object.entries(RUBRIC.checks).map(([id, c]) => [id, /^task[23]\./.test(id) ? { ...c, points: 0 } : c]));
  const total = Object.values(checks).reduce((a, c) => a + c.points, 0);
  return { ...RUBRIC, checks, total };
}

describe('gradePath', () => {
  it('evaluates the models and reads the histories once when Task 2–3 checks are enabled (the wrapper counts)', async () => {
    evaluations.models = 0;
    evaluations.histories = 0;
    // One MLP (solutions/flawed-task2-accuracy-below-85): the lightest example with a model.
    await gradePath(join(ROOT, 'solutions/flawed-task2-accuracy-below-85'), REGISTRY, RUBRIC, { mode: 'grade', seed: 211 });
    expect(evaluations).toEqual({ models: 1, histories: 1 });
  }, 300_000);

  it('evaluates no model and reads no history when the rubric enables no check that needs them', async () => {
    evaluations.models = 0;
    evaluations.histories = 0;
    const { result } = await gradePath(CORRECT, REGISTRY, withoutTasks23(), { mode: 'grade', seed: 211 });
    expect(evaluations).toEqual({ models: 0, histories: 0 });
    // Tasks 2–3 are not graded at all: no row, nothing to read as a failure in a grade sheet.
    expect(result.checks.map((c) => c.id)).toEqual(REGISTRY.filter((c) => !/^task[23]\./.test(c.id)).map((c) => c.id));
    expect(result.maxScore).toBe(100 - REGISTRY.filter((c) => /^task[23]\./.test(c.id)).reduce((a, c) => a + c.points, 0));
    // Q1–Q6, Task 1 and the rules are graded as with the full rubric: correct keeps every automatic point.
    expect(result.checks.filter((c) => c.kind === 'auto' && c.points > 0).every((c) => c.status === 'pass')).toBe(true);
  }, 120_000);

  it('gives a check only the inputs it declared', async () => {
    const seen: Record<string, boolean> = {};
    const probe = (id: 'q1.a' | 'q1.b', needs: ('models' | 'files')[]) => defineCheck({
      id, question: 'q1', title: id, kind: 'auto', points: 1, visibility: 'public', needs,
      run: (input) => {
        const all = input as unknown as Record<string, unknown>;
        for (const key of ['models', 'files', 'solution', 'arrays', 'histories', 'notebook']) seen[`${id} ${key}`] = key in all;
        return { kind: 'graded', fraction: 1, message: '' };
      },
    });
    const registry = [probe('q1.a', []), probe('q1.b', ['files'])];
    const rubric: Rubric = { ...RUBRIC, checks: { 'q1.a': { points: 1, visibility: 'public' }, 'q1.b': { points: 1, visibility: 'public' } }, total: 2 };
    evaluations.models = 0;
    await gradePath(CORRECT, registry, rubric, { mode: 'grade', seed: 211 });
    expect(evaluations.models).toBe(0);
    expect(Object.entries(seen).filter(([, v]) => v).map(([k]) => k)).toEqual(['q1.b files']);
  }, 120_000);
});
