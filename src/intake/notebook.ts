/**
 * Jupyter notebooks as the course collects them: parsed against the nbformat v4 schema
 * (transcribed into zod from nbformat's nbformat.v4.schema.json: the fields a grader reads,
 * unknown fields allowed as the schema allows them), then reduced to plain facts.
 */
import { z } from 'zod';
import { formatIssue } from './issues.ts';
import { NOTEBOOK_JSON_LIMITS, parseBoundedJson } from './json.ts';
import { upgradeNotebookV3 } from './nbformat3.ts';

const source = z.union([z.string(), z.array(z.string())]);
const output = z.looseObject({
  output_type: z.enum(['execute_result', 'display_data', 'stream', 'error']),
  ename: z.string().optional(),
  evalue: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});
const cell = z.discriminatedUnion('cell_type', [
  z.looseObject({ cell_type: z.literal('code'), source, execution_count: z.number().int().nullable(), outputs: z.array(output), metadata: z.record(z.string(), z.unknown()) }),
  z.looseObject({ cell_type: z.literal('markdown'), source, metadata: z.record(z.string(), z.unknown()) }),
  z.looseObject({ cell_type: z.literal('raw'), source, metadata: z.record(z.string(), z.unknown()) }),
]);
export const NotebookSchema = z.looseObject({
  nbformat: z.literal(4),
  nbformat_minor: z.number().int().nonnegative(),
  metadata: z.record(z.string(), z.unknown()),
  cells: z.array(cell),
});

export interface CodeCellFact {
  index: number;
  /** Tagged raises-exception: Jupyter's own mark for a cell whose error is intended. */
  errorExpected: boolean;
  executed: boolean;
  hasOutput: boolean;
  errors: string[];
  empty: boolean;
}

export interface NotebookFacts {
  file: string;
  codeCells: CodeCellFact[];
  /** Markdown cells, in order: the pair's written answers. */
  markdown: string[];
  /**
   * hw2.json as the kit displayed it (an output of type ANSWERS_MIME): the last one in the
   * notebook, with the index of its cell. A notebook handed in alone still carries its answers.
   */
  answers?: { cell: number; value: unknown };
}

/**
 * The MIME type of the answers output that kit/python/hw2kit.py displays (`sub.save()`):
 * hw2.json's document itself, which Jupyter stores in the notebook as JSON.
 */
export const ANSWERS_MIME = 'application/vnd.ee046211.hw2+json';

export type ParsedNotebook = { ok: true; facts: NotebookFacts } | { ok: false; message: string };

const text = (s: string | string[]) => (Array.isArray(s) ? s.join('') : s);

/** The notebook's facts, or why not; never throws, whatever the submission's notebook holds. */
export function parseNotebook(json: string, file: string): ParsedNotebook {
  try {
    return parseNotebookUnsafe(json, file);
  } catch (error) {
    return { ok: false, message: `${file} could not be read as a notebook (${String((error as Error)?.message ?? error).slice(0, 200)})` };
  }
}

function parseNotebookUnsafe(json: string, file: string): ParsedNotebook {
  // Bounded before zod (which recurses) sees it: depth, counts, no prototype keys.
  const bounded = parseBoundedJson(json, file, NOTEBOOK_JSON_LIMITS);
  if (!bounded.ok) return { ok: false, message: bounded.syntax ? `${bounded.message}; is it a saved .ipynb?` : bounded.message };
  // nbformat 3 (IPython 2's) is upgraded as nbformat's own converter does, then read like v4.
  const raw = upgradeNotebookV3(bounded.value);
  const parsed = NotebookSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    return { ok: false, message: `${file} is not an nbformat 4 notebook: ${parsed.error.issues.slice(0, 3).map((i) => formatIssue('', [], i).trim()).join('; ')}` };
  }
  const codeCells: CodeCellFact[] = [];
  const markdown: string[] = [];
  let answers: NotebookFacts['answers'];
  parsed.data.cells.forEach((c, index) => {
    if (c.cell_type === 'markdown') markdown.push(text(c.source));
    if (c.cell_type !== 'code') return;
    for (const o of c.outputs) {
      // Own keys only: a notebook is the submission's, and "__proto__" names no MIME type.
      if (o.data && Object.hasOwn(o.data, ANSWERS_MIME)) answers = { cell: index, value: o.data[ANSWERS_MIME] };
    }
    const tags = (c.metadata as { tags?: unknown }).tags;
    codeCells.push({
      index,
      errorExpected: Array.isArray(tags) && tags.includes('raises-exception'),
      executed: c.execution_count !== null,
      hasOutput: c.outputs.length > 0,
      errors: c.outputs.filter((o) => o.output_type === 'error').map((o) => `${o.ename ?? 'Error'}: ${o.evalue ?? ''}`.trim()),
      empty: text(c.source).trim() === '',
    });
  });
  return { ok: true, facts: { file, codeCells, markdown, ...(answers ? { answers } : {}) } };
}

