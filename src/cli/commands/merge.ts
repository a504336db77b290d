/**
 * `hw2 merge`: joins the output folders of shard runs. Each `<dir>/<id>/result.json` is the
 * shard's record; the merged folder gets every submission's files (copied) and the run's
 * files made by the same reporters as a single run, so a merged grade sheet is the same as a
 * live one.
 */
import { cp, mkdir, readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from '../../core/errors.ts';
import { REPORTER_NAMES, Reporters, reportersOf, type ReporterName } from '../../report/reporters.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import * as harness from '../harness.ts';
import type { SubmissionResult } from '../harness.ts';
import type { Options } from '../options.ts';
import { idConflictLines, withheldGradeLines } from '../table.ts';

export interface MergeOptions {
  /** grades.csv writes the partial score of an incomplete submission. */
  allowIncomplete?: boolean;
  /** The run's files to write (default: every reporter's); per-submission files are copied as they are. */
  reporters?: readonly ReporterName[];
}

/** A shard's result.json, checked against this harness's shape; another shape is refused, named. */
async function checkResult(value: unknown, file: string): Promise<SubmissionResult> {
  const r = value as Partial<SubmissionResult> | null;
  if (r?.contract !== 1) throw new UsageError(`${file}: contract ${JSON.stringify(r?.contract)}; expected 1 (a result.json of hw2-harness)`);
  const parsed = await harness.parseResult(value);
  if (!parsed.ok) throw new UsageError(`${file}: ${parsed.message}`);
  // Totals are recomputed by the one scoring module, so a hand-edited total cannot slip through.
  return harness.withTotals(parsed.result);
}

export async function mergeCommand(dirs: string[], out: string, options: MergeOptions = {}): Promise<ExitCode> {
  if (!dirs.length) throw new UsageError('hw2 merge: name the output folders of the shards');
  const results = new Map<string, { result: SubmissionResult; from: string }>();
  const versions = new Set<string>();
  for (const dir of dirs) {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => {
      throw new UsageError(`${dir}: not a folder`);
    });
    for (const e of entries.filter((e) => e.isDirectory())) {
      const file = join(dir, e.name, 'result.json');
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw new UsageError(`${file}: not valid JSON (${(error as Error).message})`);
      }
      const result = await checkResult(parsed, file);
      // The id names the folder copied below: it must be this folder's own name, nothing that climbs out.
      if (result.submission.id !== e.name || !/^[0-9A-Za-z._-]+$/.test(e.name) || /^\.+$/.test(e.name)) {
        throw new UsageError(`${file}: submission.id ${JSON.stringify(result.submission.id.slice(0, 80))} is not the name of its folder, "${e.name}"`);
      }
      const earlier = results.get(result.submission.id);
      if (earlier) throw new UsageError(`${result.submission.id} is in two shards: ${earlier.from} and ${dir}; were the shards run with the same n?`);
      results.set(result.submission.id, { result, from: dir });
      versions.add(result.harness.version);
    }
  }
  if (!results.size) throw new UsageError(`no result.json under ${dirs.join(', ')}`);
  if (versions.size > 1) console.error(`hw2 merge: the shards were graded by different harness versions (${[...versions].join(', ')})`);
  await mkdir(out, { recursive: true });
  const sorted = [...results.values()].sort((a, b) => a.result.submission.id.localeCompare(b.result.submission.id));
  for (const { result, from } of sorted) {
    if (resolve(from) !== resolve(out)) await cp(join(from, result.submission.id), join(out, result.submission.id), { recursive: true });
  }
  // The submissions' own files were copied: only the run's files are written here.
  const reporters = await Reporters.create(reportersOf(options.reporters ?? REPORTER_NAMES, 'run'), {
    jobs: 1, allowIncomplete: !!options.allowIncomplete, warn: (line) => console.error(`hw2: ${line}`),
  });
  let notes;
  try {
    notes = await reporters.run(sorted.map((s) => s.result), out);
  } finally {
    await reporters.close();
  }
  for (const f of reporters.faults) console.error(`hw2: could not write ${f}`);
  for (const line of [...withheldGradeLines(notes.refusedGrades), ...idConflictLines(notes.idConflicts)]) console.error(`hw2: ${line}`);
  console.log(`Merged ${sorted.length} submissions from ${dirs.length} folders into ${resolve(out)}`);
  return reporters.faults.length ? EXIT.notFullyGraded : EXIT.graded;
}

export const command = (opts: Options): Promise<ExitCode> =>
  mergeCommand(opts.args, opts.out, { allowIncomplete: opts.allowIncomplete, reporters: opts.reporters });
