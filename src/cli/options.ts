/**
 * The command line and the environment, resolved once, at this boundary, into one typed
 * object the commands trust. Where a setting can come from several places, the first that
 * is set wins:
 *
 *   flag > environment > rubric > default
 *
 * | setting       | flag                  | environment                                  | rubric | default                                  |
 * |---------------|-----------------------|----------------------------------------------|--------|------------------------------------------|
 * | shard         | --shard i/n           | HW2_SHARD=i/n, then JOB_COMPLETION_INDEX (0-based) with HW2_SHARDS=n | –  | every submission          |
 * | data folder   | --data-dir DIR        | HW2_DATA                                     | –      | grading: /usr/share/datasets, then the embedded FashionMNIST test split; `data fetch`: ./data |
 * | browser       | –                     | HW2_CHROMIUM                                 | –      | /usr/bin/chromium, chromium-browser, google-chrome |
 * | reporters     | --reporter a,b (--no-pdf drops pdf) | –                              | –      | all of them                              |
 * | rubric        | --rubric FILE         | –                                            | –      | reference/rubric.json                    |
 * | out, seed, jobs, … | --out, --seed, --jobs, … | –                                      | –      | out, 211, the number of cores            |
 * | limits        | –                     | –                                            | limits.* | each field's default, field by field   |
 *
 * Where the rubric's limits meet the models': `limits.models` sets model evaluation's own time
 * and memory, each field it names replacing DEFAULT_MODEL_LIMITS' (src/models/limits.ts);
 * `limits.sandbox.requireOsIsolation` binds model evaluation too (it has no setting of its
 * own). The one place the environment does not beat the rubric: HW2_ISOLATION can only weaken
 * the sandbox's wall, and a rubric that requires OS isolation then refuses to run student code
 * (its checks held back) rather than run it with less — the rubric's requirement wins.
 * HW2_ISOLATION, HW2_FASHION_URL and HW2_SVHN_URL are read by the module they steer (the
 * sandbox, the downloads), not here: no flag competes with them.
 *
 * `hw2 train` has options of its own, resolved by commands/train.ts with `dataDirOf` below.
 */
import { availableParallelism } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/errors.ts';
import { isReporterName, REPORTER_NAMES, type ReporterName } from '../report/reporters.ts';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface Shard {
  /** 1-based: the i of i/n. */
  index: number;
  count: number;
}

export interface Options {
  /** The command, and what follows it that is not an option. */
  command?: string;
  args: string[];
  help: boolean;
  version: boolean;
  out: string;
  /** undefined: the harness's reference/rubric.json. */
  rubric?: string;
  seed: number;
  /** `hw2 reference task1 --seeds N`; checked by that command. */
  seeds?: number;
  verbose: boolean;
  /** `hw2 rubric --markdown`: the README's table of checks. */
  markdown: boolean;
  quiet: boolean;
  jobs: number;
  shard?: Shard;
  manual?: string;
  roster?: string;
  /** The data folder looked in first; the datasets' own search (see the table above) follows it. */
  dataDir?: string;
  allowIncomplete: boolean;
  /** Always holds 'json' (result.json is the engine's record); in REPORTER_NAMES' order. */
  reporters: ReporterName[];
  chromium?: string;
  /** `hw2 similarity --template NOTEBOOK`: the course's template, whose cells are nobody's evidence. */
  template?: string;
  /** `hw2 review --port N` (0: any free port). */
  port?: number;
  /** `hw2 review --ta NAME`: who the decisions are saved as. */
  ta?: string;
}

/** Node's own argument errors (an unknown option, a missing value) are usage errors. */
function parse<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    if (String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_')) throw new UsageError((error as Error).message);
    throw error;
  }
}

function parseShard(text: string, from: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`${from}: expected i/n with 1 ≤ i ≤ n (e.g. 2/3), got "${text}"`);
  return { index, count };
}

