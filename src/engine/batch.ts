/**
 * Grades many submissions: `jobs` at a time, each result written atomically the moment it
 * is done and keyed by content, so a re-run skips what is finished and a killed run loses
 * only the submissions in flight. TA points merge in after grading without re-running checks.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Unit } from '../intake/discover.ts';
import type { Printer } from '../report/pdf.ts';
import { writeSubmissionOutputs } from '../report/outputs.ts';
import { cacheKey } from './cache.ts';
import { applyManual, type ManualEntry } from './manual.ts';
import { gradePath } from './pipeline.ts';
import type { Rubric } from './rubric.ts';
import type { SubmissionResult } from './types.ts';

export interface BatchOptions {
  out: string;
  mode: 'grade' | 'check';
  seed: number;
  jobs: number;
  dataDir?: string;
  printer?: Printer;
  manual?: ManualEntry[];
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

async function previous(dir: string): Promise<SubmissionResult | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, 'result.json'), 'utf8')) as SubmissionResult;
  } catch {
    return undefined;
  }
}

export async function gradeBatch(units: Unit[], rubric: Rubric, options: BatchOptions): Promise<BatchOutcome> {
  const results: (SubmissionResult | undefined)[] = new Array(units.length);
  const outcome: BatchOutcome = { results: [], harnessFaults: [], writeFaults: [], cached: 0 };
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < units.length) {
      const index = next++;
      const unit = units[index]!;
      const started = Date.now();
      const dir = join(options.out, unit.id);
      const key = await cacheKey(unit.path, rubric, options.seed, options.mode);
      const old = await previous(dir);
      let result: SubmissionResult;
      let cached = false;
      if (old?.cacheKey === key) {
        result = old;
        cached = true;
        outcome.cached++;
      } else {
        const graded = await gradePath(unit.path, rubric, { mode: options.mode, seed: options.seed, id: unit.id, warnings: unit.warnings, ...(options.dataDir ? { dataDir: options.dataDir } : {}) });
        result = { ...graded.result, cacheKey: key };
        if (graded.harnessFaults.length) outcome.harnessFaults.push(`${unit.id} (${graded.harnessFaults.join(', ')})`);
      }
      const merged = options.manual ? applyManual(result, options.manual) : result;
      // A cached result is written again only when TA points changed it.
      if (!cached || JSON.stringify(merged) !== JSON.stringify(old)) {
        await mkdir(dir, { recursive: true });
        await writeSubmissionOutputs(dir, merged, options.printer, outcome.writeFaults);
      }
      results[index] = merged;
      options.onDone?.({ unit, result: merged, cached, ms: Date.now() - started, done: ++done, total: units.length });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, units.length)) }, worker));
  outcome.results = results.filter((r): r is SubmissionResult => !!r);
  return outcome;
}