/** The course's file name: ee046211_hw2_<id1>_<id2>.ipynb (one id for a single student). */
export const NOTEBOOK_NAME = /^ee046211_hw2_(\d+)(?:_(\d+))?\.(ipynb|zip|pdf)$/i;

/** The pair's notebook among a submission's files: the one named by the course's pattern, else the first .ipynb. */
export function chooseNotebook<F extends { name: string }>(files: readonly F[]): F | undefined {
  const notebooks = files.filter((f) => f.name.toLowerCase().endsWith('.ipynb') && !f.name.includes('.ipynb_checkpoints'));
  return notebooks.find((f) => NOTEBOOK_NAME.test(f.name.split('/').pop()!)) ?? notebooks[0];
}

export function idsInName(name: string): string[] | undefined {
  const m = NOTEBOOK_NAME.exec(name);
  return m ? [m[1]!, ...(m[2] ? [m[2]] : [])] : undefined;
}

/** A heading that names a question: "## Q2", "### Question 4", "# Task 1" (text after it is free). */
const QUESTION_HEADING = /^#{1,6}\s*(?:(?:Q|Question)\s*(\d)|Task\s*(\d))\b/im;

/**
 * The pair's Markdown split by the question each part answers: a markdown cell that starts
 * with a heading naming a question begins that question's section.
 */
export function markdownByQuestion(markdown: string[]): Partial<Record<string, string>> {
  const sections: Record<string, string[]> = {};
  let current: string | undefined;
  for (const cell of markdown) {
    const m = QUESTION_HEADING.exec(cell);
    if (m) current = m[1] ? `q${m[1]}` : `task${m[2]}`;
    if (current) (sections[current] ??= []).push(cell);
  }
  return Object.fromEntries(Object.entries(sections).map(([k, v]) => [k, v.join('\n\n')]));
}

export type NotebookCells = { ok: true; cells: { type: 'code' | 'markdown'; source: string }[] } | { ok: false; message: string };

/**
 * The notebook's code and Markdown cells with their text, in order (raw cells left out),
 * read with the same bounds and schema as parseNotebook; never throws.
 */
export function notebookCells(json: string, file: string): NotebookCells {
  try {
    const bounded = parseBoundedJson(json, file, NOTEBOOK_JSON_LIMITS);
    if (!bounded.ok) return { ok: false, message: bounded.message };
    const parsed = NotebookSchema.safeParse(upgradeNotebookV3(bounded.value));
    if (!parsed.success) return { ok: false, message: `${file} is not an nbformat 4 notebook: ${parsed.error.issues.slice(0, 3).map((i) => formatIssue('', [], i).trim()).join('; ')}` };
    return { ok: true, cells: parsed.data.cells.flatMap((c) => (c.cell_type === 'raw' ? [] : [{ type: c.cell_type, source: text(c.source) }])) };
  } catch (error) {
    return { ok: false, message: `${file} could not be read as a notebook (${String((error as Error)?.message ?? error).slice(0, 200)})` };
  }
}
