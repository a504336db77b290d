/**
 * The `hw2` command line. Exit codes: 0 every submission graded; 1 some submission could not
 * be fully graded through a fault of the harness (listed); 2 bad usage or a bad rubric.
 * A submission's own faults (broken hw2.json, wrong answers) are grades, not exit codes.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CHECK_IDS, RUBRIC_DEFAULTS, REGISTRY } from '../../checks/index.ts';
import { checksTable, rubricListing } from '../registry/describe.ts';
import { referenceAnswer, REFERENCE_TOPICS, task1OverSeeds, type ReferenceTopic } from '../../reference/index.ts';
import { HarnessError, UsageError } from '../contract/errors.ts';
import { jsonSchema } from '../contract/schema.ts';
import { DEFAULT_RUBRIC_PATH, loadRubric } from '../rubric/rubric.ts';
import type { SubmissionResult } from '../core/vocabulary.ts';
import { HARNESS_VERSION } from '../engine/version.ts';
import { discover, shardOf } from '../intake/discover.ts';
import { loadRoster } from '../intake/roster.ts';
import { gradeBatch } from '../engine/batch.ts';
import { parseManualCsv, validateManual, type ManualEntry } from '../engine/manual.ts';
import { mergeCommand } from './merge.ts';
import { DatasetError } from '../data/datasets.ts';
import { planGradingData, planLines } from '../data/plan.ts';
import { fetchFashion, fetchSvhn, type SvhnSplit } from '../data/fetch.ts';
import { bar, duration, epochLine, TrainingProgress } from './progress.ts';
import type { MlpOptions } from '../train/mlp.ts';
import type { BackendName } from '../tf/runtime.ts';
import { heldBackCauses, idConflictLines, resultLines, summaryLines, withheldGradeLines } from './table.ts';
import { findChromium, lazyPrinter } from '../report/pdf.ts';
import { writeBatchOutputs } from '../report/outputs.ts';
import { disposeEvaluator } from '../models/evaluate.ts';

const HELP = `hw2 ${HARNESS_VERSION} — grade EE 046211 HW2 submissions

Usage:
  hw2 grade <path...> [--out DIR] [--rubric FILE] [--jobs N] [--shard i/n] [--manual CSV]
            [--seed N] [--verbose] [--quiet] [--no-pdf]
      Grade submissions: folders with hw2.json and/or the notebook (and optionally
      solution.ts), .zip files of such a folder, folders holding several of them, or
      Moodle's "Download all submissions" zip or folder. Writes, per submission,
      DIR/<id>/result.json, report.html, report.pdf, gradescope-results.json; per batch,
      DIR/summary.html, grades.csv (Moodle), scores.csv, junit.xml. A re-run reuses every
      result whose submission, rubric and harness are unchanged.
  hw2 merge <dir...> --out DIR
      Join the outputs of --shard runs into one summary and grade sheet.
  hw2 train mlp [--out DIR] [--epochs N] [--hidden 256,128] [--dropout P] [--batch-size N]
               [--lr X] [--init glorotUniform|heNormal|randomNormal] [--limit N] [--backend wasm|cpu]
               [--resume DIR/model.json]
      Train the Task 2 MLP baseline on FashionMNIST (TensorFlow.js); saves model.json,
      weights.bin, history.json and card.json.
  hw2 train cnn [--out DIR] [--epochs N] [--limit N] [--extra N] [--augment] [--data-dir DIR]
      Train the Task 3 CNN baseline on SVHN (all of train, or --limit N images; --extra N
      adds N images of the extra split), or on 12,000 images of the synthetic SVHN-like set
      where SVHN is absent (the card says which). A terminal shows a progress bar (epoch, batch,
      loss, samples/s, ETA); logs get one line per epoch.
  hw2 check <folder|zip> [--out DIR] [--rubric FILE]
      Student mode: public checks in full, hidden checks only as "graded later";
      a TypeScript solution is also type-checked against types/solution.d.ts.
  hw2 types
      Print types/solution.d.ts, the exports a solution module may have.
  hw2 data fetch fashion [--data-dir DIR]
  hw2 data fetch svhn [train] [test] [extra] [--data-dir DIR]
      Download FashionMNIST (sha256 of each file's content) or SVHN's .mat files (md5;
      train and test by default, extra is 1.3 GB) into DIR/fashion-mnist or DIR/svhn
      (DIR: --data-dir, HW2_DATA, else ./data). Needs internet; offline, Debian's
      dataset-fashion-mnist has FashionMNIST and SVHN's files can be copied in by hand.
  hw2 schema
      Print the JSON Schema of hw2.json (contract 1).
  hw2 reference <${REFERENCE_TOPICS.join('|')}> [--rubric FILE]
      Print the reference answers the checks use, as JSON.
  hw2 reference task1 --seeds N
      Task 1's experiments over seeds 1..N: the range of every printed value.
  hw2 rubric [--rubric FILE] [--markdown]
      List every check with its points and visibility (--markdown: the README's table).

Options:
  --out DIR        where results go (default: out)
  --rubric FILE    rubric to grade with (default: reference/rubric.json)
  --seed N         seed for randomized checks (default: 211, the homework's)
  --verbose        print the message of passing checks too
  --no-pdf         skip report.pdf (PDFs need Chromium: Debian's chromium, or HW2_CHROMIUM)
  --jobs N         grade N submissions at once (default: the number of cores)
  --shard i/n      grade the i-th of n deterministic parts (also HW2_SHARD=i/n, or
                   JOB_COMPLETION_INDEX with HW2_SHARDS=n in a Kubernetes Indexed Job)
  --manual CSV     TA points for manual checks: submission,check,points,comment
  --roster CSV     Moodle's participants export (with ID number) or grading worksheet:
                   an upload not by one of the ids it claims, or claiming ids not on it, is refused
  --allow-incomplete  grades.csv (grade, merge): write the partial score of a submission
                   whose points were held back (the grading machine lacked something);
                   by default its Grade is left empty and its Feedback says why
  --quiet          print only the final summary
  --data-dir DIR   where datasets are (else $HW2_DATA, then /usr/share/datasets)
  -h, --help       this text;  --version  the harness version

Exit codes: 0 graded; 1 some submission could not be fully graded by the harness; 2 usage.`;

interface GradeOpts {
  out: string; rubric: string; seed: number; verbose: boolean; pdf: boolean;
  jobs: number; shard?: { index: number; count: number }; manual?: string; quiet: boolean; dataDir?: string; allowIncomplete: boolean;
  roster?: string;
}

function parseShard(text: string | undefined): GradeOpts['shard'] {
  if (text === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`--shard: expected i/n with 1 ≤ i ≤ n (e.g. 2/3), got "${text}"`);
  return { index, count };
}

async function readManual(file: string | undefined): Promise<ManualEntry[] | undefined> {
  if (!file) return undefined;
  const text = await readFile(file, 'utf8').catch(() => {
    throw new UsageError(`--manual ${file}: cannot read the file`);
  });
  try {
    return parseManualCsv(text, file);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A one-line progress bar on a terminal; nothing extra elsewhere (the tables say it all). */
