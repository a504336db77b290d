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

function fromRows(rows: Record<string, unknown>[], file: string): ParsedHistory {
  if (!rows.length) return { ok: false, message: `${file} has no rows` };
  const keys = Object.keys(rows[0]!);
  const xKey = keys.find((k) => X_KEYS.includes(k.toLowerCase()));
  const series: Record<string, number[]> = {};
  for (const key of keys.filter((k) => k !== xKey)) {
    const values = rows.map((r) => Number(r[key]));
    if (values.every(Number.isFinite)) series[key] = values;
  }
  const x = xKey ? rows.map((r) => Number(r[xKey])) : rows.map((_, i) => i + 1);
  if (!x.every(Number.isFinite)) return { ok: false, message: `${file}: column ${xKey} is not numeric` };
  return { ok: true, history: { x, xLabel: xKey ?? 'epoch', series } };
}

export function parseHistory(text: string, file: string): ParsedHistory {
  if (file.toLowerCase().endsWith('.csv')) {
    try {
      // A header named like a prototype key would be assigned on each row object: skipped.
      const columns = (header: string[]) => header.map((h) => (h === '__proto__' || h === 'constructor' || h === 'prototype' ? false : h));
      return fromRows(parse(text, { columns, skip_empty_lines: true, bom: true, trim: true }), file);
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
      const length = Math.max(...entries.map(([, v]) => (v as number[]).length));
      const xEntry = entries.find(([k]) => X_KEYS.includes(k.toLowerCase()));
      const series = Object.fromEntries(entries.filter(([k]) => k !== xEntry?.[0]));
      return { ok: true, history: { x: (xEntry?.[1] as number[]) ?? Array.from({ length }, (_, i) => i + 1), xLabel: xEntry?.[0] ?? 'epoch', series: series as Record<string, number[]> } };
    }
  }
  return { ok: false, message: `${file}: expected a list of rows ({"epoch": 1, "loss": 0.5, ...}) or series ({"loss": [...], "val_loss": [...]})` };
}

/** The training loss series: "loss" or "train_loss" (any case). */
export function lossSeries(h: History): number[] | undefined {
  const key = Object.keys(h.series).find((k) => /^(train_?)?loss$/i.test(k));
  return key ? h.series[key] : undefined;
}
