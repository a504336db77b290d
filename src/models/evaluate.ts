/**
 * Evaluates a pair's model in a sandboxed child (a model file is untrusted input): it may
 * read the model's folder, the test set's files the parent located (src/data/plan.ts) and
 * the harness's packages, nothing else; onnxruntime's native addon is the one thing allowed
 * beyond the solution sandbox. Every failure is a value naming the model file, and says
 * whose it is: the model's (scored) or the grading machine's (`environment`: held back).
 */
import { rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticSvhn } from '../data/synthetic-svhn.ts';
import type { TestData } from '../data/plan.ts';
import { ChildProcessSession } from '../sandbox/process.ts';
import { bundleHarnessModule } from '../sandbox/transpile.ts';
import type { SandboxLimits } from '../sandbox/types.ts';
import { DEFAULT_MODEL_LIMITS, type ModelLimits } from './limits.ts';
import { SYNTHETIC_SVHN_TEST, type EnvironmentFault, type EvalRequest, type EvalResult } from './evaluate-child.ts';

export type { EvalRequest, EvalResult, ModelLimits };
export { DEFAULT_MODEL_LIMITS };
export type Evaluated =
  | { ok: true; result: EvalResult }
  /** environment: the grading machine, not the model, is why there is no measurement. */
  | { ok: false; message: string; environment?: true };

const ENTRY = fileURLToPath(new URL('./evaluate-child.ts', import.meta.url));
const NODE_MODULES = dirname(dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json')));
let bundled: Promise<{ file: string; dir: string }> | undefined;
let syntheticFile: Promise<string> | undefined;

/**
 * Where SVHN is absent, every CNN is measured on the same synthetic test set: generated once
 * per grading process (about 4 s) into the evaluator's folder, which every child may read,
 * rather than once per model (two per pair: 4 s each across a batch of hundreds).
 */
function syntheticTestFile(dir: string): Promise<string> {
  syntheticFile ??= (async () => {
    const set = syntheticSvhn('test', SYNTHETIC_SVHN_TEST);
    const file = join(dir, 'synthetic-svhn-test.u8');
    await writeFile(file, Buffer.concat([set.images, set.labels]));
    return file;
  })();
  return syntheticFile;
}

/** The model's request without its data: the parent adds the files it located. */
export type ModelRequest = Omit<EvalRequest, 'data'>;

const environment = (message: string): Evaluated => ({ ok: false, message, environment: true });

/** A model not measured because its submission's models spent their evaluation time: the submission's failure. */
export const outOfBudget = (modelLabel: string, limits: ModelLimits): Evaluated =>
  ({ ok: false, message: `${modelLabel}: not measured: the submission's models used up their ${limits.submissionTimeoutMs / 1000} s of evaluation time (rubric limits.models)` });

/**
 * Measures one model within `budgetMs` of wall clock (what is left of its submission's
 * budget). Returns how long it took, so the caller can charge the submission.
 */
export async function evaluateModel(req: ModelRequest, data: TestData, modelLabel: string, limits: ModelLimits, budgetMs: number = limits.submissionTimeoutMs): Promise<Evaluated> {
  const info = await stat(req.model).catch(() => undefined);
  if (!info) return { ok: false, message: `${modelLabel} was not found in the submission` };
  if (!info.isFile()) return { ok: false, message: `${modelLabel} is a folder; expected a model file (model.json or .onnx)` };
  if (data.kind === 'absent') return environment(`${modelLabel} could not be measured: ${data.reason}`);
  bundled ??= bundleHarnessModule(ENTRY);
  const { file, dir } = await bundled;
  const dataFiles = data.kind === 'idx' ? [data.images, data.labels] : data.kind === 'mat' ? [data.file] : [];
  // The evaluator's own start-up is not the model's time; measuring is, within what is left
  // of the submission's budget.
  const callMs = Math.min(limits.callTimeoutMs, budgetMs);
  const sandbox = {
    loadTimeoutMs: limits.loadTimeoutMs, callTimeoutMs: callMs, submissionTimeoutMs: limits.loadTimeoutMs + callMs,
    heapMb: limits.heapMb, rssMb: limits.rssMb, maxReturnBytes: 1024 * 1024, maxOutputBytes: 1024 * 1024,
    requireOsIsolation: limits.requireOsIsolation ?? false,
  } satisfies SandboxLimits;
  const modelDir = dirname(resolve(req.model));
  const session = new ChildProcessSession(file, [dir, modelDir, NODE_MODULES, ...dataFiles.map((f) => resolve(f))], modelDir,
    sandbox, req.format === 'onnx' ? ['--allow-addons'] : []);
  try {
    const started = await session.start();
    // The evaluator is the harness's own code: if it cannot start, the machine is at fault.
    if (!started.ok) return environment(`${modelLabel}: the model evaluator could not start on this machine (${started.error.message})`);
    const childData: EvalRequest['data'] = data.kind === 'synthetic' ? { kind: 'synthetic', file: await syntheticTestFile(dir) } : data;
    const r = await session.call('evaluate', [{ ...req, model: resolve(req.model), data: childData }]);
    if (!r.ok) {
      if ((r.error.code === 'timeout' && callMs < limits.callTimeoutMs) || r.error.code === 'budget') return outOfBudget(modelLabel, limits);
      // Paths in the model's folder are named as the submission names them, never the staged copy's.
      return { ok: false, message: `${modelLabel}: ${r.error.message.replace(/^Error: /, '').replaceAll(modelDir, dirname(modelLabel))}` };
    }
    const value = r.value as EvalResult | EnvironmentFault;
    if (typeof value !== 'object' || value === null) return { ok: false, message: `${modelLabel}: the evaluator sent back no measurement` };
    if ('environment' in value) return environment(`${modelLabel} could not be measured: ${value.environment}`);
    return { ok: true, result: value };
  } finally {
    await session.close();
  }
}

/** Removes the evaluator's bundle (at exit of a long-lived process, or in tests). */
export async function disposeEvaluator(): Promise<void> {
  if (bundled) await rm((await bundled).dir, { recursive: true, force: true });
  bundled = undefined;
  syntheticFile = undefined;
}
