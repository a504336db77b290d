/**
 * One submission's evidence, gathered from plain data (its result.json, notebook cells,
 * hw2.json texts and the bytes of its random draws): the wrong answers it gave, the digests of
 * its draws, the seeds its code sets, and the fingerprints of its code and written answers.
 * Pure: reading the files is read.ts's.
 */
import { createHash } from 'node:crypto';
import type { CheckResult, SubmissionResult } from '../core/vocabulary.ts';
import { pythonTokens, proseTokens, seedsIn, type Token } from './normalize.ts';
import { fingerprints, type Fingerprint, type WinnowSettings } from './winnow.ts';

/** Code: 12 tokens a k-gram, 8 a window, so any shared run of 19 tokens (about two lines) is seen. */
export const CODE_WINNOW: WinnowSettings = { k: 12, w: 8 };
/** Prose: 6 words a k-gram, 5 a window: any shared run of 10 words is seen. */
export const TEXT_WINNOW: WinnowSettings = { k: 6, w: 5 };

/** A cell or an answer: its text, its tokens and the fingerprints kept of them. */
export interface Document {
  label: string;
  source: string;
  tokens: Token[];
  prints: Fingerprint[];
}

export interface WrongAnswer {
  field: string;
  /** The value as compared: integers exact, other numbers to 6 significant digits, strings trimmed and lower-cased. */
  value: string;
}

export interface Draw {
  file: string;
  digest: string;
  bytes: number;
  /**
   * An init sample (.npy, .npz): a function of the seed and a few lines of code, so two pairs
   * that set the same seed may draw it alike. Trained weights and histories depend on the
   * whole pipeline (data order, every step), so no seed explains them.
   */
  sample: boolean;
}

export interface Profile {
  id: string;
  wrong: WrongAnswer[];
  draws: Draw[];
  seeds: string[];
  code: Document[];
  text: Document[];
}

export function document(label: string, source: string, kind: 'code' | 'text'): Document {
  const tokens = kind === 'code' ? pythonTokens(source) : proseTokens(source);
  return { label, source, tokens, prints: fingerprints(tokens.map((t) => t.symbol), kind === 'code' ? CODE_WINNOW : TEXT_WINNOW) };
}

const canonical = (v: unknown): string | undefined => {
  if (typeof v === 'number') return Number.isFinite(v) && !Number.isInteger(v) ? String(Number(v.toPrecision(6))) : String(v);
  if (typeof v === 'string') return v.trim().toLowerCase().slice(0, MAX_FIELD_CHARS) || undefined;
  if (typeof v === 'boolean') return String(v);
  return undefined;
};

/** Leaves of a JSON value with their paths ("a.b[2]"), at most `max` of them. */
function leaves(value: unknown, path = '', out: [string, unknown][] = [], max = 500, depth = 0): [string, unknown][] {
  if (out.length >= max || depth > 8) return out;
  if (Array.isArray(value)) value.forEach((v, i) => leaves(v, `${path}[${i}]`, out, max, depth + 1));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out, max, depth + 1);
  else out.push([path, value]);
  return out;
}

