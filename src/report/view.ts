/**
 * View models: everything the templates show, computed from result.json alone, so a report
 * can be re-rendered from a result without grading again. Pure.
 */
import { bucketOf, heldBackReason, isIncomplete, isScored, rowScore, totals } from '../core/score.ts';
import { diagnosisText, QUESTION_TITLES, type CheckResult, type Evidence, type QuestionId, type Status, type SubmissionResult } from '../core/vocabulary.ts';
import { escapeHtml } from './escape.ts';
import { renderMarkdown } from './markdown.ts';
import { curvesSvg, histogramSvg, scoreHistogramSvg, thresholdSvg } from './svg.ts';

const STATUS_LABEL: Record<Status, string> = {
  pass: 'pass', partial: 'partial', fail: 'fail', error: 'error', manual: 'by a TA', hidden: 'graded later',
};

const num = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : Number(v.toPrecision(6)).toString()) : v === null || v === undefined ? '—' : String(v));

/** A table's HTML: every cell escaped; verdicts become classes. */
function tableHtml(e: Extract<Evidence, { type: 'table' }>): string {
  const head = `<tr>${e.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const rows = e.rows.map((r) => `<tr>${r.cells.map((c, i) => {
    const v = r.verdicts[i];
    return `<td${v ? ` class="cell-${v}" title="${v}"` : ''}>${escapeHtml(num(c))}</td>`;
  }).join('')}</tr>`).join('');
  return `<table class="evidence"><thead>${head}</thead><tbody>${rows}</tbody></table>`;
}

function evidenceHtml(e: Evidence): string {
  switch (e.type) {
    case 'table': return tableHtml(e);
    case 'histogram': return histogramSvg(e);
    case 'curves': return curvesSvg(e);
    case 'thresholds': return thresholdSvg(e);
  }
}

function pretty(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v), 1);
  return text.length > 1500 ? `${text.slice(0, 1500)}\n…` : text;
}

export interface CheckView {
  id: string;
  title: string;
  status: Status;
  /** The style: the status, or 'held' for a check the grading machine could not run. */
  look: Status | 'held';
  /** 'environment' when the grading machine lacked something. */
  cause?: string;
  statusLabel: string;
  score: string;
  points: number;
  message: string;
  diagnosis?: string;
  /** The TA's points and comment, for a manual check a TA has graded. */
  ta?: string;
  expected?: string;
  actual?: string;
  /** Trusted HTML made here from data: escaped tables and SVG. */
  evidenceHtml?: string;
  /** The pair's Markdown, rendered safely. */
  textHtml?: string;
  seed?: number;
}

export interface QuestionView {
  id: QuestionId;
  title: string;
  score: string;
  points: number;
  /** Points graded by a TA or (student mode) later by the course. */
  pending: number;
  /** Points not graded yet: the grading machine lacked something. */
  heldBack: number;
  checks: CheckView[];
}

export interface ReportView {
  student: boolean;
  submission: SubmissionResult['submission'];
  harness: string;
  generated: string;
  score: number;
  maxScore: number;
  pendingManual: number;
  heldBack: number;
  /** One line per held-back check; not empty means the score is not a grade yet. */
  incomplete: string[];
  heldBackReason: string;
  /** What the score does not count yet, in sentences. */
  notes: string[];
  problems: string[];
  solution?: SubmissionResult['solution'];
  questions: QuestionView[];
}

export function checkView(c: CheckResult, mode: SubmissionResult['mode'], showEvidence: boolean): CheckView {
  const bucket = bucketOf(c, mode);
  const held = bucket === 'heldBack';
  const view: CheckView = {
    id: c.id, title: c.title, status: c.status, look: held ? 'held' : c.status, statusLabel: held ? 'not graded yet' : STATUS_LABEL[c.status],
    score: bucket === 'ta' || bucket === 'scored' ? String(rowScore(c, mode)) : '–', points: c.points, message: c.message,
  };
  if (c.cause) view.cause = c.cause;
  if (c.ta) view.ta = `${c.ta.points} / ${c.points}${c.ta.comment ? ` — ${c.ta.comment}` : ''}`;
  if (c.diagnoses?.length) view.diagnosis = diagnosisText(c)!;
  // Tables already show every expected value next to the pair's; the raw JSON is for the rest.
  if (c.evidence && showEvidence) view.evidenceHtml = evidenceHtml(c.evidence);
  if (!(c.evidence?.type === 'table')) {
    const expected = pretty(c.expected);
    const actual = pretty(c.actual);
    if (expected) view.expected = expected;
    if (actual) view.actual = actual;
  }
  if (c.text) view.textHtml = renderMarkdown(c.text);
  if (c.seed !== undefined) view.seed = c.seed;
  return view;
}

export function reportView(result: SubmissionResult, generated: Date): ReportView {
  const byQuestion = new Map<QuestionId, CheckResult[]>();
  for (const c of result.checks) byQuestion.set(c.question, [...(byQuestion.get(c.question) ?? []), c]);
  const t = totals(result.checks, result.mode);
  const notes = [
    ...(t.pendingManual ? [`${t.pendingManual} points are graded by a TA.`] : []),
    ...(t.hidden ? [`${t.hidden} points of hidden checks are graded later by the course.`] : []),
    ...(t.heldBack ? [`${t.heldBack} points are not graded yet: ${heldBackReason(result.checks)}.`] : []),
  ];
  return {
    student: result.mode === 'check',
    submission: result.submission,
    harness: `${result.harness.name} ${result.harness.version}`,
    generated: generated.toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
    score: result.score,
    maxScore: result.maxScore,
    pendingManual: result.pendingManual,
    heldBack: result.heldBack,
    incomplete: result.incomplete,
    heldBackReason: heldBackReason(result.checks),
    notes: notes.length ? notes : ['All points are automatic.'],
    problems: result.problems,
    solution: result.solution,
    questions: [...byQuestion].map(([id, checks]) => {
      const q = t.perQuestion[id]!;
      return {
        id,
        title: QUESTION_TITLES[id],
        score: String(q.score),
        points: q.maxScore,
        pending: q.pendingManual + q.hidden,
        heldBack: q.heldBack,
        checks: checks.map((c) => checkView(c, result.mode, true)),
      };
    }),
  };
}

export interface SummaryView {
  generated: string;
  harness: string;
  count: number;
  /** Submissions whose scores are grades: the mean, median and histogram are theirs. */
  complete: number;
  mean: string;
  median: string;
  maxScore: number;
  histogramSvg: string;
  checks: { id: string; title: string; points: number; passRate: string; passPercent: number; mean: string }[];
  /** One row per misconception (by code), with the words of its first occurrence. */
  diagnoses: { code: string; text: string; count: number; checks: string }[];
  /** Submissions with errors of their own (a broken hw2.json, a model that does not load). */
  errored: { id: string; problems: string[]; errors: string[] }[];
  /** Submissions with points held back because the grading machine lacked something. */
  incomplete: { id: string; heldBack: number; lines: string[] }[];
  submissions: { id: string; names: string; score: number; pending: number; heldBack: number; incomplete: boolean }[];
}

export function summaryView(results: SubmissionResult[], generated: Date): SummaryView {
  // An incomplete submission's score lacks points through no fault of its own: not a grade to average.
  const graded = results.filter((r) => !isIncomplete(r));
  const scores = graded.map((r) => r.score).sort((a, b) => a - b);
  const mid = scores.length / 2;
  const median = scores.length ? (scores.length % 2 ? scores[Math.floor(mid)]! : (scores[mid - 1]! + scores[mid]!) / 2) : 0;
  const ids = results[0]?.checks.map((c) => c.id) ?? [];
  // Counted by code: "Sign error in w3" and "Sign error in w3, w5" are one misconception.
  const diagnoses = new Map<string, { text: string; count: number; checks: Set<string> }>();
  for (const r of results) for (const c of r.checks) {
    // A code counts once per check of a submission, however many rows or values it names.
    for (const d of new Map((c.diagnoses ?? []).map((d) => [d.code, d])).values()) {
      const entry = diagnoses.get(d.code) ?? { text: d.text, count: 0, checks: new Set() };
      entry.count++;
      entry.checks.add(c.id);
      diagnoses.set(d.code, entry);
    }
  }
  return {
    generated: generated.toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
    harness: results[0] ? `${results[0].harness.name} ${results[0].harness.version}` : '',
    count: results.length,
    complete: graded.length,
    mean: scores.length ? (scores.reduce((a, b) => a + b, 0) / scores.length).toFixed(1) : '–',
    median: scores.length ? median.toFixed(1) : '–',
    maxScore: results[0]?.maxScore ?? 100,
    histogramSvg: scoreHistogramSvg(scores, results[0]?.maxScore ?? 100),
    checks: ids.map((id) => {
      const all = results.flatMap((r) => r.checks.filter((c) => c.id === id).map((c) => ({ c, mode: r.mode })));
      const first = all[0]!.c;
      // Only rows with a known score say something about the class: held back, waiting for a
      // TA (Task 3 on the synthetic set, say) or hidden rows are left out of both numbers.
      const rows = all.filter(({ c, mode }) => isScored(c, mode));
      const passed = rows.filter(({ c }) => c.status === 'pass').length;
      const byTa = first.kind === 'manual' || !rows.length;
      return {
        id, title: first.title, points: first.points,
        passRate: byTa ? 'by a TA' : `${passed}/${rows.length}`,
        passPercent: byTa ? 0 : Math.round((100 * passed) / rows.length),
        mean: byTa ? '–' : (rows.reduce((a, { c, mode }) => a + rowScore(c, mode), 0) / rows.length).toFixed(2),
      };
    }),
    diagnoses: [...diagnoses].sort((a, b) => b[1].count - a[1].count).map(([code, e]) => ({ code, text: e.text, count: e.count, checks: [...e.checks].join(', ') })),
    errored: results.map((r) => ({ r, errors: r.checks.filter((c) => c.status === 'error' && bucketOf(c, r.mode) !== 'heldBack') }))
      .filter(({ errors }) => errors.length)
      .map(({ r, errors }) => ({ id: r.submission.id, problems: r.problems, errors: errors.map((c) => `${c.id}: ${c.message}`) })),
    incomplete: results.filter(isIncomplete).map((r) => ({ id: r.submission.id, heldBack: r.heldBack, lines: r.incomplete })),
    submissions: results.map((r) => ({
      id: r.submission.id, names: r.submission.group?.names?.join(', ') ?? r.submission.group?.ids.join(', ') ?? '',
      score: r.score, pending: r.pendingManual, heldBack: r.heldBack, incomplete: isIncomplete(r),
    })),
  };
}
