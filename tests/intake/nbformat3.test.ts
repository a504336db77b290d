/**
 * An nbformat 3 notebook is upgraded and read, not refused. The fixture is a v3 notebook as
 * IPython 2 wrote it (worksheets, `input`, `prompt_number`, a heading cell, pyout / pyerr /
 * stream outputs); the expected v4 form follows nbformat's own v4/convert.py, read rule by rule.
 */
import { describe, expect, it } from 'vitest';
import { upgradeNotebookV3 } from '../../src/intake/nbformat3.ts';
import { markdownByQuestion, parseNotebook } from '../../src/intake/notebook.ts';

const v3 = {
  nbformat: 3, nbformat_minor: 0,
  metadata: { name: 'ee046211_hw2', signature: 'sha256:…' },
  worksheets: [{
    metadata: {},
    cells: [
      { cell_type: 'heading', level: 2, metadata: {}, source: 'Q2 backpropagation' },
      { cell_type: 'markdown', metadata: {}, source: 'The gradient of E with respect to w3 is ...' },
      { cell_type: 'code', collapsed: false, input: 'x = 1\nx', language: 'python', metadata: {}, prompt_number: 1,
        outputs: [{ output_type: 'pyout', prompt_number: 1, text: '1', metadata: {} }, { output_type: 'stream', stream: 'stdout', text: 'hi\n' }] },
      { cell_type: 'code', collapsed: false, input: '1/0', language: 'python', metadata: {}, prompt_number: 2,
        outputs: [{ output_type: 'pyerr', ename: 'ZeroDivisionError', evalue: 'division by zero', traceback: [] }] },
      { cell_type: 'code', collapsed: false, input: 'never_run()', language: 'python', metadata: {}, outputs: [] },
    ],
  }],
};

describe('nbformat 3', () => {
  it('is upgraded as nbformat\'s convert.py does', () => {
    expect(upgradeNotebookV3(v3)).toEqual({
      nbformat: 4, nbformat_minor: 0, metadata: { orig_nbformat: 3, orig_nbformat_minor: 0 },
      cells: [
        { cell_type: 'markdown', metadata: {}, source: '## Q2 backpropagation' },
        { cell_type: 'markdown', metadata: {}, source: 'The gradient of E with respect to w3 is ...' },
        { cell_type: 'code', metadata: { collapsed: false }, source: 'x = 1\nx', execution_count: 1,
          outputs: [{ output_type: 'execute_result', execution_count: 1, metadata: {}, data: { 'text/plain': '1' } }, { output_type: 'stream', name: 'stdout', text: 'hi\n' }] },
        { cell_type: 'code', metadata: { collapsed: false }, source: '1/0', execution_count: 2,
          outputs: [{ output_type: 'error', ename: 'ZeroDivisionError', evalue: 'division by zero', traceback: [] }] },
        { cell_type: 'code', metadata: { collapsed: false }, source: 'never_run()', execution_count: null, outputs: [] },
      ],
    });
    // a v4 notebook, or anything else, passes through untouched
    const v4 = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] };
    expect(upgradeNotebookV3(v4)).toBe(v4);
  });

  it('is read like any notebook: cells run or not, errors, and the written answers by question', () => {
    const parsed = parseNotebook(JSON.stringify(v3), 'ee046211_hw2_123456782_234567891.ipynb');
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.facts.codeCells.map((c) => [c.executed, c.errors])).toEqual([[true, []], [true, ['ZeroDivisionError: division by zero']], [false, []]]);
    expect(markdownByQuestion(parsed.facts.markdown).q2).toBe('## Q2 backpropagation\n\nThe gradient of E with respect to w3 is ...');
  });

  it('never throws on what a submission puts in a heading cell (found by review: an object in source)', () => {
    const odd = { ...v3, worksheets: [{ cells: [{ cell_type: 'heading', level: 1, metadata: {}, source: [{ toString: 1 }] }] }] };
    const parsed = parseNotebook(JSON.stringify(odd), 'n.ipynb');
    expect(parsed.ok).toBe(false);
  });
});
