/**
 * Grade sheets and machine formats, all from results: Moodle's offline grading worksheet
 * columns, a plain per-question CSV, JUnit XML for CI, and Gradescope's results.json.
 */
import { bucketOf, heldBackReason, isIncomplete, roundPoints, rowScore, totals } from '../core/score.ts';
import { diagnosisText, QUESTIONS, type CheckResult, type SubmissionResult } from '../core/vocabulary.ts';

export function csvCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  // Leading = + - @ would be run as a formula by spreadsheet programs: quote it as text.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const csv = (rows: unknown[][]) => `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;

/** The score in words: what it counts, and what is not in it yet. */
function scoreSentence(r: SubmissionResult): string {
  const t = totals(r.checks, r.mode);
  const parts = t.byTa ? ` (${roundPoints(t.score - t.byTa)} automatic, ${t.byTa} from a TA)` : '';
  return [
    `Score ${r.score} of ${r.maxScore}${parts}.`,
    ...(r.pendingManual ? [`${r.pendingManual} points still wait for a TA.`] : []),
    ...(r.heldBack ? [`${r.heldBack} points not graded yet: ${heldBackReason(r.checks)} (${r.incomplete.join('; ')}); they will be graded again.`] : []),
  ].join(' ');
}

/** Automatic checks that lost points, each with its likely mistake. Held-back checks lost nothing. */
function lostPoints(r: SubmissionResult): string[] {
  return r.checks
    .filter((c) => c.kind === 'auto' && bucketOf(c, r.mode) === 'scored' && c.status !== 'pass')
    .map((c) => `${c.id}: ${c.score}/${c.points}${c.diagnoses?.length ? ` (${diagnosisText(c)})` : ''}`);
}

function feedback(r: SubmissionResult, withheld: boolean): string {
  const head = withheld ? `No grade yet: ${r.heldBack} points could not be graded because ${heldBackReason(r.checks)} (${r.incomplete.join('; ')}). ` +
    `The course will grade them again; the points so far are ${r.score} of ${r.maxScore}.` : scoreSentence(r);
  return [head, ...lostPoints(r)].join(' ');
}

export interface MoodleOptions {
  /** Write the partial score of an incomplete submission as its grade (default: leave it empty). */
  allowIncomplete?: boolean;
}

export interface MoodleSheet {
  csv: string;
  /** Submissions whose Grade was left empty because they are incomplete. */
  refused: string[];
  /**
   * Student ids that more than one submission claims, with the submissions: their Grade is
   * left empty on every such row, since a spreadsheet import would keep whichever came last.
   */
  conflicts: { id: string; submissions: string[] }[];
}

/**
 * One row per student (Moodle grades students, not pairs), in the columns of Moodle's
 * "Download grading worksheet"; Identifier is the student id until a worksheet supplies
 * Moodle's own participant identifiers. An incomplete submission's Grade is left empty
 * (Feedback says why) unless allowIncomplete: an upload would otherwise publish a score that
 * lacks points through no fault of the students.
 */
export function moodleCsv(results: SubmissionResult[], options: MoodleOptions = {}): MoodleSheet {
  const rows: unknown[][] = [['Identifier', 'Full name', 'Grade', 'Maximum grade', 'Feedback comments']];
  const refused: string[] = [];
  // The ids come from each pair's hw2.json: a pair can name anyone, so an id two submissions
  // claim gets no grade from either until a TA decides.
  const claims = new Map<string, string[]>();
  for (const r of results) {
    for (const id of new Set(r.submission.group?.ids ?? [r.submission.id])) claims.set(id, [...(claims.get(id) ?? []), r.submission.id]);
  }
  const conflicts = [...claims].filter(([, subs]) => subs.length > 1).map(([id, submissions]) => ({ id, submissions }));
  const contested = new Map(conflicts.map((c) => [c.id, c.submissions]));
  for (const r of results) {
    const withheld = isIncomplete(r) && !options.allowIncomplete;
    if (withheld) refused.push(r.submission.id);
    const ids = r.submission.group?.ids ?? [r.submission.id];
    ids.forEach((id, i) => {
      const others = contested.get(id);
      const note = others ? `No grade: the id ${id} is claimed by ${others.length} submissions (${others.join(', ')}); a TA must decide which is this student's. ` : '';
      rows.push([id, r.submission.group?.names?.[i] ?? '', withheld || others ? '' : r.score, r.maxScore, `${note}${feedback(r, withheld)}`]);
    });
  }
  return { csv: csv(rows), refused, conflicts };
}

