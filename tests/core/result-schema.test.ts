/** result.json's schema: what the harness writes reads back; another shape is refused, with where. */
import { describe, expect, it } from 'vitest';
import { REGISTRY } from '../../checks/index.ts';
import { parseResult, RESULT_VERSION } from '../../src/core/result-schema.ts';
import { gradeSubmission } from '../../src/engine/grade.ts';
import { correctAnswers, RUBRIC } from '../helpers.ts';

const graded = () => gradeSubmission(
  { id: 'pair', dir: '/tmp/pair', answers: correctAnswers(), problems: [], partErrors: {}, warnings: [], hash: 'h', group: { ids: ['123456782'] } },
  REGISTRY, RUBRIC, { mode: 'grade', seed: 211 },
).result;

describe('parseResult', () => {
  it('reads back what gradeSubmission makes, through JSON, unchanged', () => {
    const result = graded();
    const parsed = parseResult(JSON.parse(JSON.stringify(result)));
    expect(parsed).toEqual({ ok: true, result: JSON.parse(JSON.stringify(result)) });
  });

  it('refuses a record of another version, and one whose field has the wrong shape', () => {
    const { resultVersion: _v, ...old } = graded();
    expect(parseResult(old)).toEqual({ ok: false, message: `resultVersion: expected ${RESULT_VERSION}, found none (an older harness wrote it); regrade with this harness` });
    expect(parseResult({ ...graded(), resultVersion: 1 })).toMatchObject({ ok: false, message: expect.stringMatching(/^resultVersion: expected \d+, found 1;/) });
    const broken = graded();
    (broken.checks[2] as { score: unknown }).score = '5';
    expect(parseResult(broken)).toMatchObject({ ok: false, message: expect.stringMatching(/^checks\[2\]\.score: /) });
    expect(parseResult(null)).toMatchObject({ ok: false });
  });
});
