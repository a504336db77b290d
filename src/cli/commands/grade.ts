/**
 * `hw2 grade <path...>` and `hw2 check <folder|zip>` (student mode): find the submissions,
 * grade them through the engine, feed every result to the reporters picked with --reporter,
 * print a table. Exit code: 0 graded; 1 points held back, a harness fault or a file not
 * written (each named on stderr); a usage error is thrown.
 */
import { rmSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors.ts';
import { Reporters, reportersOf, type RunNotes } from '../../report/reporters.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import * as harness from '../harness.ts';
import type { ManualEntry, SubmissionResult, Unit } from '../harness.ts';
import type { Options } from '../options.ts';
import { bar, duration } from '../progress.ts';
import { heldBackCauses, idConflictLines, resultLines, summaryLines, withheldGradeLines } from '../table.ts';
import { terminalLine } from '../../util/text.ts';

async function readManual(file: string | undefined): Promise<ManualEntry[] | undefined> {
  if (!file) return undefined;
  const text = await readFile(file, 'utf8').catch(() => {
    throw new UsageError(`--manual ${file}: cannot read the file`);
  });
  try {
    return await harness.parseManualCsv(text, file);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A one-line progress bar on a terminal; nothing extra elsewhere (the tables say it all). */
function progress(): ((e: { unit: { id: string }; done: number; total: number }) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  const started = Date.now();
  return ({ unit, done, total }) => {
    const eta = done ? ((Date.now() - started) / done) * (total - done) / 1000 : NaN;
    process.stderr.write(`\r${bar(done / total)} ${done}/${total} ${terminalLine(unit.id).slice(0, 30).padEnd(30)} ETA ${duration(eta)} ${done === total ? '\n' : ''}`);
  };
}

export async function command(opts: Options): Promise<ExitCode> {
  const mode = opts.command === 'check' ? 'check' : 'grade';
  const paths = opts.args;
  if (mode === 'check' && paths.length !== 1) throw new UsageError('hw2 check: name exactly one submission folder');
  if (!paths.length) throw new UsageError(`hw2 ${mode}: name at least one submission folder`);
  const rubric = await harness.loadRubric(opts.rubric);
  // Read before discovery extracts anything, so a bad CSV leaves no temporary folder behind.
  const manual = await readManual(opts.manual);
  const { all, units, cleanup, warnings } = await harness.findSubmissions(paths, rubric, { ...(opts.roster ? { roster: opts.roster } : {}), ...(opts.shard ? { shard: opts.shard } : {}) });
  // Ctrl-C or a CI's SIGTERM: the extracted submissions and the evaluator's folder (its noise
  // field is 320 MB) go with the process, as they do at the end of a run.
  onInterrupt(cleanup);
  const inRun = (e: ManualEntry) => units.some((u: Unit) => u.id === e.submission);
  for (const w of warnings) console.error(terminalLine(`hw2: ${w}`));
  let reporters: Reporters | undefined;
  let outcome: Awaited<ReturnType<typeof harness.gradeBatch>>;
  let notes: RunNotes = { refusedGrades: [], idConflicts: [] };
  try {
    try {
      // One line per data source, before anything is graded: a TA sees what Task 2–3 will be measured on.
      if (!opts.quiet) for (const line of await harness.dataLines(opts.dataDir)) console.log(line);
      // A check run writes no run files (no summary or sheets): only its submission's.
      reporters = await Reporters.create(mode === 'check' ? reportersOf(opts.reporters, 'submission') : opts.reporters, {
        jobs: opts.jobs, allowIncomplete: opts.allowIncomplete, ...(opts.chromium ? { chromium: opts.chromium } : {}),
        warn: (line) => console.error(terminalLine(`hw2: ${line}`)),
      });
      const showProgress = opts.quiet ? undefined : progress();
      await mkdir(opts.out, { recursive: true });
      // Every manual row must name a submission and a check that exist: check before grading.
      if (manual) {
        const stray = manual.filter((e) => !inRun(e) && !(opts.shard && all.some((u) => u.id === e.submission)));
        if (stray.length) throw new UsageError(stray.map((e) => `${opts.manual} line ${e.line}: unknown submission "${e.submission}"`).join('\n'));
      }
      const sink = reporters;
      outcome = await harness.gradeBatch(units, rubric, {
        out: opts.out, mode, seed: opts.seed, jobs: opts.jobs, ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
        ...(manual ? { manual: manual.filter(inRun) } : {}),
        onResult: (result, dir) => sink.submission(result, dir),
        onDone: (e) => {
          showProgress?.(e);
          if (!opts.quiet) {
            if (showProgress) process.stderr.write('\r\x1b[K');
            console.log(`${resultLines(e.result, opts.verbose).join('\n')}${e.cached ? '\n  (unchanged since the last run: result reused)' : ''}\n`);
          }
        },
      });
    } finally {
      await harness.disposeEvaluator();
      for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
    }
    if (manual) {
      const problems = await harness.validateManual(manual.filter(inRun), outcome.results, opts.manual!);
      if (problems.length) throw new UsageError(problems.join('\n'));
    }
    if (mode === 'grade') notes = await reporters.run(outcome.results, opts.out);
  } finally {
    await reporters?.close();
  }
  return report(outcome.results, outcome, notes, [...reporters.faults, ...outcome.writeFaults], opts, all.length);
}

/** The end of a run on the terminal: what grades.csv left out, the table, the faults; the exit code. */
function report(results: SubmissionResult[], outcome: { harnessFaults: string[]; cached: number }, notes: RunNotes, writeFaults: string[], opts: Options, found: number): ExitCode {
  for (const line of [...withheldGradeLines(notes.refusedGrades), ...idConflictLines(notes.idConflicts)]) console.error(`hw2: ${line}`);
  if (results.length > 1) console.log(summaryLines(results).join('\n'));
  const reused = outcome.cached ? `; ${outcome.cached} unchanged since the last run were reused` : '';
  console.log(`\n${results.length} graded${opts.shard ? ` (shard ${opts.shard.index}/${opts.shard.count} of ${found})` : ''}${reused}. Results under ${resolve(opts.out)}`);
  for (const f of writeFaults) console.error(`hw2: could not write ${f}`);
  if (outcome.harnessFaults.length) console.error(terminalLine(`Not fully graded (harness faults): ${outcome.harnessFaults.join('; ')}`));
  const heldBack = heldBackCauses(results);
  for (const line of heldBack) console.error(terminalLine(`hw2: not graded yet: ${line}`));
  return outcome.harnessFaults.length || heldBack.length || writeFaults.length ? EXIT.notFullyGraded : EXIT.graded;
}

/** Turns SIGINT and SIGTERM into an exit (128 + the signal's number), removing `folders` first. */
function onInterrupt(folders: string[]): void {
  const stop = (code: number) => () => {
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
    process.exit(code);
  };
  process.once('SIGINT', stop(130));
  process.once('SIGTERM', stop(143));
}
