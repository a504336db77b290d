/**
 * A rubric overrides only what it names: each check's own entry (its definition in checks/)
 * stands otherwise, unknown ids are refused, and the points must add up to the total.
 */
import { describe, expect, it } from 'vitest';
import { REGISTRY, RUBRIC_DEFAULTS } from '../../checks/index.ts';
import { DEFAULT_RUBRIC_PATH, loadRubric, parseRubric } from '../../src/rubric/rubric.ts';
import { RUBRIC } from '../helpers.ts';

/** The default rubric's file as a TA would copy it, without the checks the parser filled in. */
const fileOf = () => {
  const { checks: _checks, ...rest } = structuredClone(RUBRIC);
  return rest as Record<string, unknown>;
};

describe('the default rubric', () => {
  it('gives every check its definition\'s points and visibility, adding up to 100', () => {
    const rubric = loadRubric(DEFAULT_RUBRIC_PATH, RUBRIC_DEFAULTS);
    for (const c of REGISTRY) expect(rubric.checks[c.id], c.id).toEqual({ points: c.points, visibility: c.visibility });
    // Summed here from the definitions, not from the rubric's own total.
    expect(REGISTRY.reduce((a, c) => a + c.points, 0)).toBe(100);
    expect(rubric.total).toBe(100);
  });
});

describe('a TA\'s rubric', () => {
  it('overrides only the fields it names', () => {
    const file = { ...fileOf(), checks: { 'q2.update': { visibility: 'public' }, 'q2.forward': { points: 3 }, 'q2.gradients': { points: 6 } } };
    const rubric = parseRubric(file, 'mine.json', RUBRIC_DEFAULTS);
    // q2.update keeps its 5 points and becomes public; 4 + 5 → 3 + 6 keeps the total at 100.
    expect(rubric.checks['q2.update']).toEqual({ points: 5, visibility: 'public' });
    expect(rubric.checks['q2.forward']).toEqual({ points: 3, visibility: 'public' });
    expect(rubric.checks['q2.gradients']).toEqual({ points: 6, visibility: 'public' });
    expect(rubric.checks['q6.table']).toEqual(RUBRIC_DEFAULTS['q6.table']);
  });

  it('names what is wrong: points that do not add up, an unknown check', () => {
    expect(() => parseRubric({ ...fileOf(), checks: { 'q2.forward': { points: 10 } } }, 'mine.json', RUBRIC_DEFAULTS))
      .toThrow('mine.json: checks: points add up to 106, but total is 100'); // 100 − 4 + 10
    expect(() => parseRubric({ ...fileOf(), checks: { 'q2.fwd': { points: 4 } } }, 'mine.json', RUBRIC_DEFAULTS))
      .toThrow(/mine\.json: checks: unknown check q2\.fwd/);
    expect(() => parseRubric({ ...fileOf(), checks: { 'q2.forward': { points: -1 } } }, 'mine.json', RUBRIC_DEFAULTS))
      .toThrow(/mine\.json: checks\.q2\.forward\.points/);
  });
});

describe('the precision and Q6 cell weights (issue 15)', () => {
  it('default to 4 significant digits, 1e-5 float slack, cells 1 / 1 / 0.25 and a large error of 1% weighing 10', () => {
    const { precision: _p, ...rest } = fileOf();
    const q6 = { ...(rest.q6 as Record<string, unknown>) };
    delete q6.cellWeights;
    delete q6.largeCountError;
    const rubric = parseRubric({ ...rest, q6 }, 'mine.json', RUBRIC_DEFAULTS);
    expect(rubric.precision).toEqual({ minSignificantDigits: 4, floatRelTolerance: 1e-5 });
    expect(rubric.q6.cellWeights).toEqual({ output: 1, params: 1, zeroParams: 0.25 });
    expect(rubric.q6.largeCountError).toEqual({ share: 0.01, weight: 10 });
    // reference/rubric.json states the same values.
    expect(RUBRIC.precision).toMatchObject(rubric.precision);
    expect(RUBRIC.q6.cellWeights).toMatchObject(rubric.q6.cellWeights);
    expect(RUBRIC.q6.largeCountError).toMatchObject(rubric.q6.largeCountError);
  });

  it('refuse a floor that is not a whole number of digits, and the old tolerances, naming the field', () => {
    expect(() => parseRubric({ ...fileOf(), precision: { minSignificantDigits: 0 } }, 'mine.json', RUBRIC_DEFAULTS))
      .toThrow(/mine\.json: precision\.minSignificantDigits/);
    const q2 = { ...(fileOf().q2 as Record<string, unknown>), tolerances: {} };
    expect(() => parseRubric({ ...fileOf(), q2 }, 'mine.json', RUBRIC_DEFAULTS)).toThrow(/mine\.json: q2.*tolerances/);
  });
});
