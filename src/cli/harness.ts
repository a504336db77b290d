/**
 * Every call the CLI makes into the rest of the harness (checks, reference, engine, intake,
 * data, models, sandbox, training), in one file: when those APIs change, this is the file that
 * follows them, and the commands do not. Each function loads its module on first use, so a
 * command pays only for what it calls (`hw2 schema` never loads the checks or TensorFlow.js).
 * The reporters (src/report/reporters.ts) are the CLI's plugins and are used directly; the
 * terminal tables (table.ts) read the score module for what they print.
 */
import type { Unit } from '../intake/discover.ts';
import type { BatchOptions, BatchOutcome } from '../engine/batch.ts';
import type { ManualEntry } from '../engine/manual.ts';
import type { Rubric } from '../rubric/rubric.ts';
import type { SubmissionResult } from '../core/vocabulary.ts';
import type { ParsedResult } from '../core/result-schema.ts';
import type { Registry } from '../registry/define.ts';
import type { SvhnSplit } from '../data/fetch.ts';
import type { MlpOptions } from '../train/mlp.ts';
import type { CnnOptions } from '../train/cnn.ts';
import type { BackendName } from '../tf/runtime.ts';
import { DataError } from '../core/errors.ts';

export type { BackendName, ManualEntry, Registry, Rubric, SubmissionResult, SvhnSplit, Unit };

/**
 * The rubric in `file` (default: the harness's reference/rubric.json) over the checks' own
 * entries: a check it does not name keeps its definition's points and visibility.
 */
export async function loadRubric(file: string | undefined): Promise<Rubric> {
  const [{ DEFAULT_RUBRIC_PATH, loadRubric: load }, { RUBRIC_DEFAULTS }] = await Promise.all([import('../rubric/rubric.ts'), import('../../checks/index.ts')]);
  return load(file ?? DEFAULT_RUBRIC_PATH, RUBRIC_DEFAULTS);
}

/** The registry: every check, in report order. */
export async function registry(): Promise<Registry> {
  return (await import('../../checks/index.ts')).REGISTRY;
}

/** `hw2 rubric`'s lines, or the README's table of checks with `markdown`. */
export async function rubricText(rubric: Rubric, markdown: boolean): Promise<string> {
  const [{ checksTable, rubricListing }, checks] = await Promise.all([import('../registry/describe.ts'), registry()]);
  return markdown ? checksTable(checks, rubric) : rubricListing(checks, rubric).join('\n');
}

export async function referenceTopics(): Promise<readonly string[]> {
  return (await import('../../reference/index.ts')).REFERENCE_TOPICS;
}

/** The reference answers of a topic (one of referenceTopics()), as the checks use them. */
export async function referenceAnswer(topic: string, rubric: Rubric): Promise<unknown> {
  const reference = await import('../../reference/index.ts');
  return reference.referenceAnswer(topic as (typeof reference.REFERENCE_TOPICS)[number], rubric);
}

export async function task1OverSeeds(seeds: number): Promise<unknown> {
  return (await import('../../reference/index.ts')).task1OverSeeds(seeds);
}

export async function jsonSchema(): Promise<unknown> {
  return (await import('../contract/schema.ts')).jsonSchema();
}

/** types/solution.d.ts, as `hw2 types` prints it. */
export async function solutionTypes(): Promise<string> {
  return (await import('../sandbox/typecheck.ts')).readTypes();
}

/** TA points from a manual CSV's text; a bad file is an Error whose message names the line. */
export async function parseManualCsv(text: string, file: string): Promise<ManualEntry[]> {
  return (await import('../engine/manual.ts')).parseManualCsv(text, file);
}

/** What is wrong with TA points once the results are known, one line each (empty: all good). */
export async function validateManual(entries: ManualEntry[], results: SubmissionResult[], file: string): Promise<string[]> {
  return (await import('../engine/manual.ts')).validateManual(entries, results, file);
}

/**
 * The submissions under `paths` (Moodle's download included), in the part `shard` names; the
 * temporary folders to remove after grading; warnings about what was found.
 */
