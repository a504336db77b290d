import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { countArchitecture } from '../../reference/q6.ts';
import { correctAnswers, RUBRIC, runCheck } from '../helpers.ts';

/** Every cell worth the same, no large-error weight: the cell counts of the tests below are then the score. */
const EQUAL = structuredClone(RUBRIC);
EQUAL.q6.cellWeights = { output: 1, params: 1, zeroParams: 1 };
EQUAL.q6.largeCountError = { share: 1, weight: 1 };

describe('Q6 checks', () => {
  it('accept a table without the INPUT row and dimensions written as arrays', () => {
    const a = correctAnswers();
    a.q6!.rows = a.q6!.rows!.slice(1).map((r) => ({ ...r, output: String(r.output).split('x').map(Number) }));
    const out = runCheck('q6.table', a, EQUAL);
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
    rubric.q6.cellWeights = EQUAL.q6.cellWeights;
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

  it('judge the FC share as one percentage, biases counted, at the digits written', () => {
    // By hand: FC parameters 25088·4096 + 4096 + 4096·4096 + 4096 + 4096·1000 + 1000 = 123,642,856 of
    // 132,863,336: 93.05964…%. Weights alone: 123,633,664 of 132,851,392 = 93.06174…%.
    const a = correctAnswers();
    for (const [v, fraction] of [[93.06, 1], [93.0596, 1], [93.0597, 1], [93.06174, 0], [93.1, 0], [90, 0]] as const) {
      a.q6!.fcWeightPercent = v;
      const out = runCheck('q6.fcShare', a);
      expect(out.fraction, String(v)).toBe(fraction);
      expect(out.message).toMatch(/judged at \d significant digits/);
    }
    a.q6!.fcWeightPercent = 93.06174;
    expect(runCheck('q6.fcShare', a).codes).toEqual(['q6.fc-share-without-biases']);
    // A fraction is not the percentage the question asks for.
    a.q6!.fcWeightPercent = 0.9306;
    const out = runCheck('q6.fcShare', a);
    expect(out.fraction).toBe(0);
    expect(out.codes).toEqual(['q6.fc-share-as-fraction']);
  });
});

describe('Q6 rows aligned by name (issue 15, class 5), every cell worth the same', () => {
  const refRows = countArchitecture(RUBRIC.q6.input, RUBRIC.q6.layers);
  // By hand: VGG-11's table has 26 rows (INPUT and 25 layers: 8 CONV, 8 ReLU, 5 POOL2, 3 FC, SOFTMAX), 52 cells.
  const R = refRows.length;

  it('a table without the SOFTMAX row loses that row\'s 2 cells only, and says so', () => {
    expect(R).toBe(26);
    const a = correctAnswers();
    a.q6!.rows = a.q6!.rows!.slice(0, -1);
    const out = runCheck('q6.table', a, EQUAL);
    expect(out.fraction).toBeCloseTo((2 * R - 2) / (2 * R), 12);
    expect(out.codes).toContain('q6.missing-row');
    expect(out.diagnosis).toMatch(/SOFTMAX row is missing/);
    expect(out.diagnosis ?? '').not.toMatch(/POOL2/);
  });

  it('names in any case and spacing are aligned ("conv3 64", "relu", "fc 4096")', () => {
    const a = correctAnswers();
    a.q6!.rows = a.q6!.rows!.map((r) => ({ ...r, layer: r.layer!.toLowerCase().replace('-', ' ') }));
    expect(runCheck('q6.table', a, EQUAL).fraction).toBe(1);
  });

  it('the correct table scores 1', () => {
    expect(runCheck('q6.table', correctAnswers()).fraction).toBe(1);
  });

  it('any one row removed (INPUT aside: a table without it is accepted) costs exactly that row', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: R - 1 }), (k) => {
      const a = correctAnswers();
      a.q6!.rows = a.q6!.rows!.filter((_, i) => i !== k);
      const out = runCheck('q6.table', a, EQUAL);
      expect(out.fraction).toBeCloseTo((2 * R - 2) / (2 * R), 12);
      expect(out.codes).toContain('q6.missing-row');
      expect(out.diagnosis).toContain(`The ${refRows[k]!.layer} row is missing`);
    }), { seed: 211 });
  });

  it('gives a row written twice, once right and once wrong, no more than the wrong row alone', () => {
    const a = correctAnswers();
    const rows = a.q6!.rows!;
    const k = rows.findIndex((r) => /FC-4096/i.test(r.layer ?? ''));
    const wrong = { ...rows[k]!, params: rows[k]!.params + 1000 };
    const alone = correctAnswers();
    alone.q6!.rows = [...rows.slice(0, k), wrong, ...rows.slice(k + 1)];
    a.q6!.rows = [...rows.slice(0, k), wrong, rows[k]!, ...rows.slice(k + 1)];
    // alone: one cell of 2R wrong; hedged: every cell right, but the extra row costs 2.
    expect(runCheck('q6.table', alone, EQUAL).fraction).toBeCloseTo((2 * R - 1) / (2 * R), 12);
    expect(runCheck('q6.table', a, EQUAL).fraction).toBeLessThanOrEqual(runCheck('q6.table', alone, EQUAL).fraction);
  });

  it('one extra duplicated row keeps every reference cell right, costs its own 2 cells, and is named', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: R - 1 }), (k) => {
      const a = correctAnswers();
      const rows = a.q6!.rows!;
      a.q6!.rows = [...rows.slice(0, k + 1), { ...rows[k]! }, ...rows.slice(k + 1)];
      const out = runCheck('q6.table', a, EQUAL);
      // Every reference cell is right; the extra row costs 2 of the 2R cells, as a wrong row would.
      expect(out.fraction).toBeCloseTo((2 * R - 2) / (2 * R), 12);
      expect(out.message).toMatch(new RegExp(`^${2 * R} of ${2 * R} cells correct`));
      expect(out.codes).toContain('q6.extra-row');
    }), { seed: 211 });
  });

  it('carried-forward credit follows the alignment when a row is missing', () => {
    // ReLU after CONV3-64 left out, and CONV3-64 written without padding (222x222x64): the next
    // POOL2 written as 111x111x64 follows from the pair's own previous aligned row.
    const a = correctAnswers();
    const rows = a.q6!.rows!.filter((_, i) => i !== 2);
    rows[1] = { ...rows[1]!, output: '222x222x64' };
    rows[2] = { ...rows[2]!, output: '111x111x64' };
    a.q6!.rows = rows;
    const out = runCheck('q6.table', a, EQUAL);
    expect(out.codes).toContain('q6.missing-row');
    // By hand, 52 cells: 2 missing (the ReLU), 1 wrong (CONV3-64's output), 1 carried forward
    // (POOL2's output, from the pair's previous aligned row, CONV3-64's 222x222x64), 48 right.
    expect(out.fraction).toBeCloseTo((48 + RUBRIC.q6.carriedForwardCredit) / 52, 12);
    expect(out.diagnosis).toContain('The ReLU row is missing');
  });
});

