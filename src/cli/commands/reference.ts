/** `hw2 reference <topic>`: the reference answers the checks use; `task1 --seeds N`: Task 1 over seeds. */
import { UsageError } from '../../core/errors.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import * as harness from '../harness.ts';
import type { Options } from '../options.ts';

export async function command(opts: Options): Promise<ExitCode> {
  const topic = opts.args[0] ?? '';
  const topics = await harness.referenceTopics();
  if (!topics.includes(topic)) throw new UsageError(`hw2 reference: expected one of ${topics.join(', ')}, got "${topic}"`);
  const seeds = opts.seeds;
  if (seeds !== undefined && (topic !== 'task1' || !Number.isInteger(seeds) || seeds < 1)) {
    throw new UsageError('--seeds: a positive integer, with hw2 reference task1 only');
  }
  const answer = seeds ? await harness.task1OverSeeds(seeds) : await harness.referenceAnswer(topic, await harness.loadRubric(opts.rubric));
  console.log(JSON.stringify(answer, null, 2));
  return EXIT.graded;
}