function progress(): ((e: { unit: { id: string }; done: number; total: number; cached: boolean }) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  const started = Date.now();
  return ({ unit, done, total }) => {
    const eta = done ? ((Date.now() - started) / done) * (total - done) / 1000 : NaN;
    process.stderr.write(`\r${bar(done / total)} ${done}/${total} ${unit.id.slice(0, 30).padEnd(30)} ETA ${duration(eta)} ${done === total ? '\n' : ''}`);
  };
}

async function gradeCommand(paths: string[], mode: 'grade' | 'check', opts: GradeOpts): Promise<number> {
  if (!paths.length) throw new UsageError(`hw2 ${mode}: name at least one submission folder`);
  const rubric = loadRubric(opts.rubric, RUBRIC_DEFAULTS);
  const warnings: string[] = [];
  // Read before discovery extracts anything, so a bad CSV leaves no temporary folder behind.
  const manual = await readManual(opts.manual);
  const { units: all, cleanup } = await discover(paths, rubric.limits.zip, warnings, opts.roster ? { roster: await loadRoster(opts.roster) } : {});
  const units = opts.shard ? all.filter((u) => shardOf(u.id, opts.shard!.count) === opts.shard!.index - 1) : all;
  for (const w of warnings) console.error(`hw2: ${w}`);
  // One line per data source, before anything is graded: a TA sees what Task 2–3 will be measured on.
  if (!opts.quiet) for (const line of planLines(await planGradingData(opts.dataDir))) console.log(line);
  let printer: ReturnType<typeof lazyPrinter> | undefined;
  const faults: string[] = [];
  if (opts.pdf) {
    if (findChromium()) printer = lazyPrinter(opts.jobs);
    else console.error('hw2: no Chromium found, so no report.pdf (install Debian\'s chromium or set HW2_CHROMIUM; --no-pdf silences this)');
  }
  const showProgress = opts.quiet ? undefined : progress();
  let outcome;
  try {
    await mkdir(opts.out, { recursive: true });
    // Every manual row must name a submission and a check that exist: check before grading.
    if (manual) {
      const ids = new Set(units.map((u) => u.id));
      const stray = manual.filter((e) => !ids.has(e.submission) && !(opts.shard && all.some((u) => u.id === e.submission)));
      if (stray.length) throw new UsageError(stray.map((e) => `${opts.manual} line ${e.line}: unknown submission "${e.submission}"`).join('\n'));
    }
    outcome = await gradeBatch(units, REGISTRY, rubric, {
      out: opts.out, mode, seed: opts.seed, jobs: opts.jobs, printer, ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
      ...(manual ? { manual: manual.filter((e) => units.some((u) => u.id === e.submission)) } : {}),
      onDone: (e) => {
        showProgress?.(e);
        if (!opts.quiet) {
          if (showProgress) process.stderr.write('\r\x1b[K');
          console.log(`${resultLines(e.result, opts.verbose).join('\n')}${e.cached ? '\n  (unchanged since the last run: result reused)' : ''}\n`);
        }
      },
    });
  } finally {
    await printer?.close();
    await disposeEvaluator();
    for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
  }
  if (manual) {
    const problems = validateManual(manual.filter((e) => units.some((u) => u.id === e.submission)), outcome.results, opts.manual!);
    if (problems.length) throw new UsageError(problems.join('\n'));
  }
  const sheets = mode === 'grade' ? await writeBatchOutputs(opts.out, outcome.results, outcome.writeFaults, { allowIncomplete: opts.allowIncomplete }) : { refusedGrades: [], idConflicts: [] };
  for (const line of [...withheldGradeLines(sheets.refusedGrades), ...idConflictLines(sheets.idConflicts)]) console.error(`hw2: ${line}`);
  if (outcome.results.length > 1) console.log(summaryLines(outcome.results).join('\n'));
  const reused = outcome.cached ? `; ${outcome.cached} unchanged since the last run were reused` : '';
  console.log(`\n${outcome.results.length} graded${opts.shard ? ` (shard ${opts.shard.index}/${opts.shard.count} of ${all.length})` : ''}${reused}. Results under ${resolve(opts.out)}`);
  for (const f of [...faults, ...outcome.writeFaults]) console.error(`hw2: could not write ${f}`);
  if (outcome.harnessFaults.length) console.error(`Not fully graded (harness faults): ${outcome.harnessFaults.join('; ')}`);
  const heldBack = heldBackCauses(outcome.results);
  for (const line of heldBack) console.error(`hw2: not graded yet: ${line}`);
  return outcome.harnessFaults.length || heldBack.length || faults.length || outcome.writeFaults.length ? 1 : 0;
}

