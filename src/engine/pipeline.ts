/**
 * One submission, from a path to a result: stage a private copy (src/intake/stage.ts: no
 * links, devices or FIFOs, sizes bounded, a zip extracted into the same shape), read
 * hw2.json, run the solution module's probes in the sandbox, let its `answers` export
 * override hw2.json, grade. Everything after staging reads only the staged copy, which is
 * removed at the end whatever happens. Each step's failure is the submission's own and is
 * reported in its result; messages name files as the submission names them, never the
 * temporary folder.
 */
import { basename, resolve } from 'node:path';
import { applyAnswerOverride, loadSubmission, type LoadedSubmission } from '../contract/load.ts';
import { submissionIdOf } from '../intake/names.ts';
import { findSolution } from '../sandbox/transpile.ts';
import { readArrays } from '../data/attachments.ts';
import { collectHistories, collectModels } from '../models/collect.ts';
import { NOTEBOOK_NAME, parseNotebook, type ParsedNotebook } from '../intake/notebook.ts';
import { readSubmissionFile } from '../intake/files.ts';
import { removeStaged, stageSubmission } from '../intake/stage.ts';
import { neededInputs, type Inputs, type Registry } from '../registry/define.ts';
import { NO_SOLUTION } from '../registry/solution-data.ts';
import type { Rubric } from '../rubric/rubric.ts';
import { gradeSubmission, isEnabled, type Graded } from './grade.ts';
import { probeSolution } from './solution.ts';

export interface PipelineOptions {
  mode: 'grade' | 'check';
  seed: number;
  /** The submission's id when the caller knows better than the folder's name (Moodle batches). */
  id?: string;
  /** Warnings found before grading (a pair that submitted twice, say). */
  warnings?: string[];
  /** Where the datasets are (else $HW2_DATA, then Debian's /usr/share/datasets). */
  dataDir?: string;
  /**
   * Why the submission was refused before grading (an upload that broke a limit of the
   * course's download, say): it then scores 0 with this reason and nothing of it is read.
   */
  problem?: string;
  /** onnxruntime's threads for this submission's models: the job's share of the cores (default 1). */
  modelThreads?: number;
  /** Told how long each stage took (intake, the solution module, each model, the checks…): for benches. */
  onStage?(stage: string, ms: number): void;
}

/** The pair's notebook: the one named by the course's pattern, else the only .ipynb. */
async function readNotebook(dir: string, files: { name: string; bytes: number }[], maxBytes: number): Promise<ParsedNotebook | undefined> {
  const notebooks = files.filter((f) => f.name.endsWith('.ipynb') && !f.name.includes('.ipynb_checkpoints'));
  const chosen = notebooks.find((f) => NOTEBOOK_NAME.test(basename(f.name))) ?? notebooks[0];
  if (!chosen) return undefined;
  const read = await readSubmissionFile(dir, chosen.name, maxBytes, 'the notebook');
  if (!read.ok) return { ok: false, message: read.message };
  return parseNotebook(read.bytes.toString('utf8'), chosen.name);
}

/**
 * Grades the submission at `path` with the registry's checks. Only what some enabled check
 * declared in `needs` is read, run or measured: a rubric that gives Task 2 no points costs no
 * model evaluation.
 */
export async function gradePath(path: string, registry: Registry, rubric: Rubric, options: PipelineOptions): Promise<Graded> {
  const isZip = path.toLowerCase().endsWith('.zip');
  const id = options.id ?? submissionIdOf(isZip ? basename(path).replace(/\.zip$/i, '') : path);
  /** A submission refused as a whole: every automatic check scores 0 with the reason. */
  const refused = (message: string): Graded => {
    const sub: LoadedSubmission = { id, dir: resolve(path), answers: {}, problems: [message], partErrors: {}, warnings: [...(options.warnings ?? [])], hash: '' };
    return gradeSubmission(sub, registry, rubric, { mode: options.mode, seed: options.seed });
  };
  if (options.problem) return refused(options.problem);
  let clock = performance.now();
  /** Ends a stage: tells onStage how long it took since the last one ended. */
  const lap = (stage: string) => {
    const now = performance.now();
    options.onStage?.(stage, now - clock);
    clock = now;
  };
  const staged = await stageSubmission(path, basename(path), rubric.limits.intake, rubric.limits.zip);
  if (!staged.ok) return refused(staged.message);
  try {
    const sub = await loadSubmission(staged.dir, { maxManifestBytes: rubric.limits.maxManifestBytes });
    lap('intake (staging, hw2.json)');
    sub.id = id;
    if (options.mode === 'check') {
      // Students get their type errors before anything runs; graders need only behaviour.
      const entry = findSolution(sub.dir);
      if (entry && /\.m?ts$/.test(entry)) {
        // The TypeScript compiler is large: loaded only in student mode, where it is used.
        const { typecheckSolution } = await import('../sandbox/typecheck.ts');
        sub.warnings.push(...typecheckSolution(entry).map((m) => `type check: ${m}`));
      }
    }
    sub.warnings.push(...(options.warnings ?? []));
    const enabled = registry.filter((c) => isEnabled(c, rubric));
    const needs = neededInputs(enabled);
    const inputs: Partial<Inputs> = {};
    // The module is always loaded when there is one: its `answers` export may answer any part.
    const probes = enabled.flatMap((c) => c.probes?.(rubric, options.seed) ?? []);
    const solution = await probeSolution(sub.dir, probes, rubric.limits.sandbox);
    inputs.solution = solution;
    if (solution.answers !== undefined) applyAnswerOverride(sub, solution.answers, solution.file!);
    if (solution.loadError) sub.warnings.push(`${solution.loadError.message}; checks that need it score 0, the rest use hw2.json`);
    lap('solution module');
    // Every reader below gets sub.dir, the staged copy, and nothing else.
    if (needs.has('arrays')) inputs.arrays = await readArrays(sub.dir, sub.answers, rubric.limits.sandbox.maxReturnBytes);
    // Manual checks show the notebook's answer when hw2.json has none: they read it too.
    if (needs.has('notebook') || enabled.some((c) => c.kind === 'manual')) inputs.notebook = await readNotebook(sub.dir, sub.files ?? [], rubric.limits.maxManifestBytes * 5);
    lap('Task 1 samples, notebook');
    if (needs.has('models')) {
      inputs.models = await collectModels(sub, { ...rubric.limits.models, requireOsIsolation: rubric.limits.sandbox.requireOsIsolation }, options.seed, rubric.task3.noise, options.dataDir, options.modelThreads ?? 1,
        (key, ms) => options.onStage?.(`model ${key}`, ms));
    }
    lap('models (all, with the evaluator\'s start-up)');
    if (needs.has('histories')) inputs.histories = await collectHistories(sub, rubric.limits.maxManifestBytes);
    // The result names the submission as the TA gave it, not the copy that is about to go.
    sub.dir = resolve(path);
    const graded = gradeSubmission(sub, registry, rubric, { mode: options.mode, seed: options.seed, inputs });
    lap('histories and checks (theory, Task 1 statistics, Tasks 2–3)');
    return graded;
  } finally {
    await removeStaged(staged.root);
  }
}
