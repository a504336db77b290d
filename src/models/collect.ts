/**
 * The I/O step for Tasks 2–3 before grading: evaluate every model the pair declared and read
 * every history file, each confined to the submission folder. All models of one submission
 * share one evaluator child (src/models/evaluate.ts) and one evaluation budget (rubric
 * limits.models.submissionTimeoutMs).
 */
import { checkSubmissionFile, readSubmissionFile } from '../intake/files.ts';
import type { LoadedSubmission } from '../contract/load.ts';
import type { ModelRef } from '../contract/schema.ts';
import { parseHistory, type ParsedHistory } from '../data/history.ts';
import { planGradingData } from '../data/plan.ts';
import { DEFAULT_MODEL_LIMITS, ModelEvaluator, outOfBudget, type Evaluated, type ModelLimits } from './evaluate.ts';

/** Staging already bounds every file; this only keeps a model from being a folder, a link or empty. */
const MAX_MODEL_BYTES = 2 ** 31;

/**
 * `threads`: onnxruntime's threads in the evaluator, the job's share of the cores (a batch of
 * --jobs N on C cores gives each job C/N).
 */
export async function collectModels(sub: LoadedSubmission, limits: ModelLimits = DEFAULT_MODEL_LIMITS, seed: number, noise: number[], dataDir?: string, threads = 1,
  onModel?: (key: string, ms: number) => void): Promise<Record<string, Evaluated>> {
  const wanted: [string, ModelRef | undefined, 'fashion-mnist' | 'svhn', number[]][] = [
    ['task2.model', sub.answers.task2?.model, 'fashion-mnist', []],
    ['task2.reinitModel', sub.answers.task2?.reinitModel, 'fashion-mnist', []],
    ['task3.model', sub.answers.task3?.model, 'svhn', noise],
    ['task3.augmentedModel', sub.answers.task3?.augmentedModel, 'svhn', []],
  ];
  const out: Record<string, Evaluated> = {};
  if (!wanted.some(([, ref]) => ref)) return out;
  const plan = await planGradingData(dataDir);
  // Every file first: the evaluator's child may read the folders of these models and no others.
  const models: { key: string; ref: ModelRef; path: string; dataset: 'fashion-mnist' | 'svhn'; noise: number[] }[] = [];
  for (const [key, ref, dataset, noiseLevels] of wanted) {
    if (!ref) continue;
    const checked = await checkSubmissionFile(sub.dir, ref.path, MAX_MODEL_BYTES, `hw2.json answers.${key}.path`);
    if (!checked.ok) out[key] = { ok: false, message: checked.message };
    else models.push({ key, ref, path: checked.path, dataset, noise: noiseLevels });
  }
  const dataOf = (dataset: 'fashion-mnist' | 'svhn') => (dataset === 'svhn' ? plan.svhnTest.data : plan.fashionTest.data);
  const evaluator = new ModelEvaluator(models.map((m) => m.path), [...new Set(models.map((m) => dataOf(m.dataset)))], limits, threads);
  let used = 0;
  try {
    for (const { key, ref, path, dataset, noise: noiseLevels } of models) {
      const budget = limits.submissionTimeoutMs - used;
      if (budget <= 0) {
        out[key] = outOfBudget(ref.path, limits);
        continue;
      }
      const started = Date.now();
      out[key] = await evaluator.evaluate({
        format: ref.path.endsWith('.onnx') ? 'onnx' : 'tfjs', model: path, dataset, preprocessing: ref.preprocessing, noise: noiseLevels, seed,
      }, dataOf(dataset), ref.path, budget);
      used += evaluator.charged;
      onModel?.(key, Date.now() - started);
    }
  } finally {
    await evaluator.close();
  }
  // In the order hw2.json's parts come, whichever were measured.
  return Object.fromEntries(wanted.flatMap(([key]) => (out[key] ? [[key, out[key]]] : [])));
}

export async function collectHistories(sub: LoadedSubmission, maxBytes: number): Promise<Record<string, ParsedHistory>> {
  const out: Record<string, ParsedHistory> = {};
  for (const file of [sub.answers.task2?.history, sub.answers.task3?.history].filter((f): f is string => !!f)) {
    const read = await readSubmissionFile(sub.dir, file, maxBytes, 'named in hw2.json');
    out[file] = read.ok ? parseHistory(read.bytes.toString('utf8'), file) : { ok: false, message: read.message };
  }
  return out;
}
