/** What counts as a wrong answer, a draw and a written answer, from result.json and a submission's files. */
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/core/vocabulary.ts';
import { answerTexts, drawOf, drawValues, MAX_CHARS_PER_KIND, profileOf, wrongAnswersOf } from '../../src/similarity/evidence.ts';
import { npyOf } from './course.ts';

const check = (over: Partial<CheckResult>): CheckResult => ({
  id: 'q2.gradients', question: 'q2', title: '', kind: 'auto', visibility: 'public', status: 'partial', score: 1, points: 5, message: '', ...over,
});

describe('wrongAnswersOf', () => {
  it('takes the cells a table marks wrong, named by check, row and column', () => {
    const c = check({
      evidence: { type: 'table', columns: ['', 'yours', 'reference'], rows: [
        { cells: ['w3', -0.00793565, 0.00793565], verdicts: [null, 'wrong', null] },
        { cells: ['w4', 0.00161716, 0.00161716], verdicts: [null, 'right', null] },
        { cells: ['w5', 0.1, 0.2], verdicts: [null, 'carried', null] },
      ] },
    });
    expect(wrongAnswersOf(c)).toEqual([{ field: 'q2.gradients w3 yours', value: '-0.00793565' }]);
  });

  it('without a table, takes the leaves of a failed check that the expected value does not accept', () => {
    const c = check({ id: 'q3.critical', status: 'partial', expected: { a: { min: 8, max: 16 }, b: { min: 10, max: 100 } }, actual: { a: 12, b: 400 } });
    expect(wrongAnswersOf(c)).toEqual([{ field: 'q3.critical b', value: '400' }]);
    const total = check({ id: 'q6.total', status: 'fail', expected: 132863336, actual: 132851016 });
    expect(wrongAnswersOf(total)).toEqual([{ field: 'q6.total', value: '132851016' }]);
    const words = check({ id: 'q5.scaleEffect', status: 'fail', expected: 'none', actual: ' Depends On C ' });
    expect(wrongAnswersOf(words)).toEqual([{ field: 'q5.scaleEffect', value: 'depends on c' }]);
  });

  it('never counts a right answer, a passed check, a manual one or one with nothing given', () => {
    expect(wrongAnswersOf(check({ status: 'pass', expected: 1, actual: 2 }))).toEqual([]);
    expect(wrongAnswersOf(check({ kind: 'manual', status: 'manual', actual: 'text' }))).toEqual([]);
    expect(wrongAnswersOf(check({ status: 'fail', message: 'Not submitted' }))).toEqual([]);
    expect(wrongAnswersOf(check({ status: 'partial', expected: { a: 0.5, b: 2 }, actual: { a: 0.5, b: 3 } }))).toEqual([{ field: 'q2.gradients b', value: '3' }]);
    // Printed beside the answer (Task 1.2's mean and sqrt(N)) with nothing expected there: not judged, not evidence.
    const products = check({ id: 'task1.products', status: 'fail', expected: { std: 22.627, meanAbs: 0.5 }, actual: { mean: 0.0095, std: 511.7, sqrtN: 22.627 } });
    expect(wrongAnswersOf(products)).toEqual([{ field: 'task1.products std', value: '511.7' }]);
  });

  it('judges a set answer by membership', () => {
    const c = check({ id: 'q5.invariances', status: 'partial', expected: ['hidden-permutation', 'positive-rescaling'], actual: ['positive-rescaling', 'sign-flip'] });
    expect(wrongAnswersOf(c)).toEqual([{ field: 'q5.invariances [1]', value: 'sign-flip' }]);
  });
});

describe('draws', () => {
  it('compare an .npy file by its values, not its header', () => {
    const npy = npyOf(5, 1);
    const values = drawValues('x.npy', npy);
    expect(values.length).toBe(128 * 64 * 4);
    // The same values under another header (shape written as 64×128, padded differently) are the same draw.
    const other = Buffer.concat([npy.subarray(0, 10), Buffer.from("{'descr': '<f4', 'fortran_order': True, 'shape': (64, 128), }".padEnd(npy.readUInt16LE(8) - 1) + '\n'), values]);
    other.writeUInt16LE(other.length - 10 - values.length, 8);
    expect(drawOf('b.npy', other)!.digest).toBe(drawOf('a.npy', npy)!.digest);
    expect(drawOf('a.npy', npy)).toMatchObject({ bytes: 32768, sample: true });
    expect(drawOf('models/w.bin', npy)).toMatchObject({ bytes: npy.length, sample: false });
  });

  it('leave out files too short to tell chance from copying, and read a broken header as plain bytes', () => {
    expect(drawOf('h.json', Buffer.from('[1, 2, 3]'))).toBeUndefined();
    expect(drawValues('odd.npy', Buffer.from('\x93NUMPY', 'latin1'))).toHaveLength(6);
  });
});

describe('written answers', () => {
  it('are hw2.json strings of eight words or more, and Markdown cells', () => {
    const texts = answerTexts({ q1: { proof: 'Let v = w - w_t, then the risk is the squared norm of v.' }, q4: { sigma: 'sqrt(2/d)' } });
    expect(texts.map((t) => t.path)).toEqual(['hw2.json answers.q1.proof']);
    const p = profileOf({ id: 'p', cells: [{ type: 'markdown', source: '## Q1\nSome answer' }, { type: 'code', source: 'torch.manual_seed(5)' }, { type: 'code', source: '  ' }] });
    expect(p.text.map((d) => d.label)).toEqual(['Markdown cell 1']);
    expect(p.code.map((d) => d.label)).toEqual(['code cell 2']);
    expect(p.seeds).toEqual(['5']);
  });
});

describe('profileOf', () => {
  it('reads a submission\'s text up to a budget per kind, however many cells it has', () => {
    const cell = 'x = torch.randn(512)\n'.repeat(5000);
    const p = profileOf({ id: 'big', cells: Array.from({ length: 100 }, () => ({ type: 'code' as const, source: cell })) });
    const read = p.code.reduce((n, d) => n + d.source.length, 0);
    expect(read).toBe(MAX_CHARS_PER_KIND);
    expect(p.code.length).toBe(Math.ceil(MAX_CHARS_PER_KIND / cell.length));
  });
});
