/**
 * Reads one submission folder into plain data. Nothing here throws for a student's
 * mistake: a missing or broken hw2.json becomes a list of problems, and each broken part of
 * `answers` is recorded against its question so only that question's checks lose points.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { Manifest, PART_SCHEMAS, type Answers, type PartId } from './schema.ts';
import { describeValue, formatIssue, issueOf } from '../intake/issues.ts';
import type { Issue, QuestionId } from '../core/vocabulary.ts';
import { readSubmissionFile } from '../intake/files.ts';
import { MANIFEST, submissionIdOf } from '../intake/names.ts';
import { MANIFEST_JSON_LIMITS, parseBoundedJson } from '../intake/json.ts';
import { ANSWERS_MIME, chooseNotebook, parseNotebook } from '../intake/notebook.ts';


export interface LoadedSubmission {
  id: string;
  dir: string;
  group?: { ids: string[]; names?: string[] };
  answers: Answers;
  /** Problems with the submission as a whole (missing or unreadable hw2.json). */
  problems: string[];
  /** Problems with one question's part of `answers`, as data (words are made by renderers). */
  partErrors: Partial<Record<QuestionId, Issue[]>>;
  /** Warnings that cost nothing (unknown fields that were ignored, odd ids). */
  warnings: string[];
  /** sha256 of hw2.json's bytes ('' when absent): part of the cache key. */
  hash: string;
  /** The submission's files (at most 100), for the report's header. */
  files?: { name: string; bytes: number }[];
}

export interface LoadLimits {
  maxManifestBytes: number;
}

export const DEFAULT_LOAD_LIMITS: LoadLimits = { maxManifestBytes: 10 * 1024 * 1024 };

/** Problems kept per part of `answers`; the rest are counted in one more. */
export const MAX_ISSUES_PER_PART = 20;

/**
 * Where a JSON document breaks, as "line L, column C": Node 20's JSON.parse does not always
 * say, so the position comes from jsonc-parser's strict scan of the same text.
 */
export function jsonErrorWhere(source: string): string {
  const errors: ParseError[] = [];
  parseTree(source, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return 'the file could not be parsed';
  const before = source.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - before.lastIndexOf('\n');
  return `${printParseErrorCode(first.error)} at line ${line}, column ${column}`;
}

/** Parses one part; unknown keys are dropped with a warning instead of failing the part. */
function parsePart(id: PartId, value: unknown, warnings: string[], file: string = MANIFEST): { data?: unknown; errors: Issue[] } {
  const schema = PART_SCHEMAS[id] as z.ZodType;
  let current = value;
  for (let attempt = 0; attempt < 8; attempt++) {
    const parsed = schema.safeParse(current, { reportInput: true });
    if (parsed.success) return { data: parsed.data, errors: [] };
    const unknown = parsed.error.issues.filter((i) => i.code === 'unrecognized_keys');
    const other = parsed.error.issues.filter((i) => i.code !== 'unrecognized_keys');
    if (other.length > 0 || unknown.length === 0) {
      // Bounded: an array of a million wrong values is one mistake, not a million lines.
      const issues = parsed.error.issues.map((i) => issueOf(file, ['answers', id], i));
      if (issues.length <= MAX_ISSUES_PER_PART) return { errors: issues };
      return { errors: [...issues.slice(0, MAX_ISSUES_PER_PART), { code: 'more', path: `${file} answers.${id}`, text: `and ${issues.length - MAX_ISSUES_PER_PART} more problems like these` }] };
    }
    for (const issue of unknown) warnings.push(`${formatIssue(file, ['answers', id], issue)}; ignored`);
    current = structuredClone(current);
    for (const issue of unknown) {
      let node = current as Record<PropertyKey, unknown>;
      for (const key of issue.path) node = node[key] as Record<PropertyKey, unknown>;
      for (const key of issue.keys) delete node[key];
    }
  }
  return { errors: [{ code: 'too_many_unknown_fields', path: `${file} answers.${id}`, text: 'too many unknown fields' }] };
}

/** Files under `dir`, two levels deep at most, without following links. */
async function listFiles(dir: string): Promise<{ name: string; bytes: number }[]> {
  const out: { name: string; bytes: number }[] = [];
  const walk = async (sub: string, depth: number) => {
    const entries = await readdir(join(dir, sub), { withFileTypes: true }).catch(() => []);
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.length >= 100) return;
      const name = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory() && depth < 2 && e.name !== 'node_modules') await walk(name, depth + 1);
      else if (e.isFile()) out.push({ name, bytes: (await stat(join(dir, name))).size });
    }
  };
  await walk('', 0);
  return out;
}