/**
 * Issue 15, class 5: what each cell is worth (rubric q6.cellWeights, q6.largeCountError). By hand:
 * VGG-11's 26 rows are 11 with parameters (8 CONV, 3 FC) and 15 without (INPUT, 8 ReLU, 5 POOL2,
 * SOFTMAX), so the table weighs 26·1 (outputs) + 11·1 + 15·0.25 = 40.75.
 */
describe('Q6 cell weights (issue 15, class 5)', () => {
  const WORTH = 40.75;

  it('the default weights: a missing SOFTMAX row costs 1 + 0.25', () => {
    const a = correctAnswers();
    a.q6!.rows = a.q6!.rows!.slice(0, -1);
    const out = runCheck('q6.table', a);
    expect(out.fraction).toBeCloseTo((WORTH - 1.25) / WORTH, 12);
    expect(out.codes).toEqual(['q6.missing-row']);
  });

  it('a CONV count off by a little costs 1; the first FC\'s fan-in off by 100 M costs 10', () => {
    const a = correctAnswers();
    const rows = a.q6!.rows!;
    const conv = rows.findIndex((r) => r.layer === 'CONV3-128');
    // 3·3·64·128 + 128 = 73,856; the biases left out of this one row: 73,728.
    rows[conv] = { ...rows[conv]!, params: 73_728 };
    expect(runCheck('q6.table', a).fraction).toBeCloseTo((WORTH - 1) / WORTH, 12);
    const b = correctAnswers();
    const fc1 = b.q6!.rows!.findIndex((r) => r.layer === 'FC-4096');
    // The fan-in taken as the 512 channels, not 7·7·512 = 25,088: 512·4096 + 4096 = 2,101,248, off by
    // 100,663,296 ≥ 1% of 132,863,336.
    b.q6!.rows![fc1] = { ...b.q6!.rows![fc1]!, params: 2_101_248 };
    const out = runCheck('q6.table', b);
    expect(out.fraction).toBeCloseTo((WORTH - 10) / WORTH, 12);
    // Of 5 points: 10/40.75·5 ≈ 1.23 lost, not one cell in 52 (0.1).
    expect(5 * (1 - out.fraction)).toBeGreaterThan(1.2);
    expect(out.codes).toContain('q6.fc-fan-in');
    expect(out.message).toMatch(/off by at least 1% of the total \(1,328,634\) weighs 10 instead of 1: row 23 FC-4096 \(off by 100,663,296\)/);
  });

  it('a large count that follows from the pair\'s own previous row is carried forward, not weighed as large', () => {
    // POOL2 before the FCs kept at 14x14x512: FC-4096 then has 100,352·4096 + 4096 parameters, from the pair's own row.
    const a = correctAnswers();
    const rows = a.q6!.rows!;
    const fc1 = rows.findIndex((r) => r.layer === 'FC-4096');
    rows[fc1 - 1] = { ...rows[fc1 - 1]!, output: '14x14x512' };
    rows[fc1] = { ...rows[fc1]!, params: 100_352 * 4096 + 4096 };
    // Only the POOL2 output (weight 1) is wrong.
    expect(runCheck('q6.table', a).fraction).toBeCloseTo((WORTH - 1) / WORTH, 12);
  });
});
