/** `hw2 schema`: the JSON Schema of hw2.json. */
import { EXIT, type ExitCode } from '../exit-codes.ts';
import * as harness from '../harness.ts';

export async function command(): Promise<ExitCode> {
  console.log(JSON.stringify(await harness.jsonSchema(), null, 2));
  return EXIT.graded;
}