/** One row per submission, one column per question; held_back is the points not graded yet. */
export function scoresCsv(results: SubmissionResult[]): string {
  const header = ['submission', 'ids', ...QUESTIONS, 'score', 'pending_manual', 'held_back', 'max'];
  const rows = results.map((r) => {
    const perQuestion = totals(r.checks, r.mode).perQuestion;
    const per = QUESTIONS.map((q) => perQuestion[q]?.score ?? 0);
    return [r.submission.id, r.submission.group?.ids.join(' ') ?? '', ...per, r.score, r.pendingManual, r.heldBack, r.maxScore];
  });
  return csv([header, ...rows]);
}

/**
 * Characters XML 1.0 cannot hold at all, not even as a character reference (its production
 * Char allows #x9, #xA, #xD, #x20-#xD7FF, #xE000-#xFFFD, #x10000-#x10FFFF): C0 controls but
 * tab, newline and CR; U+FFFE and U+FFFF; and a surrogate without its pair (in a JS string, a
 * pair is one character above U+FFFF and stays).
 */
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const XML_ESCAPES: Record<string, string> = {
  '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;',
  // A parser turns a raw tab, newline or CR inside an attribute into a space: as references they survive.
  '\t': '&#9;', '\n': '&#10;', '\r': '&#13;',
};
const xml = (s: unknown) => String(s).replace(XML_FORBIDDEN, '').replace(/[<>&"'\t\n\r]/g, (c) => XML_ESCAPES[c]!);

/** A testcase's body: nothing for a pass; why it was skipped, errored or failed otherwise. */
function junitBody(c: CheckResult, mode: SubmissionResult['mode']): string {
  switch (bucketOf(c, mode)) {
    case 'hidden': return `<skipped message="hidden"/>`;
    case 'pendingManual': return `<skipped message="graded by a TA"/>`;
    case 'ta': return `<skipped message="${xml(`graded by a TA: ${rowScore(c, mode)}/${c.points}`)}"/>`;
    case 'heldBack': return `<error type="environment" message="${xml(`Not graded yet: ${heldBackReason([c])}. ${c.message}`)}"/>`;
    case 'scored':
      return c.status === 'pass' ? '' :
        c.status === 'error' ? `<error message="${xml(c.message)}"/>` :
        `<failure message="${xml(`${c.score}/${c.points}: ${c.message}`)}">${xml(diagnosisText(c) ?? '')}</failure>`;
  }
}

/**
 * One testsuite per submission, one testcase per check; manual and hidden checks are skipped;
 * a check the grading machine could not run is an error of type "environment".
 */
export function junitXml(results: SubmissionResult[]): string {
  const suites = results.map((r) => {
    const cases = r.checks.map((c) => `    <testcase classname="${xml(`${r.submission.id}.${c.question}`)}" name="${xml(c.id)}">${junitBody(c, r.mode)}</testcase>`);
    const count = (buckets: string[], statuses?: string[]) => r.checks.filter((c) => buckets.includes(bucketOf(c, r.mode)) && (!statuses || statuses.includes(c.status))).length;
    const failures = count(['scored'], ['fail', 'partial']);
    const errors = count(['scored'], ['error']) + count(['heldBack']);
    const skipped = count(['hidden', 'pendingManual', 'ta']);
    return `  <testsuite name="${xml(r.submission.id)}" tests="${r.checks.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="hw2">\n${suites.join('\n')}\n</testsuites>\n`;
}

/**
 * Gradescope's autograder results.json: score, and tests with name, score, max_score, output.
 * The score is the sum of the tests' scores: a TA's points count in their test, and a test the
 * grading machine could not run scores nothing and says so (Gradescope has no "pending").
 */
export function gradescopeJson(r: SubmissionResult): string {
  return `${JSON.stringify({
    score: r.score,
    output: scoreSentence(r),
    tests: r.checks.map((c) => {
      const bucket = bucketOf(c, r.mode);
      return {
        name: `${c.id} ${c.title}`,
        score: rowScore(c, r.mode),
        max_score: c.points,
        status: c.status === 'pass' || (bucket === 'ta' && rowScore(c, r.mode) >= c.points) ? 'passed' : 'failed',
        output: [
          bucket === 'heldBack' ? `Not graded yet: ${heldBackReason([c])}; this check will be graded again.` : '',
          c.message,
          c.diagnoses?.length ? `Likely mistake: ${diagnosisText(c)}` : '',
          c.ta ? `TA: ${c.ta.points}/${c.points}${c.ta.comment ? ` — ${c.ta.comment}` : ''}` : '',
        ].filter(Boolean).join('\n'),
        visibility: c.visibility === 'hidden' ? 'after_published' : 'visible',
      };
    }),
  }, null, 2)}\n`;
}
