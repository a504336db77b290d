import { describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../checks/index.ts';
import { DEFAULT_RUBRIC_PATH, loadRubric, parseRubric } from '../../src/rubric/rubric.ts';
import { RUBRIC } from '../helpers.ts';

describe('the default rubric', () => {
  it('gives every check points that add up to 100', () => {
    const rubric = loadRubric(DEFAULT_RUBRIC_PATH, CHECK_IDS);
    expect(Object.values(rubric.checks).reduce((a, c) => a + c.points, 0)).toBe(100);
  });

  it('names what is wrong in an edited rubric', () => {
    const bad = structuredClone(RUBRIC) as unknown as { checks: Record<string, { points: number }> };
    bad.checks['q2.forward']!.points = 10;
    expect(() => parseRubric(bad, 'mine.json', CHECK_IDS)).toThrow('mine.json: checks: points add up to 106, but total is 100');
    delete bad.checks['q2.forward'];
    expect(() => parseRubric(bad, 'mine.json', CHECK_IDS)).toThrow(/no entry for q2\.forward/);
  });
});
