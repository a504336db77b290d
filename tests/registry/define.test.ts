/** The registry is well formed, and registryProblems says what is wrong with one that is not. */
import { describe, expect, it } from 'vitest';
import { REGISTRY } from '../../checks/index.ts';
import { QUESTIONS } from '../../src/core/vocabulary.ts';
import { defineCheck, neededInputs, registryProblems, type AnyCheck } from '../../src/registry/define.ts';

const check = (over: Partial<AnyCheck>): AnyCheck =>
  defineCheck({ id: 'q2.x', question: 'q2', title: 't', kind: 'auto', points: 1, visibility: 'public', needs: [], run: () => ({ kind: 'notSubmitted', message: '' }), ...over } as AnyCheck);

describe('the registry', () => {
  it('has no problems: ids unique and named for their question, probes only with the module', () => {
    expect(registryProblems(REGISTRY)).toEqual([]);
  });

  it('grades every question of the homework (hw2.md: Q1–Q6, Tasks 1–3, the submission rules)', () => {
    expect(new Set(REGISTRY.map((c) => c.question))).toEqual(new Set(QUESTIONS));
  });
});

describe('registryProblems', () => {
  it('names a repeated id, an id outside its question, probes without the module, an unknown need, negative points', () => {
    expect(registryProblems([check({}), check({})])).toEqual(['q2.x: defined twice']);
    expect(registryProblems([check({ id: 'q3.x' })])).toEqual(['q3.x: the id must start with its question, "q2."']);
    expect(registryProblems([check({ probes: () => [] })])).toEqual(['q2.x: has probes but does not declare needs: [\'solution\']']);
    expect(registryProblems([check({ needs: ['network' as never] })])).toEqual(['q2.x: unknown need "network" (known: solution, arrays, files, notebook, models, histories)']);
    expect(registryProblems([check({ points: -1 })])).toEqual(['q2.x: points must be a number ≥ 0, got -1']);
  });
});

describe('neededInputs', () => {
  it('is the union of what the given checks declare', () => {
    expect(neededInputs([check({ needs: ['models'] }), check({ needs: ['files', 'models'] })])).toEqual(new Set(['models', 'files']));
    expect(neededInputs([])).toEqual(new Set());
  });
});
