import { describe, expect, it } from 'vitest';
import { parseSigma } from '../../checks/q4.ts';
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
    a.q3!.b!.criticalPoint = RUBRIC.q3.key.b.critical.max + 1;
    expect(runCheck('q3.critical', a).fraction).toBeCloseTo(2 / 3, 10);
  });
});

describe('Q4 checks', () => {
  it.each(['sqrt(2/d)', 'sqrt(2)/sqrt(d)', '(2/d)^0.5', 'sqrt(2/d_{l-1})', '√(2/fan_in)', '1/sqrt(d/2)', 'sqrt(2/N)'])(
    'accept the equivalent form %s',
    (sigma) => {
      const a = correctAnswers();
      a.q4!.sigma = sigma;
      expect(runCheck('q4.sigma', a).fraction).toBe(1);
    },
  );

  it.each([
    ['sqrt(1/d)', /E\[φ²\] = 1/],
    ['2/d', /variance/],
    ['sqrt(1/(2*d))', /Inverted/],
  ])('name the mistake in %s', (sigma, diagnosis) => {
    const a = correctAnswers();
    a.q4!.sigma = sigma;
    const out = runCheck('q4.sigma', a);
    expect(out.fraction).toBe(0);
    expect(out.diagnosis).toMatch(diagnosis);
  });

  it('explain why a number, a foreign symbol or junk cannot be graded', () => {
    expect(parseSigma(0.0625)).toMatchObject({ error: expect.stringMatching(/expected an expression in d/) });
    expect(parseSigma('sqrt(2/k)')).toMatchObject({ error: expect.stringMatching(/uses k/) });
    expect(parseSigma('sqrt(2/')).toMatchObject({ error: expect.stringMatching(/does not parse/) });
  });
});

describe('Q5 checks', () => {
  it('pass parameters that satisfy the constraints and fail random ones with the seed', () => {
    const a = correctAnswers();
    expect(runCheck('q5.reversal', a).fraction).toBe(1);
    expect(runCheck('q5.complement', a).fraction).toBe(1);
    a.q5!.reversal!.W1[0]![0]![0]![0] = 5;
    const out = runCheck('q5.reversal', a, RUBRIC, 99);
    expect(out.fraction).toBe(0);
    expect(out.seed).toBe(99);
    expect(out.message).toMatch(/seed 99/);
  });

  it('reject constraints that silence the network', () => {
    const a = correctAnswers();
    a.q5!.reversal!.W2 = a.q5!.reversal!.W2.map((row) => row.map(() => 0));
    expect(runCheck('q5.reversal', a)).toMatchObject({ fraction: 0, diagnosis: expect.stringMatching(/Degenerate/) });
  });

  it('name the array and index of a wrong shape', () => {
    const a = correctAnswers();
    a.q5!.complement!.W1[2]![1]!.pop();
    expect(runCheck('q5.complement', a).message).toBe('hw2.json answers.q5.complement.W1[2][1] has 3 entries, expected 4 (bases)');
  });

  it('charge a wrong invariance as much as it gives for a right one', () => {
    const a = correctAnswers();
    a.q5!.invariances = ['hidden-permutation', 'sign-flip'];
    expect(runCheck('q5.invariances', a).fraction).toBe(0);
    a.q5!.invariances = ['hidden-permutation'];
    expect(runCheck('q5.invariances', a).fraction).toBe(0.5);
  });
});

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
