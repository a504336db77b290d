/** `hw2 rubric`: every check with its points, visibility and kind, and the total; --markdown: the README's table. */
import { EXIT, type ExitCode } from '../exit-codes.ts';
import * as harness from '../harness.ts';
import type { Options } from '../options.ts';

export async function command(opts: Options): Promise<ExitCode> {
  const rubric = await harness.loadRubric(opts.rubric);
  console.log(await harness.rubricText(rubric, opts.markdown));
  return EXIT.graded;
}
