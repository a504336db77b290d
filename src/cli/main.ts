/**
 * The `hw2` command line: resolves the options (options.ts), loads the one command asked for
 * (commands/, each with `await import()`, so a command pays only for its own modules), and
 * turns whatever it throws into a message and an exit code (exit-codes.ts, the one table).
 * bin/hw2.mjs answers a bare `--version` or `--help` before TypeScript loads at all.
 */
import { UsageError } from '../core/errors.ts';
import { EXIT, exitCodeOf, isHarnessError, type ExitCode } from './exit-codes.ts';
import { helpText, version } from './help.mjs';
import { terminalLines } from '../util/text.ts';
import { resolveOptions, type Environment, type Options } from './options.ts';

/** Every command but train, by name: each module exports `command(options)`. */
export const COMMANDS: Record<string, () => Promise<{ command(opts: Options): Promise<ExitCode> }>> = {
  grade: () => import('./commands/grade.ts'),
  check: () => import('./commands/grade.ts'),
  merge: () => import('./commands/merge.ts'),
  data: () => import('./commands/data.ts'),
  types: () => import('./commands/types.ts'),
  schema: () => import('./commands/schema.ts'),
  reference: () => import('./commands/reference.ts'),
  rubric: () => import('./commands/rubric.ts'),
  similarity: () => import('./commands/similarity.ts'),
  review: () => import('./commands/review.ts'),
};

export async function main(argv: string[], env: Environment = process.env): Promise<ExitCode> {
  // train has options of its own
  if (argv[0] === 'train') return (await import('./commands/train.ts')).command(argv.slice(1), env);
  const opts = resolveOptions(argv, env);
  if (opts.version) {
    console.log(version());
    return EXIT.graded;
  }
  if (opts.help || opts.command === undefined) {
    console.log(helpText());
    return opts.help ? EXIT.graded : EXIT.usage;
  }
  const load = Object.hasOwn(COMMANDS, opts.command) ? COMMANDS[opts.command] : undefined;
  if (!load) {
    throw new UsageError(`unknown command "${opts.command}" (expected grade, check, merge, train, data, schema, types, reference, rubric, similarity or review; see hw2 --help)`);
  }
  return (await load()).command(opts);
}

/** Runs `hw2` and returns its exit code; bin/hw2.mjs sets it. Prints every error, never throws. */
export async function run(argv: string[], env: Environment = process.env): Promise<ExitCode> {
  try {
    return await main(argv, env);
  } catch (error) {
    // Printed here rather than rethrown: once TensorFlow.js's wasm module is loaded, an uncaught
    // error makes Node print the module's minified source line (tens of kilobytes) before it.
    if (isHarnessError(error)) console.error(terminalLines(`hw2: ${error.message}`));
    else console.error(`hw2: unexpected error: ${(error as Error)?.stack ?? String(error)}`);
    return exitCodeOf(error);
  }
}
