/**
 * View models: everything the templates show, computed from result.json alone, so a report
 * can be re-rendered from a result without grading again. Pure.
 */
import type { CheckResult, Evidence, QuestionId, Status, SubmissionResult } from '../engine/types.ts';
import { escapeHtml } from './escape.ts';
import { renderMarkdown } from './markdown.ts';
import { curvesSvg, histogramSvg, scoreHistogramSvg, thresholdSvg } from './svg.ts';

export const QUESTION_TITLES: Record<QuestionId, string> = {
  q1: 'Q1 Generalization (teacher–student)',
  q2: 'Q2 Backpropagation by hand',
  q3: 'Q3 Deep double descent',
  q4: 'Q4 Initialization',
  q5: 'Q5 MLP and invariance',
  q6: 'Q6 VGG architecture',
  task1: 'Task 1 Activation and initialization',
  task2: 'Task 2 FashionMNIST MLP',
  task3: 'Task 3 SVHN CNN',
  rules: 'Submission rules',
};

const STATUS_LABEL: Record<Status, string> = {
  pass: 'pass', partial: 'partial', fail: 'fail', error: 'error', manual: 'by a TA', skipped: 'skipped', hidden: 'graded later',
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
  pending: number;
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
  problems: string[];
  solution?: SubmissionResult['solution'];
  questions: QuestionView[];
}

function checkView(c: CheckResult, showEvidence: boolean): CheckView {
  const view: CheckView = {
    id: c.id, title: c.title, status: c.status, statusLabel: STATUS_LABEL[c.status],
    score: (c.status === 'manual' && !c.ta) || c.status === 'hidden' ? '–' : String(c.score), points: c.points, message: c.message,
  };
  if (c.ta) view.ta = `${c.ta.points} / ${c.points}${c.ta.comment ? ` — ${c.ta.comment}` : ''}`;
  if (c.diagnosis) view.diagnosis = c.diagnosis;
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
  const round = (x: number) => String(Math.round(x * 100) / 100);
  return {
    student: result.mode === 'check',
    submission: result.submission,
    harness: `${result.harness.name} ${result.harness.version}`,
    generated: generated.toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
    score: result.score,
    maxScore: result.maxScore,
    pendingManual: result.pendingManual,
    problems: result.problems,
    solution: result.solution,
    questions: [...byQuestion].map(([id, checks]) => ({
      id,
      title: QUESTION_TITLES[id],
      score: round(checks.reduce((a, c) => a + (c.status === 'hidden' ? 0 : c.score), 0)),
      points: checks.reduce((a, c) => a + c.points, 0),
      pending: checks.filter((c) => (c.status === 'manual' && !c.ta) || c.status === 'hidden').reduce((a, c) => a + c.points, 0),
      checks: checks.map((c) => checkView(c, true)),
    })),
  };
}

export interface SummaryView {
  generated: string;
  harness: string;
  count: number;
  mean: string;
  median: string;
  maxScore: number;
  histogramSvg: string;
  checks: { id: string; title: string; points: number; passRate: string; passPercent: number; mean: string }[];
  diagnoses: { text: string; count: number; checks: string }[];
  errored: { id: string; problems: string[]; errors: string[] }[];
  submissions: { id: string; names: string; score: number; pending: number }[];
}

export function summaryView(results: SubmissionResult[], generated: Date): SummaryView {
  const scores = results.map((r) => r.score).sort((a, b) => a - b);
  const mid = scores.length / 2;
  const median = scores.length ? (scores.length % 2 ? scores[Math.floor(mid)]! : (scores[mid - 1]! + scores[mid]!) / 2) : 0;
  const ids = results[0]?.checks.map((c) => c.id) ?? [];
  const diagnoses = new Map<string, { count: number; checks: Set<string> }>();
  for (const r of results) for (const c of r.checks) if (c.diagnosis) {
    for (const d of c.diagnosis.split('; ')) {
      const entry = diagnoses.get(d) ?? { count: 0, checks: new Set() };
      entry.count++;
      entry.checks.add(c.id);
      diagnoses.set(d, entry);
    }
  }
  return {
    generated: generated.toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
    harness: results[0] ? `${results[0].harness.name} ${results[0].harness.version}` : '',
    count: results.length,
    mean: results.length ? (scores.reduce((a, b) => a + b, 0) / scores.length).toFixed(1) : '–',
    median: results.length ? median.toFixed(1) : '–',
    maxScore: results[0]?.maxScore ?? 100,
    histogramSvg: scoreHistogramSvg(scores, results[0]?.maxScore ?? 100),
    checks: ids.map((id) => {
      const rows = results.map((r) => r.checks.find((c) => c.id === id)!).filter(Boolean);
      const first = rows[0]!;
      const passed = rows.filter((c) => c.status === 'pass').length;
      return {
        id, title: first.title, points: first.points,
        passRate: first.kind === 'manual' ? 'by a TA' : `${passed}/${rows.length}`,
        passPercent: first.kind === 'manual' ? 0 : Math.round((100 * passed) / Math.max(1, rows.length)),
        mean: first.kind === 'manual' ? '–' : (rows.reduce((a, c) => a + c.score, 0) / Math.max(1, rows.length)).toFixed(2),
      };
    }),
    diagnoses: [...diagnoses].sort((a, b) => b[1].count - a[1].count).map(([text, e]) => ({ text, count: e.count, checks: [...e.checks].join(', ') })),
    errored: results.filter((r) => r.checks.some((c) => c.status === 'error')).map((r) => ({
      id: r.submission.id, problems: r.problems, errors: r.checks.filter((c) => c.status === 'error').map((c) => `${c.id}: ${c.message}`),
    })),
    submissions: results.map((r) => ({ id: r.submission.id, names: r.submission.group?.names?.join(', ') ?? r.submission.group?.ids.join(', ') ?? '', score: r.score, pending: r.pendingManual })),
  };
}
