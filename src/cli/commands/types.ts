/** `hw2 types`: types/solution.d.ts, the exports a solution module may have. */
import { EXIT, type ExitCode } from '../exit-codes.ts';
import * as harness from '../harness.ts';

export async function command(): Promise<ExitCode> {
  process.stdout.write(await harness.solutionTypes());
  return EXIT.graded;
}
