import { describe, expect, it } from 'vitest';
import { ANSWERS_MIME, chooseNotebook, markdownByQuestion, notebookCells, parseNotebook } from '../../src/intake/notebook.ts';

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

  it('finds the answers the kit displayed: the last output of its MIME type, with its cell', () => {
    const output = (value: unknown) => ({ output_type: 'display_data', metadata: {}, data: { [ANSWERS_MIME]: value, 'text/plain': 'hw2.json' } });
    const code = (outputs: unknown[]) => ({ cell_type: 'code', source: 'sub.save()', execution_count: 1, metadata: {}, outputs });
    const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [
      code([output({ contract: 1, first: true })]),
      { cell_type: 'markdown', source: '## Q2', metadata: {} },
      code([{ output_type: 'stream', name: 'stdout', text: 'saved' }, output({ contract: 1, first: false })]),
      code([{ output_type: 'display_data', metadata: {}, data: { 'text/plain': 'other' } }]),
    ] };
    const r = parseNotebook(JSON.stringify(nb), 'nb.ipynb');
    expect(r.ok && r.facts.answers).toEqual({ cell: 2, value: { contract: 1, first: false } });
    // A data key named like Object.prototype's is no answers output.
    const proto = parseNotebook(JSON.stringify({ ...nb, cells: [code([{ output_type: 'display_data', metadata: {}, data: JSON.parse('{"__proto__": {"contract": 1}}') }])] }), 'nb.ipynb');
    expect(proto.ok && proto.facts.answers).toBeUndefined();
  });

  it('chooses the notebook the course named, else the first one, never a checkpoint', () => {
    const files = [{ name: 'draft.ipynb' }, { name: '.ipynb_checkpoints/ee046211_hw2_1_2-checkpoint.ipynb' }, { name: 'sub/EE046211_HW2_123456782_234567891.IPYNB' }];
    expect(chooseNotebook(files)?.name).toBe('sub/EE046211_HW2_123456782_234567891.IPYNB');
    expect(chooseNotebook(files.slice(0, 2))?.name).toBe('draft.ipynb');
    expect(chooseNotebook([{ name: 'hw2.json' }])).toBeUndefined();
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
