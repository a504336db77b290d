/** `hw2 rubric`: every check with its points, visibility and kind, and the total. */
import { EXIT, type ExitCode } from '../exit-codes.ts';
import * as harness from '../harness.ts';
import type { Options } from '../options.ts';

export async function command(opts: Options): Promise<ExitCode> {
  const rubric = await harness.loadRubric(opts.rubric);
  for (const c of await harness.checks()) {
    const r = rubric.checks[c.id]!;
    console.log(`${c.id.padEnd(18)} ${String(r.points).padStart(3)}  ${r.visibility.padEnd(6)}  ${c.kind.padEnd(6)}  ${c.title}`);
  }
  console.log(`${'total'.padEnd(18)} ${String(rubric.total).padStart(3)}`);
  return EXIT.graded;
}
