/**
 * Training histories as pairs save them: a JSON array of rows ({ epoch, loss, val_loss, ... }),
 * a JSON object of series (Keras' history.history: { loss: [...], val_loss: [...] }), or a
 * CSV with a header row. All become one shape: x values and named series.
 */
import { parse } from 'csv-parse/sync';
import { HISTORY_JSON_LIMITS, parseBoundedJson } from '../intake/json.ts';

export interface History {
  x: number[];
  xLabel: string;
  series: Record<string, number[]>;
}

export type ParsedHistory = { ok: true; history: History } | { ok: false; message: string };

const X_KEYS = ['epoch', 'epochs', 'iteration', 'iter', 'step'];

/**
 * Most rows (CSV, JSON rows) or values in one series (Keras' series) a history may hold.
 * A loss curve logged once an epoch has tens of points; logged every step, this homework's
 * largest (60,000 FashionMNIST images, batch 32, 50 epochs) has under 94,000. Beyond that it
 * is not a training log a TA reads but a way to make the grader and the report slow (2
 * million values made a 48 MB result.json and broke report.html), so it is refused with the
 * file named, before any series is built. The report draws at most MAX_DRAWN_POINTS of them.
 */
export const MAX_HISTORY_POINTS = 100_000;

const tooLong = (file: string, count?: number) =>
  `${file} has ${count === undefined ? 'more than' : `${count.toLocaleString('en-US')} points, more than`} the ${MAX_HISTORY_POINTS.toLocaleString('en-US')} points a history may hold; log the loss once an epoch (or every few steps)`;

/**
 * A cell as a number: a JSON number, or a CSV cell that reads as one. JSON's null (what Python's
 * json writes for NaN with allow_nan=False, and JSON.stringify for NaN), an empty cell or a
 * boolean is no number, though Number() would read it as 0 or 1.
 */
const cellNumber = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN);

function fromRows(rows: Record<string, unknown>[], file: string): ParsedHistory {
  if (!rows.length) return { ok: false, message: `${file} has no rows` };
  if (rows.length > MAX_HISTORY_POINTS) return { ok: false, message: tooLong(file, rows.length) };
  const keys = Object.keys(rows[0]!);
  const xKey = keys.find((k) => X_KEYS.includes(k.toLowerCase()));
  const series: Record<string, number[]> = {};
  for (const key of keys.filter((k) => k !== xKey)) {
    const values = rows.map((r) => cellNumber(r[key]));
    if (values.every(Number.isFinite)) series[key] = values;
  }
  const x = xKey ? rows.map((r) => cellNumber(r[xKey])) : rows.map((_, i) => i + 1);
  if (!x.every(Number.isFinite)) return { ok: false, message: `${file}: column ${xKey} is not numeric` };
  return { ok: true, history: { x, xLabel: xKey ?? 'epoch', series } };
}

export function parseHistory(text: string, file: string): ParsedHistory {
  if (file.toLowerCase().endsWith('.csv')) {
    try {
      // A header named like a prototype key would be assigned on each row object: skipped.
      const columns = (header: string[]) => header.map((h) => (h === '__proto__' || h === 'constructor' || h === 'prototype' ? false : h));
      // Parsing stops one record past the limit: a longer file is refused without building every row.
      const rows = parse(text, { columns, skip_empty_lines: true, bom: true, trim: true, to: MAX_HISTORY_POINTS + 1 }) as Record<string, unknown>[];
      if (rows.length > MAX_HISTORY_POINTS) return { ok: false, message: tooLong(file) };
      return fromRows(rows, file);
    } catch (error) {
      // csv-parse quotes the offending record; bounded so a long line is not copied into reports.
      return { ok: false, message: `${file} is not a readable CSV (${String((error as Error).message).slice(0, 200)})` };
    }
  }
  // Bounded: depth, counts and prototype keys checked before the walk below.
  const bounded = parseBoundedJson(text, file, HISTORY_JSON_LIMITS);
  if (!bounded.ok) return { ok: false, message: bounded.message };
  const raw = bounded.value;
  if (Array.isArray(raw) && raw.every((r) => typeof r === 'object' && r !== null)) return fromRows(raw as Record<string, unknown>[], file);
  if (raw && typeof raw === 'object') {
    const obj = (raw as { history?: unknown }).history ?? raw;
    const entries = Object.entries(obj as Record<string, unknown>).filter(([, v]) => Array.isArray(v) && v.every((n) => typeof n === 'number' && Number.isFinite(n)));
    if (entries.length) {
      let length = 0;
      for (const [, v] of entries) length = Math.max(length, (v as number[]).length);
      const longest = entries.find(([, v]) => (v as number[]).length === length)![0];
      if (length > MAX_HISTORY_POINTS) return { ok: false, message: tooLong(`${file} (series "${longest.slice(0, 100)}")`, length) };
      const xEntry = entries.find(([k]) => X_KEYS.includes(k.toLowerCase()));
      const series = Object.fromEntries(entries.filter(([k]) => k !== xEntry?.[0]));
      return { ok: true, history: { x: (xEntry?.[1] as number[]) ?? Array.from({ length }, (_, i) => i + 1), xLabel: xEntry?.[0] ?? 'epoch', series: series as Record<string, number[]> } };
    }
  }
  return { ok: false, message: `${file}: expected a list of rows ({"epoch": 1, "loss": 0.5, ...}) or series ({"loss": [...], "val_loss": [...]})` };
}

/** The training loss series' name: "loss" or "train_loss" (any case). */
export function lossKey(h: History): string | undefined {
  return Object.keys(h.series).find((k) => /^(train_?)?loss$/i.test(k));
}

/** The training loss series: "loss" or "train_loss" (any case). */
export function lossSeries(h: History): number[] | undefined {
  const key = lossKey(h);
  return key ? h.series[key] : undefined;
}

/** Points of each series a check keeps as evidence (the report draws them; result.json stores them). */
export const MAX_DRAWN_POINTS = 1000;

/**
 * The history as drawn: at most about `max` points of each series, evenly strided, the first
 * and the last of x and of every series always kept, x and every series at the same indices
 * (series[k][i] is drawn at x[i]). A check judges the full history; only its evidence is thinned.
 */
export function thinHistory(h: History, max = MAX_DRAWN_POINTS): History {
  const arrays = [h.x, ...Object.values(h.series)];
  let n = 0;
  for (const a of arrays) n = Math.max(n, a.length);
  if (n <= max) return h;
  const keep = new Set<number>();
  for (let i = 0; i < max; i++) keep.add(Math.round((i * (n - 1)) / (max - 1)));
  for (const a of arrays) if (a.length) keep.add(a.length - 1);
  const indices = [...keep].sort((a, b) => a - b);
  const pick = (a: number[]) => {
    const out: number[] = [];
    for (const i of indices) if (i < a.length) out.push(a[i]!);
    return out;
  };
  return { x: pick(h.x), xLabel: h.xLabel, series: Object.fromEntries(Object.entries(h.series).map(([k, v]) => [k, pick(v)])) };
}
