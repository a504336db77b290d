/**
 * TA points for manual checks, from a CSV with the columns submission, check, points,
 * comment. They merge into results without re-running any check; every bad row is an
 * error with its line number, and nothing is applied unless every row is good.
 */
import { parse } from 'csv-parse/sync';
import type { SubmissionResult } from '../core/vocabulary.ts';
import { withTotals } from '../core/score.ts';

export interface ManualEntry {
  submission: string;
  check: string;
  points: number;
  comment: string;
  line: number;
}

export class ManualCsvError extends Error {}

export function parseManualCsv(text: string, file: string): ManualEntry[] {
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true, trim: true });
  } catch (error) {
    throw new ManualCsvError(`${file}: not a readable CSV (${(error as Error).message})`);
  }
  const header = rows[0]?.map((h) => h.toLowerCase());
  if (!header || ['submission', 'check', 'points'].some((h) => !header.includes(h))) {
    throw new ManualCsvError(`${file} line 1: expected the header submission,check,points,comment; found ${rows[0]?.join(',') ?? 'nothing'}`);
  }
  const col = (name: string) => header.indexOf(name);
  return rows.slice(1).map((r, i) => ({
    submission: r[col('submission')] ?? '',
    check: r[col('check')] ?? '',
    points: r[col('points')] === undefined || r[col('points')] === '' ? NaN : Number(r[col('points')]),
    comment: col('comment') >= 0 ? (r[col('comment')] ?? '') : '',
    line: i + 2,
  }));
}

/** Every problem of the CSV against these results, each with its line. */
export function validateManual(entries: ManualEntry[], results: SubmissionResult[], file: string): string[] {
  const byId = new Map(results.map((r) => [r.submission.id, r]));
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    const where = `${file} line ${e.line}`;
    const result = byId.get(e.submission);
    if (!result) {
      problems.push(`${where}: unknown submission "${e.submission}" (expected one of the graded ids, e.g. ${results[0]?.submission.id ?? '—'})`);
      continue;
    }
    const check = result.checks.find((c) => c.id === e.check);
    if (!check) problems.push(`${where}: unknown check "${e.check}" (see hw2 rubric)`);
    else if (check.kind !== 'manual' && check.status !== 'manual') problems.push(`${where}: ${e.check} is automatic; TA points go to manual checks and to checks left to a TA (status manual)`);
    else if (!Number.isFinite(e.points) || e.points < 0 || e.points > check.points) problems.push(`${where}: points "${Number.isNaN(e.points) ? '' : e.points}" for ${e.check}; expected a number from 0 to ${check.points}`);
    const key = `${e.submission}\0${e.check}`;
    if (seen.has(key)) problems.push(`${where}: a second row for ${e.submission} ${e.check}`);
    seen.add(key);
  }
  return problems;
}

/** Sets each manual check's TA points (clearing earlier ones) and recomputes the totals. */
export function applyManual(result: SubmissionResult, entries: ManualEntry[]): SubmissionResult {
  const mine = new Map(entries.filter((e) => e.submission === result.submission.id).map((e) => [e.check, e]));
  const checks = result.checks.map((c) => {
    if (c.kind !== 'manual' && c.status !== 'manual') return c;
    const { ta: _old, ...rest } = c;
    const entry = mine.get(c.id);
    return entry ? { ...rest, score: entry.points, ta: { points: entry.points, comment: entry.comment } } : { ...rest, score: 0 };
  });
  return withTotals({ ...result, checks });
}
