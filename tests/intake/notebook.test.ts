import { describe, expect, it } from 'vitest';
import { markdownByQuestion, notebookCells, parseNotebook } from '../../src/intake/notebook.ts';

describe('notebooks', () => {
  it('names what breaks the nbformat 4 schema', () => {
    const r = parseNotebook(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'code', source: 'x' }] }), 'nb.ipynb');
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/^nb\.ipynb is not an nbformat 4 notebook: .*execution_count/) });
    expect(parseNotebook('{"cells": [', 'nb.ipynb')).toMatchObject({ ok: false, message: expect.stringMatching(/is not valid JSON/) });
  });

  it('splits the Markdown answers by the question each heading names', () => {
    const sections = markdownByQuestion(['# HW2', '## Q1\nproof here', 'more of it', '### Task 1\nexplained', '## Question 4\nsigma']);
    expect(sections).toEqual({ q1: '## Q1\nproof here\n\nmore of it', task1: '### Task 1\nexplained', q4: '## Question 4\nsigma' });
  });

  it('gives the code and Markdown cells with their text, in order, for hw2 similarity', () => {
    const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [
      { cell_type: 'markdown', metadata: {}, source: ['## Q1\n', 'proof'] },
      { cell_type: 'raw', metadata: {}, source: 'raw text' },
      { cell_type: 'code', metadata: {}, source: 'x = 1', execution_count: 1, outputs: [] },
    ] };
    expect(notebookCells(JSON.stringify(nb), 'nb.ipynb')).toEqual({ ok: true, cells: [{ type: 'markdown', source: '## Q1\nproof' }, { type: 'code', source: 'x = 1' }] });
    expect(notebookCells('{"cells": [', 'nb.ipynb')).toMatchObject({ ok: false, message: expect.stringMatching(/^nb\.ipynb/) });
    expect(notebookCells('[]', 'nb.ipynb')).toMatchObject({ ok: false, message: expect.stringMatching(/not an nbformat 4 notebook/) });
  });
});
