import { describe, expect, it } from 'vitest';
import { parseNotebook } from '../../src/intake/notebook.ts';
import { runCheck, correctAnswers, RUBRIC, fullInput, judged } from '../helpers.ts';
import { REGISTRY } from '../../checks/index.ts';

const nb = (cells: unknown[]) => JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });
const code = (n: number | null, outputs: unknown[] = [], tags?: string[]) => ({ cell_type: 'code', source: 'x = 1', execution_count: n, outputs, metadata: tags ? { tags } : {} });

function executedCheck(json: string) {
  const check = REGISTRY.find((c) => c.id === 'rules.executed')!;
  return judged(check.run({ ...fullInput(correctAnswers(), RUBRIC, 1), notebook: parseNotebook(json, 'nb.ipynb') }));
}

describe('notebooks', () => {
  it('counts run cells, and halves the check for an error output unless tagged raises-exception', () => {
    expect(executedCheck(nb([code(1), code(2), code(null), code(null)])).fraction).toBe(0.5);
    const error = { output_type: 'error', ename: 'NameError', evalue: "name 'y' is not defined", traceback: [] };
    const withError = executedCheck(nb([code(1), code(2, [error])]));
    expect(withError.fraction).toBe(0.5);
    expect(withError.message).toMatch(/error output in cell 2 \(NameError: name 'y' is not defined\)/);
    expect(executedCheck(nb([code(1), code(2, [error], ['raises-exception'])])).fraction).toBe(1);
  });

  it('checks the notebook name against the manifest\'s ids', () => {
    expect(runCheck('rules.fileName', correctAnswers(), RUBRIC).notSubmitted).toBe(true); // no files at all
    const check = REGISTRY.find((c) => c.id === 'rules.fileName')!;
    const input = (name: string) => ({ ...fullInput({}, RUBRIC, 1), files: [{ name, bytes: 1 }], groupIds: ['123456782', '234567891'] });
    expect(judged(check.run(input('ee046211_hw2_234567891_123456782.ipynb'))).fraction).toBe(1);
    expect(judged(check.run(input('ee046211_hw2_123456782_999999999.ipynb'))).message).toMatch(/names ids 123456782, 999999999, but hw2\.json's group\.ids are/);
    expect(judged(check.run(input('hw2_final.ipynb'))).diagnosis).toMatch(/not named by the course's pattern/);
  });

  it('accepts no PDF, and a PDF only under the course\'s name with the pair\'s ids (hw2.md, submission rules)', () => {
    const check = REGISTRY.find((c) => c.id === 'rules.pdfName')!;
    const input = (...names: string[]) => ({ ...fullInput({}, RUBRIC, 1), files: names.map((name) => ({ name, bytes: 1 })), groupIds: ['123456782', '234567891'] });
    expect(judged(check.run(input('ee046211_hw2_123456782_234567891.ipynb'))).fraction).toBe(1);
    expect(judged(check.run(input('ee046211_hw2_123456782_234567891.ipynb', 'ee046211_hw2_234567891_123456782.pdf'))).fraction).toBe(1);
    const misnamed = judged(check.run(input('ee046211_hw2_123456782_234567891.ipynb', 'answers (1).pdf')));
    expect(misnamed).toMatchObject({ fraction: 0, codes: ['rules.pdf-misnamed'] });
    expect(misnamed.message).toMatch(/^answers \(1\)\.pdf: the course's name for the answers is/);
    expect(judged(check.run(input('ee046211_hw2_123456782_999999999.pdf'))).message).toMatch(/names ids 123456782, 999999999, but hw2\.json's group\.ids are/);
  });
});