/** --shard, else HW2_SHARD, else a Kubernetes Indexed Job's JOB_COMPLETION_INDEX (0-based) with HW2_SHARDS. */
export function shardOf(flag: string | undefined, env: Environment): Shard | undefined {
  if (flag !== undefined) return parseShard(flag, '--shard');
  if (env.HW2_SHARD !== undefined) return parseShard(env.HW2_SHARD, 'HW2_SHARD');
  if (env.JOB_COMPLETION_INDEX !== undefined && env.HW2_SHARDS) {
    const index = env.JOB_COMPLETION_INDEX;
    const text = /^\d+$/.test(index) ? `${Number(index) + 1}/${env.HW2_SHARDS}` : `${index}/${env.HW2_SHARDS}`;
    return parseShard(text, `JOB_COMPLETION_INDEX=${index} with HW2_SHARDS=${env.HW2_SHARDS}`);
  }
  return undefined;
}

/** --data-dir, else HW2_DATA; an empty value is no value. */
export const dataDirOf = (flag: string | undefined, env: Environment): string | undefined => flag || env.HW2_DATA || undefined;

/** `--reporter a,b,c` (default: every reporter), less pdf with --no-pdf; json is always on. */
export function reporterNamesOf(flag: string | undefined, pdf: boolean): ReporterName[] {
  const names = flag === undefined ? REPORTER_NAMES : flag.split(',').map((n) => n.trim()).filter((n) => n !== '');
  const unknown = names.filter((n) => !isReporterName(n));
  if (unknown.length) {
    throw new UsageError(`--reporter: unknown reporter${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')} (known: ${REPORTER_NAMES.join(', ')})`);
  }
  return REPORTER_NAMES.filter((n) => n === 'json' || (names.includes(n) && (pdf || n !== 'pdf')));
}

function integerAtLeast(name: string, text: string, min: 0 | 1): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name}: expected a ${min ? 'positive' : 'non-negative'} integer, got "${text}"`);
  return n;
}

/** Every option of every command but `hw2 train`: what --help lists (tests/cli/help.test.ts). */
export const OPTIONS = {
  out: { type: 'string', default: 'out' },
  rubric: { type: 'string' },
  seed: { type: 'string', default: '211' },
  verbose: { type: 'boolean', default: false },
  seeds: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', default: false },
  pdf: { type: 'boolean', default: true },
  jobs: { type: 'string' },
  shard: { type: 'string' },
  manual: { type: 'string' },
  roster: { type: 'string' },
  quiet: { type: 'boolean', default: false },
  markdown: { type: 'boolean', default: false },
  'data-dir': { type: 'string' },
  'allow-incomplete': { type: 'boolean', default: false },
  reporter: { type: 'string' },
  template: { type: 'string' },
  port: { type: 'string' },
  ta: { type: 'string' },
} as const;

/** Every command's options but `hw2 train`'s (argv[0] === 'train': see commands/train.ts). */
export function resolveOptions(argv: readonly string[], env: Environment): Options {
  const { values, positionals } = parse({ args: [...argv], allowPositionals: true, allowNegative: true, options: OPTIONS });
  const [command, ...args] = positionals;
  // In the order a user reads them: a bad --seed is named before a bad --jobs or shard.
  const seed = integerAtLeast('seed', values.seed, 0);
  const jobs = values.jobs === undefined ? availableParallelism() : integerAtLeast('jobs', values.jobs, 1);
  const shard = shardOf(values.shard, env);
  const dataDir = dataDirOf(values['data-dir'], env);
  const port = values.port === undefined ? undefined : integerAtLeast('port', values.port, 0);
  if (port !== undefined && port > 65535) throw new UsageError(`--port: expected a port from 0 to 65535, got "${values.port}"`);
  return {
    ...(command !== undefined ? { command } : {}),
    args,
    help: values.help,
    version: values.version,
    out: values.out,
    ...(values.rubric !== undefined ? { rubric: values.rubric } : {}),
    seed,
    ...(values.seeds !== undefined ? { seeds: Number(values.seeds) } : {}),
    verbose: values.verbose,
    quiet: values.quiet,
    markdown: values.markdown,
    jobs,
    ...(shard ? { shard } : {}),
    ...(values.manual ? { manual: values.manual } : {}),
    ...(values.roster ? { roster: values.roster } : {}),
    ...(dataDir ? { dataDir } : {}),
    allowIncomplete: values['allow-incomplete'],
    reporters: reporterNamesOf(values.reporter, values.pdf),
    ...(env.HW2_CHROMIUM ? { chromium: env.HW2_CHROMIUM } : {}),
    ...(values.template ? { template: values.template } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(values.ta ? { ta: values.ta } : {}),
  };
}