/** `hw2 train cnn`: the Task 3 baseline, on SVHN where present, else on the synthetic set. */
async function trainCnnCommand(argv: string[]): Promise<number> {
  // TensorFlow.js loads only for the commands that train: the others start faster without it.
  const { CNN_DEFAULTS, trainCnn } = await import('../train/cnn.ts');
  const { backendInUse } = await import('../tf/runtime.ts');
  const { values } = parseArgs({
    args: argv.slice(argv.indexOf('cnn') + 1), allowPositionals: false,
    options: { out: { type: 'string', default: 'out/cnn' }, epochs: { type: 'string' }, limit: { type: 'string' }, extra: { type: 'string' }, augment: { type: 'boolean', default: false }, 'data-dir': { type: 'string' }, seed: { type: 'string' } },
  });
  const positive = (name: string, v: string | undefined, fallback: number) => {
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name}: expected a positive integer, got "${v}"`);
    return n;
  };
  const started = Date.now();
  const trainingProgress = new TrainingProgress();
  const r = await trainCnn({
    ...CNN_DEFAULTS, out: values.out!, augment: values.augment!, epochs: positive('epochs', values.epochs, CNN_DEFAULTS.epochs),
    ...(values.limit ? { limit: positive('limit', values.limit, 1) } : {}), ...(values.extra ? { extra: positive('extra', values.extra, 1) } : {}),
    seed: positive('seed', values.seed, CNN_DEFAULTS.seed),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    onBatch: (e) => trainingProgress.batch(e),
    onEpoch: (e) => trainingProgress.line(epochLine(e, backendInUse(), (Date.now() - started) / 1000)),
  });
  console.log(`test accuracy ${(100 * r.testAccuracy).toFixed(2)}%${r.synthetic ? ' on the synthetic SVHN-like set (SVHN not found)' : ''}, ${r.params} parameters, ${r.seconds.toFixed(0)} s; saved to ${resolve(values.out!)}`);
  return 0;
}

/** `hw2 train mlp`: trains the Task 2 baseline and saves model, history and card. */
async function trainCommand(rest: string[], argv: string[]): Promise<number> {
  if (rest[0] === 'cnn') return trainCnnCommand(argv);
  const { MLP_DEFAULTS, trainMlp } = await import('../train/mlp.ts');
  const { backendInUse, tensorflow } = await import('../tf/runtime.ts');
  if (rest[0] !== 'mlp') throw new UsageError(`hw2 train: expected "mlp" or "cnn", got "${rest[0] ?? ''}"`);
  const { values } = parseArgs({
    args: argv.slice(argv.indexOf('train') + 2), allowPositionals: false,
    options: {
      out: { type: 'string', default: 'out/mlp' }, epochs: { type: 'string' }, hidden: { type: 'string' }, dropout: { type: 'string' },
      'batch-size': { type: 'string' }, lr: { type: 'string' }, init: { type: 'string' }, limit: { type: 'string' }, seed: { type: 'string' },
      'data-dir': { type: 'string' }, backend: { type: 'string' }, resume: { type: 'string' },
    },
  });
  const number = (name: string, v: string | undefined, fallback: number) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0 && name !== 'dropout') throw new UsageError(`--${name}: expected a positive number, got "${v}"`);
    return n;
  };
  const init = values.init ?? MLP_DEFAULTS.init;
  if (!['glorotUniform', 'heNormal', 'randomNormal'].includes(init)) throw new UsageError(`--init: expected glorotUniform, heNormal or randomNormal, got "${init}"`);
  if (values.backend && !['wasm', 'cpu', 'tensorflow'].includes(values.backend)) throw new UsageError(`--backend: expected wasm, cpu or tensorflow, got "${values.backend}"`);
  if (values.backend) await tensorflow(values.backend as BackendName);
  const started = Date.now();
  const trainingProgress = new TrainingProgress();
  const result = await trainMlp({
    ...MLP_DEFAULTS,
    out: values.out!,
    epochs: number('epochs', values.epochs, MLP_DEFAULTS.epochs),
    hidden: values.hidden ? values.hidden.split(',').map((h) => number('hidden', h, 1)) : MLP_DEFAULTS.hidden,
    dropout: number('dropout', values.dropout, MLP_DEFAULTS.dropout),
    batchSize: number('batch-size', values['batch-size'], MLP_DEFAULTS.batchSize),
    learningRate: number('lr', values.lr, MLP_DEFAULTS.learningRate),
    seed: number('seed', values.seed, MLP_DEFAULTS.seed),
    init: init as MlpOptions['init'],
    ...(values.limit ? { limit: number('limit', values.limit, 60000) } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    ...(values.resume ? { resumeFrom: values.resume } : {}),
    onBatch: (e) => trainingProgress.batch(e),
    onEpoch: (e) => trainingProgress.line(epochLine(e, backendInUse(), (Date.now() - started) / 1000)),
  });
  console.log(`test accuracy ${(100 * result.testAccuracy).toFixed(2)}%, ${result.params} parameters, ${result.seconds.toFixed(0)} s; saved to ${resolve(values.out!)}`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  // train has options of its own
  if (argv[0] === 'train') return trainCommand(argv.slice(1).filter((a) => !a.startsWith('-')).slice(0, 1), argv);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string', default: 'out' },
      rubric: { type: 'string', default: DEFAULT_RUBRIC_PATH },
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
      'data-dir': { type: 'string' },
      'allow-incomplete': { type: 'boolean', default: false },
      markdown: { type: 'boolean', default: false },
    },
    allowNegative: true,
  });
  const [command, ...rest] = positionals;
  if (values.version) {
    console.log(HARNESS_VERSION);
    return 0;
  }
  if (values.help || !command) {
    console.log(HELP);
    return command || values.help ? 0 : 2;
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed: expected a non-negative integer, got "${values.seed}"`);
  const jobs = values.jobs === undefined ? availableParallelism() : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs: expected a positive integer, got "${values.jobs}"`);
  const opts: GradeOpts = {
    out: values.out!, rubric: values.rubric!, seed, verbose: values.verbose!, pdf: values.pdf!, jobs, quiet: values.quiet!,
    shard: parseShard(values.shard ?? process.env.HW2_SHARD ?? (process.env.JOB_COMPLETION_INDEX !== undefined && process.env.HW2_SHARDS ? `${Number(process.env.JOB_COMPLETION_INDEX) + 1}/${process.env.HW2_SHARDS}` : undefined)),
    ...(values.manual ? { manual: values.manual } : {}),
    ...(values.roster ? { roster: values.roster } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    allowIncomplete: values['allow-incomplete']!,
  };
  switch (command) {
    case 'grade':
      return gradeCommand(rest, 'grade', opts);
    case 'check':
      if (rest.length !== 1) throw new UsageError('hw2 check: name exactly one submission folder');
      return gradeCommand(rest, 'check', opts);
    case 'merge':
      return mergeCommand(rest, opts.out, { allowIncomplete: opts.allowIncomplete });
    case 'data': {
      const dir = opts.dataDir ?? process.env.HW2_DATA ?? 'data';
      const splits = rest.slice(2);
      if (rest[0] !== 'fetch' || !['fashion', 'svhn'].includes(rest[1] ?? '') || (rest[1] === 'fashion' && splits.length)) {
        throw new UsageError(`hw2 data: expected "fetch fashion" or "fetch svhn [train] [test] [extra]", got "${rest.join(' ')}"`);
      }
      const bad = splits.find((s) => !['train', 'test', 'extra'].includes(s));
      if (bad) throw new UsageError(`hw2 data fetch svhn: expected train, test or extra, got "${bad}"`);
      try {
        if (rest[1] === 'svhn') await fetchSvhn(dir, (splits.length ? splits : ['train', 'test']) as SvhnSplit[], (line) => console.log(line));
        else await fetchFashion(dir, (line) => console.log(line));
      } catch (error) {
        console.error(`hw2 data fetch: ${(error as Error).message}`);
        return 1;
      }
      if (rest[1] === 'svhn') {
        console.log(`SVHN is in ${resolve(dir, 'svhn')}; grade or train with --data-dir ${dir} or HW2_DATA=${dir}`);
        return 0;
      }
      console.log(`FashionMNIST is in ${resolve(dir, 'fashion-mnist')}; grade with --data-dir ${dir} or HW2_DATA=${dir}`);
      return 0;
    }
    case 'types':
      process.stdout.write((await import('../sandbox/typecheck.ts')).readTypes());
      return 0;
    case 'schema':
      console.log(JSON.stringify(jsonSchema(), null, 2));
      return 0;
    case 'reference': {
      const topic = rest[0] as ReferenceTopic;
      if (!REFERENCE_TOPICS.includes(topic)) throw new UsageError(`hw2 reference: expected one of ${REFERENCE_TOPICS.join(', ')}, got "${rest[0] ?? ''}"`);
      const seeds = values.seeds === undefined ? undefined : Number(values.seeds);
      if (seeds !== undefined && (topic !== 'task1' || !Number.isInteger(seeds) || seeds < 1)) {
        throw new UsageError('--seeds: a positive integer, with hw2 reference task1 only');
      }
      const answer = seeds ? await task1OverSeeds(seeds) : await referenceAnswer(topic, loadRubric(opts.rubric, RUBRIC_DEFAULTS));
      console.log(JSON.stringify(answer, null, 2));
      return 0;
    }
    case 'rubric': {
      const rubric = loadRubric(opts.rubric, RUBRIC_DEFAULTS);
      console.log(values.markdown ? checksTable(REGISTRY, rubric) : rubricListing(REGISTRY, rubric).join('\n'));
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}" (expected grade, check, merge, train, data, schema, types, reference or rubric; see hw2 --help)`);
  }
}

export async function run(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (error) {
    if (error instanceof HarnessError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      console.error(`hw2: ${(error as Error).message}`);
      process.exitCode = 2;
      return;
    }
    // Printed here rather than rethrown: once TensorFlow.js's wasm module is loaded, an uncaught
    // error makes Node print the module's minified source line (tens of kilobytes) before it.
    if (error instanceof DatasetError) console.error(`hw2: ${error.message}`);
    else console.error(`hw2: unexpected error: ${(error as Error)?.stack ?? String(error)}`);
    process.exitCode = 1;
  }
}
