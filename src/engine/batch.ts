/**
 * Grades many submissions: `jobs` at a time, each result written atomically the moment it
 * is done and keyed by content, so a re-run skips what is finished and a killed run loses
 * only the submissions in flight. TA points merge in after grading without re-running checks.
 * Whatever throws while one submission is handled (intake, loading, a check, a writer)
 * becomes that submission's result, with the stack in DIR/logs/: the batch always goes on.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import type { Unit } from '../intake/discover.ts';
import { boundResult } from './bound.ts';
import { writeAtomic } from '../util/atomic.ts';
import { planFingerprint, planGradingData } from '../data/plan.ts';
import { cacheKey } from './cache.ts';
import { gradeSubmission } from './grade.ts';
import { applyManual, type ManualEntry } from './manual.ts';
import { gradePath } from './pipeline.ts';
import { parseResult } from '../core/result-schema.ts';
import { isIncomplete, withTotals } from '../core/score.ts';
import type { SubmissionResult } from '../core/vocabulary.ts';
import type { Registry } from '../registry/define.ts';
import type { Rubric } from '../rubric/rubric.ts';

export interface BatchOptions {
  out: string;
  mode: 'grade' | 'check';
  seed: number;
  jobs: number;
  dataDir?: string;
  manual?: ManualEntry[];
  /**
   * Called with each result that is new or changed (not one reused unchanged), its folder
   * made, before the engine writes result.json there: where the CLI's reporters write their
   * files. It should record its own faults, not throw: if it throws, result.json is not
   * written (the submission is regraded next run) and the fault is a write fault.
   */
  onResult?(result: SubmissionResult, dir: string): Promise<void>;
  /** Called as each submission finishes (or is found done): for progress displays. */
  onDone?(event: { unit: Unit; result: SubmissionResult; cached: boolean; ms: number; done: number; total: number }): void;
}

export interface BatchOutcome {
  results: SubmissionResult[];
  /** Submissions whose checks hit a fault of the harness. */
  harnessFaults: string[];
  /** Output files that could not be written. */
  writeFaults: string[];
  cached: number;
}

/** The result a previous run left, if it has this harness's shape (else it is regraded). */
async function previous(dir: string): Promise<SubmissionResult | undefined> {
  try {
    const parsed = parseResult(JSON.parse(await readFile(join(dir, 'result.json'), 'utf8')));
    return parsed.ok ? parsed.result : undefined;
  } catch {
    return undefined;
  }
}

/** Where a submission's unexpected failure is written in full (never shown to the student). */
export const logFile = (out: string, id: string) => join(out, 'logs', `${id}.log`);

async function logFault(out: string, id: string, error: unknown): Promise<void> {
  await mkdir(join(out, 'logs'), { recursive: true });
  const text = (error as Error)?.stack ?? String(error);
  await appendFile(logFile(out, id), `${new Date().toISOString()} ${text}\n`);
}

/**
 * The result of a submission the harness failed on: every check an error of the harness,
 * its points held back (not graded yet), nothing of the fault's text but where it is logged.
 */
export function harnessFaultResult(unit: Unit, registry: Registry, rubric: Rubric, mode: 'grade' | 'check', seed: number, where: string): SubmissionResult {
  const message = `Not graded yet: the harness failed while grading this submission (details for the course staff in ${where}).`;
  const { result } = gradeSubmission({ id: unit.id, dir: unit.origin, answers: {}, problems: [message], partErrors: {}, warnings: [...unit.warnings], hash: '' }, registry, rubric, { mode, seed });
  const checks = result.checks.map((c) => ({ ...c, status: 'error' as const, score: 0, message, cause: 'harness' as const }));
  return withTotals({ ...result, checks });
}

export async function gradeBatch(units: Unit[], registry: Registry, rubric: Rubric, options: BatchOptions): Promise<BatchOutcome> {
  const results: (SubmissionResult | undefined)[] = new Array(units.length);
  const outcome: BatchOutcome = { results: [], harnessFaults: [], writeFaults: [], cached: 0 };
  const data = planFingerprint(await planGradingData(options.dataDir));
  let next = 0;
  let done = 0;
  // Each job's model evaluator gets its share of the cores, so that --jobs N does not run N × cores threads.
  const modelThreads = Math.max(1, Math.floor(availableParallelism() / Math.max(1, options.jobs)));
  const gradeOne = async (unit: Unit): Promise<{ result: SubmissionResult; cached: boolean; old?: SubmissionResult }> => {
    const dir = join(options.out, unit.id);
    const key = await cacheKey(unit.path, { rubric, seed: options.seed, mode: options.mode, data, ...(unit.problem ? { problem: unit.problem } : {}) });
    const old = await previous(dir);
    // An incomplete result is never reused: what it lacked (a package, bubblewrap, a dataset
    // that now loads) may be there now, and not every such fix changes the key.
    if (old?.cacheKey === key && !isIncomplete(old)) return { result: old, cached: true, old };
    const graded = await gradePath(unit.path, registry, rubric, { mode: options.mode, seed: options.seed, id: unit.id, warnings: unit.warnings, modelThreads, ...(unit.problem ? { problem: unit.problem } : {}), ...(options.dataDir ? { dataDir: options.dataDir } : {}) });
    if (graded.harnessFaults.length) outcome.harnessFaults.push(`${unit.id} (${graded.harnessFaults.join(', ')})`);
    // Every string the submission controls is cut to the rubric's length before any output sees it.
    const bounded = boundResult(graded.result, rubric.limits.maxStringChars, rubric.limits.maxNameChars);
    return { result: { ...bounded, cacheKey: key }, cached: false, ...(old ? { old } : {}) };
  };
  const worker = async () => {
    while (next < units.length) {
      const index = next++;
      const unit = units[index]!;
      const started = Date.now();
      const dir = join(options.out, unit.id);
      let result: SubmissionResult;
      let cached = false;
      let old: SubmissionResult | undefined;
      try {
        ({ result, cached, old } = await gradeOne(unit));
      } catch (error) {
        await logFault(options.out, unit.id, error).catch(() => {});
        outcome.harnessFaults.push(`${unit.id} (unexpected error, logged in ${logFile(options.out, unit.id)})`);
        result = harnessFaultResult(unit, registry, rubric, options.mode, options.seed, `logs/${unit.id}.log`);
      }
      if (cached) outcome.cached++;
      const merged = options.manual ? applyManual(result, options.manual) : result;
      // A cached result is written again only when TA points changed it.
      if (!cached || JSON.stringify(merged) !== JSON.stringify(old)) {
        try {
          await mkdir(dir, { recursive: true });
          await options.onResult?.(merged, dir);
          // Written last: it marks the submission done for a resumed run.
          await writeAtomic(join(dir, 'result.json'), `${JSON.stringify(merged, null, 2)}\n`);
        } catch (error) {
          await logFault(options.out, unit.id, error).catch(() => {});
          outcome.writeFaults.push(`${unit.id} result.json: ${(error as Error)?.message ?? String(error)}`);
        }
      }
      results[index] = merged;
      options.onDone?.({ unit, result: merged, cached, ms: Date.now() - started, done: ++done, total: units.length });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, units.length)) }, worker));
  outcome.results = results.filter((r): r is SubmissionResult => !!r);
  return outcome;
}
