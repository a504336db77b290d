/**
 * The course's submission rules (hw2.md, "Submission rules"), each a check: the notebook's
 * name and ids, the answers PDF's name and ids, every code cell run, no forbidden file types.
 */
import { diagnosed, inputError } from '../src/core/outcomes.ts';
import { defineCheck } from '../src/registry/define.ts';
import { idsInName, NOTEBOOK_NAME } from '../src/intake/notebook.ts';

const ext = (name: string) => /\.([^./]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';

const fileName = defineCheck({
  id: 'rules.fileName',
  question: 'rules',
  title: 'Notebook named ee046211_hw2_<id1>_<id2>.ipynb with the pair\'s ids',
  kind: 'auto',
  points: 0.5,
  visibility: 'public',
  needs: ['files'],
  run(input) {
    const notebooks = input.files.filter((f) => ext(f.name) === 'ipynb' && !f.name.includes('.ipynb_checkpoints'));
    if (!notebooks.length) return { kind: 'notSubmitted', message: 'Not submitted: no .ipynb notebook in the submission.' };
    const named = notebooks.find((f) => NOTEBOOK_NAME.test(f.name.split('/').pop()!));
    if (!named) {
      return {
        kind: 'graded', fraction: 0, message: `${notebooks.map((n) => n.name).join(', ')}: the course's name is ee046211_hw2_<id1>_<id2>.ipynb.`,
        diagnoses: diagnosed('rules.notebook-misnamed', 'Notebook not named by the course\'s pattern'),
      };
    }
    const ids = idsInName(named.name.split('/').pop()!)!;
    const manifest = input.groupIds;
    if (manifest && [...ids].sort().join() !== [...manifest].sort().join()) {
      return { kind: 'graded', fraction: 0, message: `${named.name} names ids ${ids.join(', ')}, but hw2.json's group.ids are ${manifest.join(', ')}.`, expected: manifest, actual: ids };
    }
    const odd = ids.filter((id) => !/^\d{9}$/.test(id));
    return { kind: 'graded', fraction: 1, message: `${named.name}${odd.length ? ` (note: ${odd.join(', ')} is not a 9-digit id; no deduction)` : ''}.` };
  },
});

/**
 * hw2.md: a pair hands in the notebook alone, or with its answers as
 * ee046211_hw2_<id1>_<id2>.pdf. No PDF is a complete submission; a PDF must carry that name.
 */
const pdfName = defineCheck({
  id: 'rules.pdfName',
  question: 'rules',
  title: 'The answers PDF, if any, named ee046211_hw2_<id1>_<id2>.pdf with the pair\'s ids',
  kind: 'auto',
  points: 0.5,
  visibility: 'public',
  needs: ['files'],
  run(input) {
    const pdfs = input.files.filter((f) => ext(f.name) === 'pdf');
    if (!pdfs.length) return { kind: 'graded', fraction: 1, message: 'No PDF: the notebook alone is a complete submission.' };
    // The notebook's pattern, which also allows a student who works alone one id.
    const misnamed = pdfs.filter((f) => !NOTEBOOK_NAME.test(f.name.split('/').pop()!));
    if (misnamed.length) {
      return {
        kind: 'graded', fraction: 0, message: `${misnamed.map((f) => f.name).join(', ')}: the course's name for the answers is ee046211_hw2_<id1>_<id2>.pdf.`,
        diagnoses: diagnosed('rules.pdf-misnamed', 'The answers PDF is not named by the course\'s pattern'),
      };
    }
    const manifest = input.groupIds;
    const other = manifest && pdfs.find((f) => [...idsInName(f.name.split('/').pop()!)!].sort().join() !== [...manifest].sort().join());
    if (other) return { kind: 'graded', fraction: 0, message: `${other.name} names ids ${idsInName(other.name.split('/').pop()!)!.join(', ')}, but hw2.json's group.ids are ${manifest!.join(', ')}.` };
    return { kind: 'graded', fraction: 1, message: `${pdfs.map((f) => f.name).join(', ')}.` };
  },
});

const executed = defineCheck({
  id: 'rules.executed',
  question: 'rules',
  title: 'Every code cell was run and saved with its output',
  kind: 'auto',
  points: 2,
  visibility: 'public',
  needs: ['notebook'],
  run(input) {
    const nb = input.notebook;
    if (!nb) return { kind: 'notSubmitted', message: 'Not submitted: no notebook to check.' };
    if (!nb.ok) return inputError(nb.message);
    const cells = nb.facts.codeCells.filter((c) => !c.empty);
    if (!cells.length) return { kind: 'graded', fraction: 0, message: `${nb.facts.file} has no code cells.` };
    const unrun = cells.filter((c) => !c.executed);
    const errors = cells.filter((c) => c.errors.length && !c.errorExpected);
    let fraction = (cells.length - unrun.length) / cells.length;
    const parts = [`${cells.length - unrun.length} of ${cells.length} code cells were run`];
    if (unrun.length) parts.push(`not run: cell${unrun.length > 1 ? 's' : ''} ${unrun.slice(0, 10).map((c) => c.index + 1).join(', ')}${unrun.length > 10 ? '…' : ''}`);
    if (errors.length) {
      // An error left in the output is half the check unless the cell is tagged raises-exception.
      fraction = Math.min(fraction, 0.5);
      parts.push(`error output in cell ${errors.map((c) => `${c.index + 1} (${c.errors[0]})`).join(', ')}; tag a cell "raises-exception" if the error is intended`);
    }
    return {
      kind: 'graded',
      fraction,
      message: `${parts.join('; ')}.`,
      diagnoses: diagnosed('rules.notebook-not-run', 'The notebook was saved without running it: a code cell that was not run gets no points', unrun.length === cells.length),
    };
  },
});

const fileTypes = defineCheck({
  id: 'rules.fileTypes',
  question: 'rules',
  title: 'No forbidden file types (.py, .docx, scans of handwritten answers, ...)',
  kind: 'auto',
  points: 1,
  visibility: 'public',
  needs: ['files'],
  run(input) {
    const forbidden = input.files.filter((f) => input.rubric.rules.forbiddenExtensions.includes(ext(f.name)));
    if (!forbidden.length) return { kind: 'graded', fraction: 1, message: `${input.files.length} files, none of a forbidden type.` };
    return { kind: 'graded', fraction: 0, message: `Forbidden by the submission rules: ${forbidden.map((f) => f.name).join(', ')}.`, actual: forbidden.map((f) => f.name) };
  },
});

export const ruleChecks = [fileName, pdfName, executed, fileTypes] as const;