export async function findSubmissions(paths: readonly string[], rubric: Rubric, options: { roster?: string; shard?: { index: number; count: number } }) {
  const [{ discover, shardOf }, { loadRoster }] = await Promise.all([import('../intake/discover.ts'), import('../intake/roster.ts')]);
  const warnings: string[] = [];
  const { units: all, cleanup } = await discover(paths, rubric.limits.zip, warnings, options.roster ? { roster: await loadRoster(options.roster) } : {});
  const shard = options.shard;
  const units = shard ? all.filter((u) => shardOf(u.id, shard.count) === shard.index - 1) : all;
  return { all, units, cleanup, warnings };
}

/** One line per test set: what Task 2–3 will be measured on. */
export async function dataLines(dataDir: string | undefined): Promise<string[]> {
  const { planGradingData, planLines } = await import('../data/plan.ts');
  return planLines(await planGradingData(dataDir));
}

/** Grades the units with the registry's checks: the engine is given the checks, it imports none. */
export async function gradeBatch(units: Unit[], rubric: Rubric, options: BatchOptions): Promise<BatchOutcome> {
  const [{ gradeBatch: grade }, checks] = await Promise.all([import('../engine/batch.ts'), registry()]);
  return grade(units, checks, rubric, options);
}

/** Stops the model evaluator child, if one was started. */
export async function disposeEvaluator(): Promise<void> {
  await (await import('../models/evaluate.ts')).disposeEvaluator();
}

/** A result.json read back (merge), checked against this harness's shape (resultVersion included). */
export async function parseResult(value: unknown): Promise<ParsedResult> {
  return (await import('../core/result-schema.ts')).parseResult(value);
}

/** A result.json read back (merge): totals recomputed by the one scoring module. */
export async function withTotals(result: SubmissionResult): Promise<SubmissionResult> {
  return (await import('../core/score.ts')).withTotals(result);
}

export async function fetchFashion(dir: string, log: (line: string) => void): Promise<void> {
  await (await import('../data/fetch.ts')).fetchFashion(dir, log);
}

export async function fetchSvhn(dir: string, splits: SvhnSplit[], log: (line: string) => void): Promise<void> {
  await (await import('../data/fetch.ts')).fetchSvhn(dir, splits, log);
}

/** A missing dataset while training is the machine's lack, not bad usage: E_DATA (exit 1). */
async function dataFaultsAsErrors<T>(f: () => Promise<T>): Promise<T> {
  const { DatasetError } = await import('../data/datasets.ts');
  try {
    return await f();
  } catch (error) {
    throw error instanceof DatasetError ? new DataError(error.message) : error;
  }
}

/** TensorFlow.js's backend: forced to `backend` when given; the name of the one in use. */
export async function tfBackend(backend?: BackendName): Promise<() => string> {
  const runtime = await import('../tf/runtime.ts');
  if (backend) await runtime.tensorflow(backend);
  return runtime.backendInUse;
}

export async function mlpDefaults(): Promise<Omit<MlpOptions, 'out'>> {
  return (await import('../train/mlp.ts')).MLP_DEFAULTS;
}

export async function trainMlp(options: MlpOptions) {
  const { trainMlp: train } = await import('../train/mlp.ts');
  return dataFaultsAsErrors(() => train(options));
}

export async function cnnDefaults(): Promise<Omit<CnnOptions, 'out'>> {
  return (await import('../train/cnn.ts')).CNN_DEFAULTS;
}

export async function trainCnn(options: CnnOptions) {
  const { trainCnn: train } = await import('../train/cnn.ts');
  return dataFaultsAsErrors(() => train(options));
}

/** `hw2 similarity`: the course under `paths` read (an out-dir of grade, or submissions) and every pair ranked. */
export async function similarity(paths: readonly string[], template: string | undefined) {
  const [{ readBase, readCourse }, { compare }] = await Promise.all([import('../similarity/read.ts'), import('../similarity/score.ts')]);
  const [course, base] = await Promise.all([readCourse(paths), readBase(template)]);
  return { course, report: compare(course.profiles, base) };
}
