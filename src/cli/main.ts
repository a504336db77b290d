/**
 * The `hw2` command line. Exit codes: 0 every submission graded; 1 some submission could not
 * be fully graded through a fault of the harness (listed); 2 bad usage or a bad rubric.
 * A submission's own faults (broken hw2.json, wrong answers) are grades, not exit codes.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CHECKS, CHECK_IDS } from '../../checks/index.ts';
import { referenceAnswer, REFERENCE_TOPICS, task1OverSeeds, type ReferenceTopic } from '../../reference/index.ts';
import { HarnessError, UsageError } from '../contract/errors.ts';
import { jsonSchema } from '../contract/schema.ts';
import { gradePath } from '../engine/pipeline.ts';
import { DEFAULT_RUBRIC_PATH, loadRubric } from '../engine/rubric.ts';
import type { SubmissionResult } from '../engine/types.ts';
import { HARNESS_VERSION } from '../engine/version.ts';
import { discoverSubmissions } from './discover.ts';
import { readTypes } from '../sandbox/typecheck.ts';
import { resultLines, summaryLines } from './table.ts';
import { findChromium, PdfPrinter } from '../report/pdf.ts';
import { writeBatchOutputs, writeSubmissionOutputs } from '../report/outputs.ts';

const HELP = `hw2 ${HARNESS_VERSION} — grade EE 046211 HW2 submissions

Usage:
  hw2 grade <path...> [--out DIR] [--rubric FILE] [--seed N] [--verbose] [--no-pdf]
      Grade submissions: folders with hw2.json (and optionally solution.ts), .zip files
      of such a folder, or folders holding several of them. Writes, per submission,
      DIR/<id>/result.json, report.html, report.pdf, gradescope-results.json; per batch,
      DIR/summary.html, grades.csv (Moodle), scores.csv, junit.xml.
      Writes DIR/<submission>/result.json (default DIR: out) and prints a table.
  hw2 check <folder|zip> [--out DIR] [--rubric FILE]
      Student mode: public checks in full, hidden checks only as "graded later";
      a TypeScript solution is also type-checked against types/solution.d.ts.
  hw2 types
      Print types/solution.d.ts, the exports a solution module may have.
  hw2 schema
      Print the JSON Schema of hw2.json (contract 1).
  hw2 reference <${REFERENCE_TOPICS.join('|')}> [--rubric FILE]
      Print the reference answers the checks use, as JSON.
  hw2 reference task1 --seeds N
      Task 1's experiments over seeds 1..N: the range of every printed value.
  hw2 rubric [--rubric FILE]
      List every check with its points and visibility.

Options:
  --out DIR        where results go (default: out)
  --rubric FILE    rubric to grade with (default: reference/rubric.json)
  --seed N         seed for randomized checks (default: 211, the homework's)
  --verbose        print the message of passing checks too
  --no-pdf         skip report.pdf (PDFs need Chromium: Debian's chromium, or HW2_CHROMIUM)
  -h, --help       this text;  --version  the harness version

Exit codes: 0 graded; 1 some submission could not be fully graded by the harness; 2 usage.`;

interface GradeOpts { out: string; rubric: string; seed: number; verbose: boolean; pdf: boolean }

async function gradeCommand(paths: string[], mode: 'grade' | 'check', opts: GradeOpts): Promise<number> {
  if (!paths.length) throw new UsageError(`hw2 ${mode}: name at least one submission folder`);
  const rubric = loadRubric(opts.rubric, CHECK_IDS);
  const folders = mode === 'check' ? paths : await discoverSubmissions(paths);
  const results: SubmissionResult[] = [];
  const faulty: string[] = [];
  const faults: string[] = [];
  let printer: PdfPrinter | undefined;
  if (opts.pdf) {
    if (findChromium()) printer = await PdfPrinter.launch().catch((error: Error) => {
      faults.push(`PDF printer: ${error.message}`);
      return undefined;
    });
    else console.error('hw2: no Chromium found, so no report.pdf (install Debian\'s chromium or set HW2_CHROMIUM; --no-pdf silences this)');
  }
  try {
    for (const folder of folders) {
      const { result, harnessFaults } = await gradePath(folder, rubric, { mode, seed: opts.seed });
      const dir = join(opts.out, result.submission.id);
      await mkdir(dir, { recursive: true });
      await writeSubmissionOutputs(dir, result, printer, faults);
      if (harnessFaults.length) faulty.push(`${result.submission.id} (${harnessFaults.join(', ')})`);
      results.push(result);
      console.log(resultLines(result, opts.verbose).join('\n'));
      console.log();
    }
  } finally {
    await printer?.close();
  }
  if (mode === 'grade') await writeBatchOutputs(opts.out, results, faults);
  if (results.length > 1) console.log(summaryLines(results).join('\n'));
  console.log(`\nResults written under ${resolve(opts.out)}`);
  for (const f of faults) console.error(`hw2: could not write ${f}`);
  if (faulty.length) console.error(`Not fully graded (harness faults): ${faulty.join('; ')}`);
  return faulty.length || faults.length ? 1 : 0;
}

export async function main(argv: string[]): Promise<number> {
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
  const opts = { out: values.out!, rubric: values.rubric!, seed, verbose: values.verbose!, pdf: values.pdf! };
  switch (command) {
    case 'grade':
      return gradeCommand(rest, 'grade', opts);
    case 'check':
      if (rest.length !== 1) throw new UsageError('hw2 check: name exactly one submission folder');
      return gradeCommand(rest, 'check', opts);
    case 'types':
      process.stdout.write(readTypes());
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
      const answer = seeds ? await task1OverSeeds(seeds) : await referenceAnswer(topic, loadRubric(opts.rubric, CHECK_IDS));
      console.log(JSON.stringify(answer, null, 2));
      return 0;
    }
    case 'rubric': {
      const rubric = loadRubric(opts.rubric, CHECK_IDS);
      for (const c of CHECKS) {
        const r = rubric.checks[c.id]!;
        console.log(`${c.id.padEnd(18)} ${String(r.points).padStart(3)}  ${r.visibility.padEnd(6)}  ${c.kind.padEnd(6)}  ${c.title}`);
      }
      console.log(`${'total'.padEnd(18)} ${String(rubric.total).padStart(3)}`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}" (expected grade, check, schema, types, reference or rubric; see hw2 --help)`);
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
    throw error;
  }
}
