/**
 * Grade sheets and machine formats, all from results: Moodle's offline grading worksheet
 * columns, a plain per-question CSV, JUnit XML for CI, and Gradescope's results.json.
 */
import { QUESTIONS, type SubmissionResult } from '../engine/types.ts';

export function csvCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  // Leading = + - @ would be run as a formula by spreadsheet programs: quote it as text.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const csv = (rows: unknown[][]) => `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;

function feedback(r: SubmissionResult): string {
  const lost = r.checks.filter((c) => c.kind === 'auto' && c.status !== 'pass' && c.status !== 'hidden');
  const head = `Automatic score ${r.score} of ${r.maxScore}; ${r.pendingManual} points graded by a TA.`;
  return [head, ...lost.map((c) => `${c.id}: ${c.score}/${c.points}${c.diagnosis ? ` (${c.diagnosis})` : ''}`)].join(' ');
}

/**
 * One row per student (Moodle grades students, not pairs), in the columns of Moodle's
 * "Download grading worksheet"; Identifier is the student id until a worksheet supplies
 * Moodle's own participant identifiers.
 */
export function moodleCsv(results: SubmissionResult[]): string {
  const rows: unknown[][] = [['Identifier', 'Full name', 'Grade', 'Maximum grade', 'Feedback comments']];
  for (const r of results) {
    const ids = r.submission.group?.ids ?? [r.submission.id];
    ids.forEach((id, i) => rows.push([id, r.submission.group?.names?.[i] ?? '', r.score, r.maxScore, feedback(r)]));
  }
  return csv(rows);
}

/** One row per submission, one column per question. */
export function scoresCsv(results: SubmissionResult[]): string {
  const header = ['submission', 'ids', ...QUESTIONS, 'score', 'pending_manual', 'max'];
  const rows = results.map((r) => {
    const per = QUESTIONS.map((q) => Math.round(r.checks.filter((c) => c.question === q && c.status !== 'hidden').reduce((a, c) => a + c.score, 0) * 100) / 100);
    return [r.submission.id, r.submission.group?.ids.join(' ') ?? '', ...per, r.score, r.pendingManual, r.maxScore];
  });
  return csv([header, ...rows]);
}

const xml = (s: unknown) => String(s).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
  // characters XML 1.0 cannot hold at all
  .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** One testsuite per submission, one testcase per check; manual and hidden checks are skipped. */
export function junitXml(results: SubmissionResult[]): string {
  const suites = results.map((r) => {
    const cases = r.checks.map((c) => {
      const body = c.status === 'pass' ? '' :
        c.status === 'manual' || c.status === 'hidden' ? `<skipped message="${xml(c.status === 'manual' ? 'graded by a TA' : 'hidden')}"/>` :
        c.status === 'error' ? `<error message="${xml(c.message)}"/>` :
        `<failure message="${xml(`${c.score}/${c.points}: ${c.message}`)}">${xml(c.diagnosis ?? '')}</failure>`;
      return `    <testcase classname="${xml(`${r.submission.id}.${c.question}`)}" name="${xml(c.id)}">${body}</testcase>`;
    });
    const count = (s: string[]) => r.checks.filter((c) => s.includes(c.status)).length;
    return `  <testsuite name="${xml(r.submission.id)}" tests="${r.checks.length}" failures="${count(['fail', 'partial'])}" errors="${count(['error'])}" skipped="${count(['manual', 'hidden'])}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="hw2">\n${suites.join('\n')}\n</testsuites>\n`;
}

/** Gradescope's autograder results.json: score, and tests with name, score, max_score, output. */
export function gradescopeJson(r: SubmissionResult): string {
  return `${JSON.stringify({
    score: r.score,
    output: `Automatic points ${r.score}; ${r.pendingManual} points graded by a TA.`,
    tests: r.checks.map((c) => ({
      name: `${c.id} ${c.title}`,
      score: c.status === 'manual' || c.status === 'hidden' ? 0 : c.score,
      max_score: c.points,
      status: c.status === 'pass' ? 'passed' : 'failed',
      output: [c.message, c.diagnosis ? `Likely mistake: ${c.diagnosis}` : ''].filter(Boolean).join('\n'),
      visibility: c.visibility === 'hidden' ? 'after_published' : 'visible',
    })),
  }, null, 2)}\n`;
}
