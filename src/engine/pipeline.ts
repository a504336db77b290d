/**
 * One submission, from a path to a result: unzip if needed, read hw2.json, run the
 * solution module's probes in the sandbox, let its `answers` export override hw2.json, grade.
 * Each step's failure is the submission's own and is reported in its result.
 */
import { readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CHECKS } from '../../checks/index.ts';
import { applyAnswerOverride, loadSubmission, submissionIdOf, type LoadedSubmission } from '../contract/load.ts';
import { extractZip } from '../sandbox/zip.ts';
import { findSolution } from '../sandbox/transpile.ts';
import { readArrays } from '../data/attachments.ts';
import { collectHistories, collectModels } from '../models/collect.ts';
import { NOTEBOOK_NAME, parseNotebook, type ParsedNotebook } from '../intake/notebook.ts';
import { gradeSubmission, type Graded } from './grade.ts';
import type { Rubric } from './rubric.ts';
import { NO_SOLUTION, probeSolution, type SolutionData } from './solution.ts';

export interface PipelineOptions {
  mode: 'grade' | 'check';
  seed: number;
  /** The submission's id when the caller knows better than the folder's name (Moodle batches). */
  id?: string;
  /** Warnings found before grading (a pair that submitted twice, say). */
  warnings?: string[];
  /** Where the datasets are (else $HW2_DATA, then Debian's /usr/share/datasets). */
  dataDir?: string;
}

/** The pair's notebook: the one named by the course's pattern, else the only .ipynb. */
async function readNotebook(dir: string, files: { name: string; bytes: number }[], maxBytes: number): Promise<ParsedNotebook | undefined> {
  const notebooks = files.filter((f) => f.name.endsWith('.ipynb') && !f.name.includes('.ipynb_checkpoints'));
  const chosen = notebooks.find((f) => NOTEBOOK_NAME.test(basename(f.name))) ?? notebooks[0];
  if (!chosen) return undefined;
  if (chosen.bytes > maxBytes) return { ok: false, message: `${chosen.name} is ${chosen.bytes} bytes, more than the limit of ${maxBytes}` };
  return parseNotebook(await readFile(join(dir, chosen.name), 'utf8'), chosen.name);
}

export async function gradePath(path: string, rubric: Rubric, options: PipelineOptions): Promise<Graded> {
  let cleanup: string | undefined;
  try {
    let sub: LoadedSubmission;
    let solution: SolutionData = NO_SOLUTION;
    if (path.toLowerCase().endsWith('.zip')) {
      const extracted = await extractZip(path, rubric.limits.zip);
      if (!extracted.ok) {
        sub = { id: options.id ?? submissionIdOf(basename(path, '.zip')), dir: path, answers: {}, problems: [extracted.message], partErrors: {}, warnings: [...(options.warnings ?? [])], hash: '' };
        return gradeSubmission(sub, rubric, { ...options, solution });
      }
      cleanup = extracted.root;
      sub = await loadSubmission(extracted.dir, { maxManifestBytes: rubric.limits.maxManifestBytes });
      sub.id = submissionIdOf(basename(path, '.zip'));
    } else {
      sub = await loadSubmission(path, { maxManifestBytes: rubric.limits.maxManifestBytes });
    }
    if (options.mode === 'check') {
      // Students get their type errors before anything runs; graders need only behaviour.
      const entry = findSolution(sub.dir);
      if (entry && /\.m?ts$/.test(entry)) {
        // The TypeScript compiler is large: loaded only in student mode, where it is used.
        const { typecheckSolution } = await import('../sandbox/typecheck.ts');
        sub.warnings.push(...typecheckSolution(entry).map((m) => `type check: ${m}`));
      }
    }
    if (options.id) sub.id = options.id;
    sub.warnings.push(...(options.warnings ?? []));
    const probes = CHECKS.flatMap((c) => c.probes?.(rubric, options.seed) ?? []);
    solution = await probeSolution(sub.dir, probes, rubric.limits.sandbox);
    if (solution.answers !== undefined) applyAnswerOverride(sub, solution.answers, solution.file!);
    if (solution.loadError) sub.warnings.push(`${solution.loadError.message}; checks that need it score 0, the rest use hw2.json`);
    const arrays = await readArrays(sub, rubric.limits.sandbox.maxReturnBytes);
    const notebook = await readNotebook(sub.dir, sub.files ?? [], rubric.limits.maxManifestBytes * 5);
    const models = await collectModels(sub, rubric.limits.sandbox, options.seed, rubric.task3.noise, options.dataDir);
    const histories = await collectHistories(sub, rubric.limits.maxManifestBytes);
    return gradeSubmission(sub, rubric, { ...options, solution, arrays, models, histories, ...(notebook ? { notebook } : {}) });
  } finally {
    if (cleanup) await rm(cleanup, { recursive: true, force: true });
  }
}
