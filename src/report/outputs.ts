/**
 * Writes every file a grading run produces. Each writer is isolated: one that throws is
 * reported and the others still run (a broken PDF never costs a TA the grade sheet).
 */
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SubmissionResult } from '../core/vocabulary.ts';
import type { Printer } from './pdf.ts';
import { renderReport, renderSummary } from './render.ts';
import { gradescopeJson, junitXml, moodleCsv, scoresCsv, type MoodleOptions, type MoodleSheet } from './sheets.ts';

export async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

export type Faults = string[];

async function attempt(faults: Faults, what: string, f: () => Promise<void>): Promise<void> {
  try {
    await f();
  } catch (error) {
    faults.push(`${what}: ${(error as Error).message}`);
  }
}

/**
 * report.html, report.pdf (when a printer is given), gradescope-results.json, and last
 * result.json: written last, it marks the submission done for a resumed run.
 */
export async function writeSubmissionOutputs(dir: string, result: SubmissionResult, printer: Printer | undefined, faults: Faults): Promise<void> {
  await attempt(faults, `${result.submission.id} gradescope-results.json`, () => writeAtomic(join(dir, 'gradescope-results.json'), gradescopeJson(result)));
  let html: string | undefined;
  await attempt(faults, `${result.submission.id} report.html`, async () => {
    html = renderReport(result);
    await writeAtomic(join(dir, 'report.html'), html);
  });
  if (printer && html) await attempt(faults, `${result.submission.id} report.pdf`, async () => writeAtomic(join(dir, 'report.pdf'), await printer.print(html!)));
  await writeAtomic(join(dir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
}

export interface BatchOutputs {
  /** Incomplete submissions whose grade grades.csv left empty (see MoodleOptions.allowIncomplete). */
  refusedGrades: string[];
  /** Student ids more than one submission claims: no grade on their rows (see MoodleSheet.conflicts). */
  idConflicts: MoodleSheet['conflicts'];
}

/** summary.html, grades.csv (Moodle), scores.csv, junit.xml. */
export async function writeBatchOutputs(out: string, results: SubmissionResult[], faults: Faults, options: MoodleOptions = {}): Promise<BatchOutputs> {
  let refusedGrades: string[] = [];
  let idConflicts: MoodleSheet['conflicts'] = [];
  await attempt(faults, 'summary.html', () => writeAtomic(join(out, 'summary.html'), renderSummary(results)));
  await attempt(faults, 'grades.csv', async () => {
    const moodle = moodleCsv(results, options);
    refusedGrades = moodle.refused;
    idConflicts = moodle.conflicts;
    await writeAtomic(join(out, 'grades.csv'), moodle.csv);
  });
  await attempt(faults, 'scores.csv', () => writeAtomic(join(out, 'scores.csv'), scoresCsv(results)));
  await attempt(faults, 'junit.xml', () => writeAtomic(join(out, 'junit.xml'), junitXml(results)));
  return { refusedGrades, idConflicts };
}
