/**
 * Evaluates a pair's models in a sandboxed child (a model file is untrusted input): it may
 * read the models' folders, the test set's files the parent located (src/data/plan.ts), the
 * run's noise field and the harness's packages, nothing else; onnxruntime's native addon is
 * the one thing allowed beyond the solution sandbox (every model runs on it: TensorFlow.js
 * models are translated to ONNX in the child). One child serves all of a submission's models
 * (its start-up is paid once per pair); a fresh one per submission keeps pairs apart. Every
 * failure is a value naming the model file, and says whose it is: the model's (scored) or the
 * grading machine's (`environment`: held back).
 */
import { rmSync } from 'node:fs';
import { open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { noiseChunks, SVHN_TEST_IMAGES } from '../data/noise.ts';
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
const noiseFiles = new Map<string, Promise<string>>();

/**
 * Where SVHN is absent, every CNN is measured on the same synthetic test set: generated once
 * per grading process (about 4 s) into the evaluator's folder, which every child may read,
 * rather than once per model (two per pair: 4 s each across a batch of hundreds).
 */
function syntheticTestFile(dir: string): Promise<string> {
  syntheticFile ??= (async () => {
    const set = syntheticSvhn('test', SYNTHETIC_SVHN_TEST);
    const file = join(dir, 'synthetic-svhn-test.u8');
    // Readable by every child, which the bubblewrap wall runs as another user: not the umask's say.
    await writeFile(file, Buffer.concat([set.images, set.labels]), { mode: 0o644 });
    return file;
  })();
  // A failed write (a full disk) is not kept: the next model tries again, and says why if it fails.
  syntheticFile.catch(() => { syntheticFile = undefined; });
  return syntheticFile;
}

/**
 * The run's N(0, 1) noise field for 32×32×3 test images (src/data/noise.ts), written once per
 * grading process and seed into the evaluator's folder, and read there by every child: the same
 * noise for every model and every pair. SVHN's test split has 26,032 images; the synthetic
 * stand-in has its own count.
 */
function noiseFile(dir: string, seed: number, rows: number, pixels: number): Promise<string> {
  const key = `${seed}-${rows}x${pixels}`;
  let file = noiseFiles.get(key);
  if (!file) {
    file = (async () => {
      const path = join(dir, `noise-${key}.f32`);
      const handle = await open(path, 'w', 0o644);
      try {
        for (const chunk of noiseChunks(seed, rows, pixels)) await handle.writeFile(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      } catch (error) {
        // Half a field (a full disk) must not be read as the run's noise, nor kept for the next model.
        await handle.close();
        await rm(path, { force: true });
        noiseFiles.delete(key);
        throw error;
      }
      await handle.close();
      return path;
    })();
    noiseFiles.set(key, file);
  }
  return file;
}

const rawFiles = new Map<string, Promise<{ raw?: string }>>();

/**
 * SVHN's .mat decoded once per grading process (column-major MATLAB order to images, about a
 * second for the 26,032 test images) into the evaluator's folder, which every child reads
 * instead of decoding the .mat again. A file the parent cannot decode is handed to the child
 * as it is, whose reading of it says what is wrong (the grading machine's fault, as before).
 */
function svhnRawFile(dir: string, file: string): Promise<{ raw?: string }> {
  let raw = rawFiles.get(file);
  if (!raw) {
    // Numbered before the first await: two test sets decoded at once get two names.
    const index = rawFiles.size;
    raw = (async () => {
      try {
        const { svhnFromMat } = await import('../data/svhn.ts');
        const set = svhnFromMat(await readFile(file), file, 'svhn/test');
        if (set.height !== 32 || set.width !== 32 || set.channels !== 3) return {};
        const path = join(dir, `svhn-test-${index}.u8`);
        // Two writes, not a concatenated copy: the grading process holds one copy of the images at most.
        const handle = await open(path, 'w', 0o644);
        try {
          await handle.writeFile(set.images);
          await handle.writeFile(set.labels);
        } finally {
          await handle.close();
        }
        return { raw: path };
      } catch {
        return {};
      }
    })();
    rawFiles.set(file, raw);
  }
  return raw;
}

/** The model's request without its data: the parent adds the files it located, the noise field and the threads. */
export type ModelRequest = Omit<EvalRequest, 'data' | 'noiseFile' | 'threads'>;

const environment = (message: string): Evaluated => ({ ok: false, message, environment: true });

/** A model not measured because its submission's models spent their evaluation time: the submission's failure. */
export const outOfBudget = (modelLabel: string, limits: ModelLimits): Evaluated =>
  ({ ok: false, message: `${modelLabel}: not measured: the submission's models used up their ${limits.submissionTimeoutMs / 1000} s of evaluation time (rubric limits.models)` });

/**
 * The evaluator of one submission: one sandboxed child, started at the first model, that
 * measures each of the submission's models in turn (a breach kills it and a fresh one serves
 * the next model). `modelFiles` are every model the submission will ask about: the child may
 * read their folders and no others.
 */
export class ModelEvaluator {
  private session: ChildProcessSession | undefined;
  private started: Promise<{ ok: true } | { ok: false; message: string }> | undefined;
  private dir = '';

  constructor(private modelFiles: string[], private data: TestData[], private limits: ModelLimits, private threads = 1) {}

  private start(): Promise<{ ok: true } | { ok: false; message: string }> {
    this.started ??= (async () => {
      bundled ??= bundleHarnessModule(ENTRY);
      const { file, dir } = await bundled;
      removeAtExit(dir);
      this.dir = dir;
      const dataFiles = this.data.flatMap((d) => (d.kind === 'idx' ? [d.images, d.labels] : d.kind === 'mat' ? [d.file] : []));
      const modelDirs = [...new Set(this.modelFiles.map((m) => dirname(resolve(m))))];
      // The evaluator's own start-up is not the models' time: the budget starts after it.
      const sandbox = {
        loadTimeoutMs: this.limits.loadTimeoutMs, callTimeoutMs: this.limits.callTimeoutMs, submissionTimeoutMs: this.limits.loadTimeoutMs + this.limits.submissionTimeoutMs,
        heapMb: this.limits.heapMb, rssMb: this.limits.rssMb, maxReturnBytes: 1024 * 1024, maxOutputBytes: 1024 * 1024,
        requireOsIsolation: this.limits.requireOsIsolation ?? false,
      } satisfies SandboxLimits;
      this.session = new ChildProcessSession(file, [dir, ...modelDirs, NODE_MODULES, ...dataFiles.map((f) => resolve(f))], modelDirs[0] ?? dir, sandbox, ['--allow-addons']);
      const started = await this.session.start();
      return started.ok ? { ok: true as const } : { ok: false as const, message: started.error.message };
    })();
    return this.started;
  }

  /**
   * The milliseconds the last `evaluate` charges to its submission: the model's own run in the
   * child, not the child's start-up nor the run's test set and noise field, which the first
   * pairs of a run would otherwise pay for everyone.
   */
  charged = 0;

  /** Measures one model within `budgetMs` of wall clock (what is left of its submission's budget). */
  async evaluate(req: ModelRequest, data: TestData, modelLabel: string, budgetMs: number = this.limits.submissionTimeoutMs): Promise<Evaluated> {
    this.charged = 0;
    const info = await stat(req.model).catch(() => undefined);
    if (!info) return { ok: false, message: `${modelLabel} was not found in the submission` };
    if (!info.isFile()) return { ok: false, message: `${modelLabel} is a folder; expected a model file (model.json or .onnx)` };
    if (data.kind === 'absent') return environment(`${modelLabel} could not be measured: ${data.reason}`);
    const started = await this.start();
    // The evaluator is the harness's own code: if it cannot start, the machine is at fault.
    if (!started.ok) return environment(`${modelLabel}: the model evaluator could not start on this machine (${started.message})`);
    const modelDir = dirname(resolve(req.model));
    let childData: EvalRequest['data'];
    let noise: { noiseFile?: EvalRequest['noiseFile'] };
    try {
      childData = data.kind === 'synthetic' ? { kind: 'synthetic', file: await syntheticTestFile(this.dir) }
        : data.kind === 'mat' ? { ...data, ...(await svhnRawFile(this.dir, data.file)) } : data;
      const rows = data.kind === 'synthetic' ? SYNTHETIC_SVHN_TEST : SVHN_TEST_IMAGES;
      noise = req.noise.length && data.kind !== 'idx' ? { noiseFile: { file: await noiseFile(this.dir, req.seed, rows, 32 * 32 * 3), rows } } : {};
    } catch (error) {
      // Writing the run's test set or noise field is the grading machine's work (a full disk).
      return environment(`${modelLabel} could not be measured: the evaluator's data could not be written (${(error as Error)?.message ?? error})`);
    }
    // What is left of the submission's budget bounds this call: past it, the child is stopped
    // (the next model, if any time is left, gets a fresh one).
    let timer: NodeJS.Timeout | undefined;
    const overBudget = new Promise<'over'>((done) => {
      timer = setTimeout(() => done('over'), Math.max(0, budgetMs));
    });
    const raced = Date.now();
    const r = await Promise.race([this.session!.call('evaluate', [{ ...req, model: resolve(req.model), data: childData, threads: this.threads, ...noise }]), overBudget]);
    clearTimeout(timer);
    this.charged = Date.now() - raced;
    if (r === 'over') {
      await this.session!.close();
      this.started = undefined;
      return outOfBudget(modelLabel, this.limits);
    }
    if (!r.ok) {
      if (r.error.code === 'budget') return outOfBudget(modelLabel, this.limits);
      // Paths in the model's folder are named as the submission names them, never the staged copy's.
      return { ok: false, message: `${modelLabel}: ${r.error.message.replace(/^Error: /, '').replaceAll(modelDir, dirname(modelLabel))}` };
    }
    const value = r.value as EvalResult | EnvironmentFault;
    if (typeof value !== 'object' || value === null) return { ok: false, message: `${modelLabel}: the evaluator sent back no measurement` };
    if ('environment' in value) return environment(`${modelLabel} could not be measured: ${value.environment}`);
    return { ok: true, result: value };
  }

  async close(): Promise<void> {
    await this.session?.close();
  }
}

/** Measures one model in an evaluator of its own (tests and benches; grading shares one per submission). */
export async function evaluateModel(req: ModelRequest, data: TestData, modelLabel: string, limits: ModelLimits, budgetMs: number = limits.submissionTimeoutMs, threads = 1): Promise<Evaluated> {
  const evaluator = new ModelEvaluator([req.model], [data], limits, threads);
  try {
    return await evaluator.evaluate(req, data, modelLabel, budgetMs);
  } finally {
    await evaluator.close();
  }
}

let folderAtExit: string | undefined;

/**
 * The evaluator's folder holds the run's noise field (320 MB) and test sets: removed when the
 * process exits, whatever the way (the CLI turns Ctrl-C and SIGTERM into an exit), not only by
 * disposeEvaluator at the end of a run that finished.
 */
function removeAtExit(dir: string): void {
  if (folderAtExit === undefined) process.once('exit', () => { if (folderAtExit) rmSync(folderAtExit, { recursive: true, force: true }); });
  folderAtExit = dir;
}

/** Removes the evaluator's bundle (at exit of a long-lived process, or in tests). */
export async function disposeEvaluator(): Promise<void> {
  if (bundled) await rm((await bundled).dir, { recursive: true, force: true });
  bundled = undefined;
  syntheticFile = undefined;
  noiseFiles.clear();
  rawFiles.clear();
}