const at = (value: unknown, path: string): unknown => {
  let node = value;
  for (const part of path.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
};

const isRange = (e: unknown): boolean => e !== null && typeof e === 'object' && typeof (e as { min?: unknown }).min === 'number';

/** Whether the expected value at a leaf accepts `v`: equal (numbers to 1e-9 relative), or inside a {min, max} range. */
function accepted(expected: unknown, v: unknown): boolean {
  if (typeof expected === 'number' && typeof v === 'number') return Math.abs(expected - v) <= 1e-9 * Math.max(1, Math.abs(expected));
  if (expected !== null && typeof expected === 'object' && typeof (expected as { min?: unknown }).min === 'number' && typeof v === 'number') {
    const { min, max } = expected as { min: number; max?: number };
    return v >= min && (typeof max !== 'number' || v <= max);
  }
  return canonical(expected) !== undefined && canonical(expected) === canonical(v);
}

/**
 * The wrong answers of one check: in a table, each cell a check marked wrong; otherwise,
 * for a check that did not pass, each leaf of the pair's value that the expected value at the
 * same place (a value, a {min, max} range, or a set of values) does not accept. A leaf with
 * nothing expected at its place is left out. Right answers are never evidence: many pairs
 * share them.
 */
export function wrongAnswersOf(check: CheckResult): WrongAnswer[] {
  if (check.kind !== 'auto') return [];
  const out: WrongAnswer[] = [];
  if (check.evidence?.type === 'table') {
    const { columns, rows } = check.evidence;
    for (const row of rows) {
      row.verdicts.forEach((verdict, i) => {
        const value = canonical(row.cells[i]);
        if (verdict === 'wrong' && value !== undefined) out.push({ field: `${check.id} ${String(row.cells[0] ?? '')} ${columns[i] ?? ''}`.trim().slice(0, MAX_FIELD_CHARS), value });
      });
    }
    return out;
  }
  if (check.status !== 'fail' && check.status !== 'partial') return [];
  if (check.actual === undefined) return [];
  for (const [path, v] of leaves(check.actual)) {
    const value = canonical(v);
    if (value === undefined) continue;
    const expected = path ? at(check.expected, path) : check.expected;
    const parentPath = path.replace(/(\.[^.[\]]*|\[\d+\])$/, '');
    const parent = parentPath ? at(check.expected, parentPath) : check.expected;
    let wrong: boolean;
    // An answer that is a set (Q5's invariances): a member the key does not hold is wrong, wherever it is listed.
    if (/\[\d+\]$/.test(path) && Array.isArray(parent) && parent.every((e) => typeof e !== 'object')) wrong = !parent.some((e) => accepted(e, v));
    else if (expected !== undefined && (typeof expected !== 'object' || isRange(expected))) wrong = !accepted(expected, v);
    // Nothing to judge this leaf by (a value printed beside the answer, a file name): not evidence.
    else continue;
    if (wrong) out.push({ field: `${check.id}${path ? ` ${path}` : ''}`.slice(0, MAX_FIELD_CHARS), value });
  }
  return out;
}

export const wrongAnswers = (result: SubmissionResult): WrongAnswer[] => result.checks.flatMap(wrongAnswersOf);

/** Files whose bytes are random draws: init samples, model weights, training histories. */
export const DRAW_FILE = /\.(npy|npz|bin|onnx|pt|pth|h5|safetensors|ckpt)$/i;
/** Draws shorter than this are too few values to tell chance from copying. */
export const MIN_DRAW_BYTES = 256;

/** The values of a draw file: an .npy file's data after its header (its dtype and shape are not values), any other file whole. */
export function drawValues(file: string, bytes: Buffer): Buffer {
  if (!/\.npy$/i.test(file) || bytes.length < 10 || bytes.toString('latin1', 0, 6) !== '\x93NUMPY') return bytes;
  const major = bytes[6]!;
  const headerEnd = major === 1 ? 10 + bytes.readUInt16LE(8) : bytes.length >= 12 ? 12 + bytes.readUInt32LE(8) : bytes.length;
  return bytes.subarray(Math.min(headerEnd, bytes.length));
}

export function drawOf(file: string, bytes: Buffer): Draw | undefined {
  const values = drawValues(file, bytes);
  if (values.length < MIN_DRAW_BYTES) return undefined;
  return { file, digest: createHash('sha256').update(values).digest('hex'), bytes: values.length, sample: /\.np[yz]$/i.test(file) };
}

/** Texts of hw2.json's answers long enough to be prose (a proof, an explanation), with their paths. */
export function answerTexts(answers: unknown): { path: string; text: string }[] {
  return leaves(answers, '', [], 2000)
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim().split(/\s+/).length >= 8)
    .map(([path, text]) => ({ path: `hw2.json answers.${path}`, text }));
}

/**
 * Text read of one submission, per kind (code, prose): a notebook of a million cells is read
 * up to here, so one submission cannot make the course's index its own.
 */
export const MAX_CHARS_PER_KIND = 2_000_000;
/** Length of a field's name or a wrong value as kept (row labels and values are the pair's). */
const MAX_FIELD_CHARS = 200;

/** Documents in order until their text reaches the budget; the one that crosses it is cut. */
function withinBudget(sources: { label: string; source: string }[]): { label: string; source: string }[] {
  let left = MAX_CHARS_PER_KIND;
  const out = [];
  for (const s of sources) {
    if (left <= 0) break;
    out.push({ label: s.label, source: s.source.slice(0, left) });
    left -= s.source.length;
  }
  return out;
}

export interface ProfileInput {
  id: string;
  result?: SubmissionResult;
  /** The notebook's cells in order. */
  cells?: { type: 'code' | 'markdown'; source: string }[];
  answers?: unknown;
  draws?: Draw[];
}

export function profileOf(input: ProfileInput): Profile {
  const cells = input.cells ?? [];
  const codeCells = cells.map((c, i) => ({ ...c, i })).filter((c) => c.type === 'code' && c.source.trim());
  return {
    id: input.id,
    wrong: input.result ? wrongAnswers(input.result) : [],
    draws: input.draws ?? [],
    seeds: [...new Set(codeCells.flatMap((c) => seedsIn(c.source)))],
    code: withinBudget(codeCells.map((c) => ({ label: `code cell ${c.i + 1}`, source: c.source }))).map((d) => document(d.label, d.source, 'code')),
    text: withinBudget([
      ...cells.map((c, i) => ({ ...c, i })).filter((c) => c.type === 'markdown' && c.source.trim()).map((c) => ({ label: `Markdown cell ${c.i + 1}`, source: c.source })),
      ...answerTexts(input.answers).map((t) => ({ label: t.path, source: t.text })),
    ]).map((d) => document(d.label, d.source, 'text')),
  };
}
