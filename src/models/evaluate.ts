/**
 * Evaluates a pair's model in a sandboxed child with the sandbox's limits (a model file is
 * untrusted input): it may read the model's folder, the dataset and the harness's packages,
 * nothing else; onnxruntime's native addon is the one thing allowed beyond the solution
 * sandbox. Every failure is a value naming the model file.
 */
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataDirs, findSvhn } from '../data/datasets.ts';
import { syntheticSvhn } from '../data/synthetic-svhn.ts';
import { ChildProcessSession } from '../sandbox/process.ts';
import { bundleHarnessModule } from '../sandbox/transpile.ts';
import type { SandboxLimits } from '../sandbox/types.ts';
import { SYNTHETIC_SVHN_TEST, type EvalRequest, type EvalResult } from './evaluate-child.ts';

export type { EvalRequest, EvalResult };
export type Evaluated = { ok: true; result: EvalResult } | { ok: false; message: string };

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

export const MODEL_LIMITS: Partial<SandboxLimits> = {
  loadTimeoutMs: 30_000, callTimeoutMs: 300_000, submissionTimeoutMs: 600_000, heapMb: 2048, rssMb: 3072, maxReturnBytes: 1024 * 1024,
};

export async function evaluateModel(req: EvalRequest, modelLabel: string, limits: SandboxLimits): Promise<Evaluated> {
  if (!existsSync(req.model)) return { ok: false, message: `${modelLabel} was not found in the submission` };
  bundled ??= bundleHarnessModule(ENTRY);
  const { file, dir } = await bundled;
  const data = dataDirs(req.dataDir).filter(existsSync).map((d) => resolve(d));
  const session = new ChildProcessSession(file, [dir, dirname(resolve(req.model)), NODE_MODULES, ...data], dirname(resolve(req.model)),
    { ...limits, ...MODEL_LIMITS }, req.format === 'onnx' ? ['--allow-addons'] : []);
  try {
    const started = await session.start();
    if (!started.ok) return { ok: false, message: `${modelLabel}: the evaluator could not start (${started.error.message})` };
    const synthetic = req.dataset === 'svhn' && !findSvhn('test', req.dataDir) ? { syntheticFile: await syntheticTestFile(dir) } : {};
    const r = await session.call('evaluate', [{ ...req, model: resolve(req.model), dataDir: data[0], ...synthetic }]);
    if (!r.ok) return { ok: false, message: `${modelLabel}: ${r.error.message.replace(/^Error: /, '')}` };
    return { ok: true, result: r.value as EvalResult };
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