export async function loadSubmission(dir: string, limits: LoadLimits = DEFAULT_LOAD_LIMITS): Promise<LoadedSubmission> {
  const result: LoadedSubmission = {
    id: submissionIdOf(dir), dir: resolve(dir), answers: {}, problems: [], partErrors: {}, warnings: [], hash: '',
  };
  result.files = await listFiles(dir);
  const file = join(dir, MANIFEST);
  // lstat, not stat: hw2.json as a link (to a neighbour's, say) is refused below, not followed.
  const info = await lstat(file).catch(() => undefined);
  if (!info) {
    // A notebook handed in alone carries hw2.json as the kit's answers output.
    const embedded = await answersInNotebook(dir, result.files, limits);
    if (embedded && 'problem' in embedded) {
      result.problems.push(`${MANIFEST} not found in the submission, and ${embedded.problem}: every automatic check is scored as not submitted`);
      return result;
    }
    if (embedded) {
      result.warnings.push(`${MANIFEST} is not in the submission: the answers were read from ${embedded.shown}, where the kit displayed them`);
      result.hash = createHash('sha256').update(embedded.text).digest('hex');
      readManifest(result, embedded.text, embedded.shown);
      return result;
    }
    // The folder is a temporary copy: naming it would tell the student nothing.
    result.problems.push(`${MANIFEST} not found in the submission: every automatic check is scored as not submitted`);
    return result;
  }
  if (info.isFile() && info.size > limits.maxManifestBytes) {
    result.problems.push(
      `${MANIFEST} is ${(info.size / 1024 / 1024).toFixed(1)} MB, larger than the ${(limits.maxManifestBytes / 1024 / 1024).toFixed(0)} MB limit; it was not read`,
    );
    return result;
  }
  const read = await readSubmissionFile(dir, MANIFEST, limits.maxManifestBytes, '');
  if (!read.ok) {
    result.problems.push(`${read.message}: every automatic check is scored as not submitted`);
    return result;
  }
  const bytes = read.bytes;
  result.hash = createHash('sha256').update(bytes).digest('hex');
  // Windows editors save UTF-8 with a byte-order mark; JSON forbids it, but it is not an answer.
  const text = bytes.toString('utf8');
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (source !== text) result.warnings.push(`${MANIFEST} starts with a byte-order mark (as some Windows editors save UTF-8); it was ignored`);
  readManifest(result, source, MANIFEST);
  return result;
}

/**
 * hw2.json as the kit displayed it in the pair's notebook (its ANSWERS_MIME output), when
 * the notebook is all there is; undefined when no notebook holds one.
 */
async function answersInNotebook(dir: string, files: { name: string; bytes: number }[] | undefined, limits: LoadLimits): Promise<{ text: string; shown: string } | { problem: string } | undefined> {
  const chosen = chooseNotebook(files ?? []);
  if (!chosen) return undefined;
  // A notebook holds images and outputs besides the answers: it may be larger than hw2.json.
  const read = await readSubmissionFile(dir, chosen.name, limits.maxManifestBytes * 5, 'the notebook');
  if (!read.ok) return undefined;
  const parsed = parseNotebook(read.bytes.toString('utf8'), chosen.name);
  if (!parsed.ok || !parsed.facts.answers) return undefined;
  const { cell, value } = parsed.facts.answers;
  const shown = `${chosen.name} (the output of cell ${cell + 1}, ${ANSWERS_MIME})`;
  // Jupyter stores a JSON output as JSON; a front end that stored it as text is read the same.
  const text = typeof value === 'string' ? value : Array.isArray(value) && value.every((v) => typeof v === 'string') ? value.join('') : JSON.stringify(value);
  if (Buffer.byteLength(text) > limits.maxManifestBytes) return { problem: `the answers in ${shown} are larger than the ${(limits.maxManifestBytes / 1024 / 1024).toFixed(0)} MB limit of ${MANIFEST}` };
  return { text, shown };
}

/** hw2.json's text (from the file, or from the notebook as `file` names it) into `result`. */
function readManifest(result: LoadedSubmission, source: string, file: string): void {
  const parsed = parseBoundedJson(source, file, MANIFEST_JSON_LIMITS);
  if (!parsed.ok) {
    // The position comes from a strict scan that is safe here: depth was checked first.
    result.problems.push(parsed.syntax ? `${file} is not valid JSON: ${jsonErrorWhere(source)}` : parsed.message);
    return;
  }
  result.warnings.push(...parsed.dropped);
  const raw = parsed.value;
  const envelope = Manifest.safeParse(raw, { reportInput: true });
  if (!envelope.success) {
    const unknownOnly = envelope.error.issues.every((i) => i.code === 'unrecognized_keys' && i.path.length === 0);
    const messages = envelope.error.issues.map((i) => formatIssue(file, [], i));
    if (!unknownOnly) {
      result.problems.push(...messages);
      return;
    }
    result.warnings.push(...messages.map((m) => `${m}; ignored`));
  }
  const manifest = raw as { group: { ids: string[]; names?: string[] }; answers?: Record<string, unknown> };
  result.group = manifest.group;
  for (const id of manifest.group.ids) {
    if (!/^\d{9}$/.test(id)) result.warnings.push(`${file} group.ids: ${JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id)} is not a 9-digit id`);
  }
  mergeParts(result, manifest.answers ?? {}, file);
}

/** Validates each part of `answers` from `file` and puts it over what `sub` already has. */
function mergeParts(sub: LoadedSubmission, parts: Record<string, unknown>, file: string): void {
  const answers: Record<string, unknown> = { ...sub.answers };
  for (const [key, value] of Object.entries(parts)) {
    // Own keys only: "constructor" or "__proto__" are "in" every object and name no part.
    if (!Object.hasOwn(PART_SCHEMAS, key)) {
      sub.warnings.push(`${file} answers.${key}: unknown part (expected one of ${Object.keys(PART_SCHEMAS).join(', ')}); ignored`);
      continue;
    }
    const part = parsePart(key as PartId, value, sub.warnings, file);
    if (part.errors.length) {
      sub.partErrors[key as QuestionId] = part.errors;
      delete answers[key];
    } else {
      answers[key] = part.data;
      delete sub.partErrors[key as QuestionId];
    }
  }
  sub.answers = answers as Answers;
}

/** The solution module's `answers` export: each part it gives replaces hw2.json's. */
export function applyAnswerOverride(sub: LoadedSubmission, value: unknown, file: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    sub.warnings.push(`${file} export answers: expected an object shaped like hw2.json's answers, found ${describeValue(value)}; ignored`);
    return;
  }
  mergeParts(sub, value as Record<string, unknown>, `${file} export`);
}
