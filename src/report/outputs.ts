/**
 * A whole run's files at once, for callers that have every result in hand (a test, a script):
 * the run-level reporters of reporters.ts, isolated as they are there. The CLI feeds its
 * reporters itself (src/cli/commands/grade.ts, merge.ts).
 */
import type { SubmissionResult } from '../core/vocabulary.ts';
import { Reporters, type RunNotes } from './reporters.ts';
import type { MoodleOptions } from './sheets.ts';

export { writeAtomic } from '../util/atomic.ts';

export type Faults = string[];
export type BatchOutputs = RunNotes;

/** summary.html, grades.csv (Moodle), scores.csv, junit.xml; a writer that throws adds a line to `faults`. */
export async function writeBatchOutputs(out: string, results: SubmissionResult[], faults: Faults, options: MoodleOptions = {}): Promise<BatchOutputs> {
  const reporters = await Reporters.create(['summary', 'moodle', 'scores', 'junit'], { jobs: 1, allowIncomplete: !!options.allowIncomplete, warn: () => {} });
  const notes = await reporters.run(results, out);
  faults.push(...reporters.faults);
  return notes;
}
