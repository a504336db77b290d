import { describe, expect, it } from 'vitest';
import { correctAnswers, RUBRIC, runCheck } from '../helpers.ts';

describe('Q6 checks', () => {
  it('accept a table without the INPUT row and dimensions written as arrays', () => {
    const a = correctAnswers();
    a.q6!.rows = a.q6!.rows!.slice(1).map((r) => ({ ...r, output: String(r.output).split('x').map(Number) }));
    const out = runCheck('q6.table', a);
    expect(out.fraction).toBe(1);
    expect(out.message).toMatch(/no INPUT row/);
  });

  it('name pooling rounded up where the instance makes it visible (input 225×225)', () => {
    // By hand with floor: 225 → POOL2 → 112; with ceil: 113. Conv keeps the size (padding 1).
    const rubric = structuredClone(RUBRIC);
    rubric.q6.input = [225, 225, 3];
    rubric.q6.layers = ['CONV3-8', 'POOL2', 'FC-10'];
    const answers = { q6: { rows: [
      { output: '225x225x3', params: 0 },
      { output: '225x225x8', params: 3 * 3 * 3 * 8 + 8 },
      { output: '113x113x8', params: 0 },
      { output: '10', params: 113 * 113 * 8 * 10 + 10 },
    ] } };
    const out = runCheck('q6.table', answers, rubric);
    expect(out.diagnosis).toMatch(/Pooling rounded up/);
    // 7 of 8 cells right or carried forward: the FC row follows from the pair's own 113×113×8.
    expect(out.fraction).toBeCloseTo(7 / 8, 10);
  });

  it('name a total that leaves out a row', () => {
    const a = correctAnswers();
    a.q6!.total = 132_863_336 - 4_097_000; // without FC-1000 (4096·1000 + 1000, by hand)
    a.q6!.rows = undefined;
    const out = runCheck('q6.total', a);
    expect(out.fraction).toBe(0);
    expect(out.diagnosis).toMatch(/leaves out FC-1000/);
  });

  it('accept the FC share with or without biases and as a fraction', () => {
    const a = correctAnswers();
    for (const v of [93.06, 93.0617, 0.9306]) {
      a.q6!.fcWeightPercent = v;
      expect(runCheck('q6.fcShare', a).fraction).toBe(1);
    }
    a.q6!.fcWeightPercent = 90;
    expect(runCheck('q6.fcShare', a).fraction).toBe(0);
  });
});
