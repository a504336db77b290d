import { describe, expect, it } from 'vitest';
import { correctAnswers, RUBRIC, runCheck } from '../helpers.ts';

describe('Q3 checks', () => {
  it('grade each plot against the key and name a permutation', () => {
    const a = correctAnswers();
    a.q3!.a!.type = 'sample-wise';
    a.q3!.c!.type = 'model-wise';
    const out = runCheck('q3.types', a);
    expect(out.fraction).toBeCloseTo(1 / 3, 10);
    expect(out.diagnosis).toMatch(/wrong plots/);
  });

  it('accept a critical point inside the key\'s range and not outside it', () => {
    const a = correctAnswers();
    expect(runCheck('q3.critical', a).fraction).toBe(1);
    a.q3!.b!.criticalPoint = RUBRIC.q3.key!.b.critical.max + 1;
    expect(runCheck('q3.critical', a).fraction).toBeCloseTo(2 / 3, 10);
  });

  it('hold their points back, naming the field, under a rubric without the key (the student build\'s)', () => {
    const keyless = { ...RUBRIC, q3: {}, q5: { ...RUBRIC.q5, invariancesKey: undefined, scaleEffectKey: undefined } };
    for (const [id, field] of [['q3.types', 'q3.key'], ['q3.critical', 'q3.key'], ['q5.invariances', 'q5.invariancesKey'], ['q5.scaleEffect', 'q5.scaleEffectKey']] as const) {
      const out = runCheck(id, correctAnswers(), keyless);
      expect(out).toMatchObject({ kind: 'harnessError', cause: 'environment' });
      expect(out.message).toContain(`the rubric has no ${field}`);
    }
  });

  it('give nothing for one type written for all three plots (it is right for one whatever they show)', () => {
    const a = correctAnswers();
    for (const p of ['a', 'b', 'c'] as const) a.q3![p]!.type = 'epoch-wise';
    const out = runCheck('q3.types', a);
    expect(out.fraction).toBe(0);
    expect(out.codes).toEqual(['q3.types-one-for-all']);
    expect(out.message).toMatch(/^The same type, epoch-wise, for all three plots/);
  });
});
