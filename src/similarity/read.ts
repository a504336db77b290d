/**
 * Reads a course for `hw2 similarity`: from an output folder of `hw2 grade` (each
 * `<id>/result.json`, which says which answers were wrong, and the submission it names), or
 * from submissions themselves (folders, zips, Moodle's download: found by intake's discover).
 * Every submission is staged (intake's private, lstat-walked copy) and read only there:
 * hw2.json through the contract's loader, the notebook and draw files through
 * readSubmissionFile, within the same limits as grading.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { UsageError } from '../core/errors.ts';
import { parseResult } from '../core/result-schema.ts';
import type { SubmissionResult } from '../core/vocabulary.ts';
import { loadSubmission } from '../contract/load.ts';
import { discover } from '../intake/discover.ts';
import { readSubmissionFile } from '../intake/files.ts';
import { MANIFEST_JSON_LIMITS, parseBoundedJson } from '../intake/json.ts';
import { NOTEBOOK_NAME, notebookCells } from '../intake/notebook.ts';
import { DEFAULT_STAGE_LIMITS, removeStaged, stageSubmission } from '../intake/stage.ts';
import { DEFAULT_ZIP_LIMITS } from '../sandbox/zip.ts';
import { DRAW_FILE, drawOf, profileOf, type Draw, type Profile, type ProfileInput } from './evidence.ts';
import { baseOf, type Base } from './score.ts';

/** Largest notebook, result.json or draw file read (a larger one is named in the notes and skipped). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Submissions read at once. */
const PARALLEL = 4;

export interface Course {
  profiles: Profile[];
  /** The results read from an output folder (empty when reading submissions). */
  results: SubmissionResult[];
  notes: string[];
}

const isDir = async (p: string) => (await lstat(p).catch(() => undefined))?.isDirectory() ?? false;

/** The `<id>/result.json` files under `dir`, or none when it is not an output folder. */
async function resultFolders(dir: string): Promise<string[]> {
  if (!(await isDir(dir))) return [];
  const names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const out: string[] = [];
  for (const name of names) if ((await lstat(join(dir, name, 'result.json')).catch(() => undefined))?.isFile()) out.push(name);
  return out;
}

async function readResult(dir: string, name: string): Promise<SubmissionResult | string> {
  const file = `${name}/result.json`;
  const read = await readSubmissionFile(dir, file, MAX_FILE_BYTES, '');
  if (!read.ok) return read.message;
  const json = parseBoundedJson(read.bytes.toString('utf8'), file, { ...MANIFEST_JSON_LIMITS, maxValues: 5_000_000 });
  if (!json.ok) return json.message;
  const parsed = parseResult(json.value);
  return parsed.ok ? parsed.result : `${file}: ${parsed.message}`;
}

/** What one submission holds, read from its staged copy. */
async function readSubmission(path: string, id: string, result: SubmissionResult | undefined, notes: string[]): Promise<Profile> {
  const input: ProfileInput = { id, ...(result ? { result } : {}) };
  const staged = await stageSubmission(path, basename(path), DEFAULT_STAGE_LIMITS, DEFAULT_ZIP_LIMITS);
  if (!staged.ok) {
    notes.push(`${id}: ${staged.message}; only its result was compared`);
    return profileOf(input);
  }
  try {
    const sub = await loadSubmission(staged.dir);
    input.answers = sub.answers;
    const files = sub.files ?? [];
    const notebooks = files.filter((f) => f.name.endsWith('.ipynb') && !f.name.includes('.ipynb_checkpoints'));
    const notebook = notebooks.find((f) => NOTEBOOK_NAME.test(basename(f.name))) ?? notebooks[0];
    if (notebook) {
      const read = await readSubmissionFile(staged.dir, notebook.name, MAX_FILE_BYTES, 'the notebook');
      const cells = read.ok ? notebookCells(read.bytes.toString('utf8'), notebook.name) : read;
      if (cells.ok) input.cells = cells.cells;
      else notes.push(`${id}: ${cells.message}`);
    }
    const histories = new Set([sub.answers.task2?.history, sub.answers.task3?.history].filter((h): h is string => typeof h === 'string'));
    const draws: Draw[] = [];
    for (const f of files) {
      if (!DRAW_FILE.test(f.name) && !histories.has(f.name) && !f.name.startsWith('history/')) continue;
      const read = await readSubmissionFile(staged.dir, f.name, MAX_FILE_BYTES, 'a draw');
      if (!read.ok) {
        notes.push(`${id}: ${read.message}`);
        continue;
      }
      const draw = drawOf(f.name, read.bytes);
      if (draw) draws.push(draw);
    }
    input.draws = draws;
  } finally {
    await removeStaged(staged.root);
  }
  return profileOf(input);
}

async function inParallel<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  }));
  return out;
}

/**
 * The course under `paths`: one output folder of `hw2 grade` (results and the submissions
 * they name), or submissions (a folder of them, zips, Moodle's download).
 */
export async function readCourse(paths: readonly string[]): Promise<Course> {
  const notes: string[] = [];
  const outFolders = paths.length === 1 ? await resultFolders(paths[0]!) : [];
  if (outFolders.length) {
    const dir = paths[0]!;
    const read = await inParallel(outFolders, async (name) => {
      const result = await readResult(dir, name);
      if (typeof result === 'string') {
        notes.push(`${name}: ${result}; left out`);
        return undefined;
      }
      const path = result.submission.path;
      if (!(await lstat(path).catch(() => undefined))) {
        notes.push(`${result.submission.id}: its submission ${path} is no longer there; only its result was compared`);
        return { result, profile: profileOf({ id: result.submission.id, result }) };
      }
      return { result, profile: await readSubmission(path, result.submission.id, result, notes) };
    });
    const ok = read.filter((r) => r !== undefined);
    return { profiles: ok.map((r) => r.profile), results: ok.map((r) => r.result), notes: notes.sort() };
  }
  const found = await discover(paths, DEFAULT_ZIP_LIMITS, notes);
  try {
    const units = found.units.filter((u) => {
      if (u.problem) notes.push(`${u.id}: ${u.problem}; left out`);
      return !u.problem;
    });
    const profiles = await inParallel(units, (u) => readSubmission(u.path, u.id, undefined, notes));
    notes.push('No result.json was read, so shared wrong answers are not compared: run hw2 similarity on the output folder of hw2 grade for them.');
    return { profiles, results: [], notes: notes.sort() };
  } finally {
    for (const dir of found.cleanup) await removeStaged(dir);
  }
}

/** The homework's own text, as the course handed it out (src/similarity/base/hw2.md). */
export const HOMEWORK_TEXT = new URL('./base/hw2.md', import.meta.url);

/**
 * The base: the homework's text always, and the template's cells when a TA names the course's
 * notebook (or a text file) with --template: what every pair was given is nobody's evidence.
 */
export async function readBase(template?: string): Promise<Base> {
  const text = [await readFile(HOMEWORK_TEXT, 'utf8')];
  const code: string[] = [];
  if (template) {
    const bytes = await readFile(template).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`--template ${template}: ${error.code === 'ENOENT' ? 'not found' : `could not be read (${error.code ?? error.message})`}`);
    });
    if (extname(template).toLowerCase() === '.ipynb') {
      const cells = notebookCells(bytes.toString('utf8'), template);
      if (!cells.ok) throw new UsageError(`--template: ${cells.message}`);
      for (const c of cells.cells) (c.type === 'code' ? code : text).push(c.source);
    } else {
      text.push(bytes.toString('utf8'));
    }
  }
  return baseOf({ code, text });
}
