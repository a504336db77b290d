/**
 * `hw2 train mlp|cnn`: the Task 2 and Task 3 baselines, trained with TensorFlow.js. Train has
 * options of its own, resolved here (its defaults are the training modules'); the data folder
 * follows the same precedence as every command's (options.ts: --data-dir, then HW2_DATA).
 * TensorFlow.js loads only for this command.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../../core/errors.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import * as harness from '../harness.ts';
import type { BackendName } from '../harness.ts';
import { dataDirOf, type Environment } from '../options.ts';
import { epochLine, TrainingProgress } from '../progress.ts';

/** parseArgs, with Node's own argument errors as usage errors. */
function parse(args: string[], options: NonNullable<Parameters<typeof parseArgs>[0]>['options']) {
  try {
    return parseArgs({ args, allowPositionals: false, options }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    if (String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_')) throw new UsageError((error as Error).message);
    throw error;
  }
}

/** `hw2 train cnn`: the Task 3 baseline, on SVHN where present, else on the synthetic set. */
async function trainCnn(args: string[], env: Environment): Promise<ExitCode> {
  const values = parse(args, {
    out: { type: 'string', default: 'out/cnn' }, epochs: { type: 'string' }, limit: { type: 'string' }, extra: { type: 'string' },
    augment: { type: 'boolean', default: false }, 'data-dir': { type: 'string' }, seed: { type: 'string' },
  });
  const text = (name: string) => values[name] as string | undefined;
  const defaults = await harness.cnnDefaults();
  const positive = (name: string, fallback: number) => {
    const v = text(name);
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name}: expected a positive integer, got "${v}"`);
    return n;
  };
  const dataDir = dataDirOf(text('data-dir'), env);
  const out = text('out')!;
  const backendInUse = await harness.tfBackend();
  const started = Date.now();
  const trainingProgress = new TrainingProgress();
  const r = await harness.trainCnn({
    ...defaults, out, augment: values.augment as boolean, epochs: positive('epochs', defaults.epochs),
    ...(text('limit') ? { limit: positive('limit', 1) } : {}), ...(text('extra') ? { extra: positive('extra', 1) } : {}),
    seed: positive('seed', defaults.seed),
    ...(dataDir ? { dataDir } : {}),
    onBatch: (e) => trainingProgress.batch(e),
    onEpoch: (e) => trainingProgress.line(epochLine(e, backendInUse(), (Date.now() - started) / 1000)),
  });
  console.log(`test accuracy ${(100 * r.testAccuracy).toFixed(2)}%${r.synthetic ? ' on the synthetic SVHN-like set (SVHN not found)' : ''}, ${r.params} parameters, ${r.seconds.toFixed(0)} s; saved to ${resolve(out)}`);
  return EXIT.graded;
}

const INITS = ['glorotUniform', 'heNormal', 'randomNormal'] as const;
const BACKENDS: readonly BackendName[] = ['wasm', 'cpu', 'tensorflow'];

/** `hw2 train mlp`: trains the Task 2 baseline and saves model, history and card. */
async function trainMlp(args: string[], env: Environment): Promise<ExitCode> {
  const values = parse(args, {
    out: { type: 'string', default: 'out/mlp' }, epochs: { type: 'string' }, hidden: { type: 'string' }, dropout: { type: 'string' },
    'batch-size': { type: 'string' }, lr: { type: 'string' }, init: { type: 'string' }, limit: { type: 'string' }, seed: { type: 'string' },
    'data-dir': { type: 'string' }, backend: { type: 'string' }, resume: { type: 'string' },
  });
  const text = (name: string) => values[name] as string | undefined;
  const defaults = await harness.mlpDefaults();
  const number = (name: string, v: string | undefined, fallback: number) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0 && name !== 'dropout') throw new UsageError(`--${name}: expected a positive number, got "${v}"`);
    return n;
  };
  const init = text('init') ?? defaults.init;
  if (!(INITS as readonly string[]).includes(init)) throw new UsageError(`--init: expected glorotUniform, heNormal or randomNormal, got "${init}"`);
  const backend = text('backend');
  if (backend !== undefined && !(BACKENDS as readonly string[]).includes(backend)) throw new UsageError(`--backend: expected wasm, cpu or tensorflow, got "${backend}"`);
  const backendInUse = await harness.tfBackend(backend as BackendName | undefined);
  const dataDir = dataDirOf(text('data-dir'), env);
  const out = text('out')!;
  const started = Date.now();
  const trainingProgress = new TrainingProgress();
  const result = await harness.trainMlp({
    ...defaults,
    out,
    epochs: number('epochs', text('epochs'), defaults.epochs),
    hidden: text('hidden') ? text('hidden')!.split(',').map((h) => number('hidden', h, 1)) : defaults.hidden,
    dropout: number('dropout', text('dropout'), defaults.dropout),
    batchSize: number('batch-size', text('batch-size'), defaults.batchSize),
    learningRate: number('lr', text('lr'), defaults.learningRate),
    seed: number('seed', text('seed'), defaults.seed),
    init: init as (typeof INITS)[number],
    ...(text('limit') ? { limit: number('limit', text('limit'), 60000) } : {}),
    ...(dataDir ? { dataDir } : {}),
    ...(text('resume') ? { resumeFrom: text('resume')! } : {}),
    onBatch: (e) => trainingProgress.batch(e),
    onEpoch: (e) => trainingProgress.line(epochLine(e, backendInUse(), (Date.now() - started) / 1000)),
  });
  console.log(`test accuracy ${(100 * result.testAccuracy).toFixed(2)}%, ${result.params} parameters, ${result.seconds.toFixed(0)} s; saved to ${resolve(out)}`);
  return EXIT.graded;
}

/** `argv`: what follows `train`. */
export async function command(argv: string[], env: Environment): Promise<ExitCode> {
  // The model is the first word that is not an option; the options around it are its own.
  const model = argv.find((a) => !a.startsWith('-'));
  const args = model === undefined ? argv : [...argv.slice(0, argv.indexOf(model)), ...argv.slice(argv.indexOf(model) + 1)];
  if (model === 'cnn') return trainCnn(args, env);
  if (model !== 'mlp') throw new UsageError(`hw2 train: expected "mlp" or "cnn", got "${model ?? ''}"`);
  return trainMlp(args, env);
}
