/**
 * Q6 checks: the VGG-11 table cell by cell, the total, and the FC share. A cell that is wrong
 * against the reference but right given the pair's own previous row earns carried-forward
 * credit; the usual mistakes are recognised by re-running the counter with that mistake.
 *
 * What a cell is worth (issue 15, class 5; rubric q6.cellWeights and q6.largeCountError):
 * - an output dimension weighs `output` (1) and the parameter count of a row with parameters
 *   (CONV, FC) `params` (1); the 0 of a row without parameters (INPUT, ReLU, POOL, SOFTMAX), which
 *   needs no computation, weighs `zeroParams` (0.25). With the defaults the table weighs
 *   26·1 + 11·1 + 15·0.25 = 40.75, and q6.table's 5 points are shared in that ratio: a slip in one
 *   count or dimension costs 0.12 points, biases left out of all 11 counts 1.35.
 * - a parameter count that is wrong (not carried forward) by at least `largeCountError.share` of
 *   the network's total (1%: 1,328,633.36 of 132,863,336) weighs `largeCountError.weight` (10)
 *   instead of 1: the first FC's fan-in wrong by 100 M costs 10/40.75 of 5 points ≈ 1.23, not
 *   the 0.1 of one cell in 52. The check's score never goes below 0.
 * - a missing row costs its own cells; an extra row costs what its cells would weigh (a row
 *   written twice, once right and once wrong, gains nothing).
 *
 * q6.fcShare (hw2.md: "the percentage of weights in the FC layers", in a table that counts
 * biases) is one number: the FC layers' parameters, biases counted, as a percentage of all
 * parameters (93.06%), judged at the digits written (at least precision.minSignificantDigits).
 * The weights-only share, 93.0617%, is the same number at 4 digits; written with more digits it
 * is another, and wrong. A fraction (0.9306) is not a percentage: 0, diagnosed
 * q6.fc-share-as-fraction. A share that follows from the pair's own table is carried forward.
 */
import {
  applyLayer, CORRECT, countArchitecture, formatDim, summarize, SpecError, type CountOptions, type Dim, type LayerRow,
} from '../reference/q6.ts';
import type { Diagnosis, Evidence, Outcome, Verdict } from '../src/core/vocabulary.ts';
import { diagnosed, notSubmitted } from '../src/core/outcomes.ts';
import { defineCheck, type CheckInput } from '../src/registry/define.ts';
import { judgeAtPrecision, judgedAt, show } from '../src/util/numeric.ts';

const MISTAKES: { options: CountOptions; diagnosis: Diagnosis }[] = [
  { options: { ...CORRECT, biases: false }, diagnosis: { code: 'q6.no-biases', text: 'Biases not counted: CONV3-N has 3·3·D·N + N parameters, FC-N has fan_in·N + N' } },
  { options: { ...CORRECT, poolRounding: 'ceil' }, diagnosis: { code: 'q6.pool-rounded-up', text: 'Pooling rounded up: POOL2 of an odd size rounds down' } },
  { options: { ...CORRECT, convPadding: 'valid' }, diagnosis: { code: 'q6.no-padding', text: 'Padding left out: CONV3 with padding 1 keeps the height and width' } },
];

/** "224x224x64", "224 × 224 × 64", [224, 224, 64] → [224, 224, 64]; undefined if unreadable. */
export function parseDim(value: string | number[]): Dim | undefined {
  if (Array.isArray(value)) return value;
  const parts = value.trim().split(/\s*[x×*,]\s*/i);
  const numbers = parts.map(Number);
  return parts.length && numbers.every((n) => Number.isInteger(n) && n >= 0) ? numbers : undefined;
}

const sameDim = (a: Dim | undefined, b: Dim) => !!a && a.length === b.length && a.every((v, i) => v === b[i]);

function reference(input: CheckInput): LayerRow[] {
  return countArchitecture(input.rubric.q6.input, input.rubric.q6.layers);
}

interface PairRow { output?: Dim; params: number; raw: string | number[] }

/** A layer name for alignment: case, spaces, hyphens and underscores ignored ("conv3 64" = "CONV3-64"). */
export const normalizeLayer = (name: string) => name.toUpperCase().replace(/[^A-Z0-9]/g, '');

const layerKind = (n: string) => (/^CONV/.test(n) ? 'conv' : /POOL/.test(n) ? 'pool' : /^(FC|LINEAR|DENSE)/.test(n) ? 'fc'
  : /^(RELU|SOFTMAX|TANH|SIGMOID)/.test(n) ? 'act' : /^INPUT/.test(n) ? 'input' : n);

/**
 * Alignment costs. Names dominate: a different name of the same kind costs 40, of another kind
 * 100, a row left out or added 100; within equal name costs, the alignment that leaves fewer of
 * the reference's cells wrong wins (e.g. which of two FC-4096 rows is the missing one). The INPUT
 * row may be left out at (almost) no cost (the homework's table starts at it; a table without it is accepted).
 */
const NAME_GAP = 100;
function nameCost(pair: string, ref: string): number {
  if (pair === ref) return 0;
  return layerKind(pair) === layerKind(ref) ? 40 : 100;
}

export interface Alignment {
  rows: (PairRow | undefined)[];
  note?: string;
  /** Reference rows with no row of the pair (INPUT aside), and the pair's rows matched to none (0-based). */
  missing: number[];
  extra: number[];
  byName: boolean;
}

/**
 * The pair's rows aligned with the reference's. Where every row has a layer name, by a
 * Needleman–Wunsch alignment of the names (see the costs above): a missing row leaves its
 * reference row empty, an extra row is matched to none. Where some row has no name, by count:
 * a table one row short is taken as one without the INPUT row.
 */
function alignRows(input: CheckInput, refRows: LayerRow[]): Alignment {
  const given = input.answers.q6!.rows!;
  const toRow = (g: (typeof given)[number]): PairRow => ({ output: parseDim(g.output), params: g.params, raw: g.output });
  const inputRow = (): PairRow => ({ output: refRows[0]!.output, params: 0, raw: refRows[0]!.output });
  if (!given.every((g) => g.layer?.trim())) {
    const offset = given.length === refRows.length - 1 ? 1 : 0;
    const rows: (PairRow | undefined)[] = refRows.map((_, i) => (given[i - offset] ? toRow(given[i - offset]!) : undefined));
    if (offset) rows[0] = inputRow();
    const note = offset ? 'Your table has no INPUT row; rows were matched from the first layer.'
      : given.length !== refRows.length ? `Your table has ${given.length} rows; the architecture has ${refRows.length} (INPUT included).` : undefined;
    return { rows, note, missing: [], extra: [], byName: false };
  }
  const a = given.map((g) => normalizeLayer(g.layer!));
  const b = refRows.map((r) => normalizeLayer(r.layer));
  const n = a.length;
  const m = b.length;
  const cellsWrong = (i: number, j: number) => {
    const p = toRow(given[i]!);
    return (sameDim(p.output, refRows[j]!.output) ? 0 : 1) + (p.params === refRows[j]!.params ? 0 : 1);
  };
  const inputFree = (j: number) => j === 0 && refRows[0]!.kind === 'input';
  // Leaving out INPUT costs 1, not 0: a tie with matching the pair's INPUT to the next row must not arise.
  const gapRef = (j: number) => (inputFree(j) ? 1 : NAME_GAP + 2);
  // cost[i][j]: aligning the pair's first i rows with the reference's first j.
  const cost = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = 1; i <= n; i++) cost[i]![0] = cost[i - 1]![0]! + NAME_GAP;
  for (let j = 1; j <= m; j++) cost[0]![j] = cost[0]![j - 1]! + gapRef(j - 1);
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      cost[i]![j] = Math.min(
        cost[i - 1]![j - 1]! + nameCost(a[i - 1]!, b[j - 1]!) + cellsWrong(i - 1, j - 1),
        cost[i - 1]![j]! + NAME_GAP,
        cost[i]![j - 1]! + gapRef(j - 1),
      );
    }
  }
  const rows: (PairRow | undefined)[] = new Array(m).fill(undefined);
  const missing: number[] = [];
  const extra: number[] = [];
  let noInput = false;
  for (let i = n, j = m; i > 0 || j > 0;) {
    const c = cost[i]![j]!;
    if (i > 0 && j > 0 && c === cost[i - 1]![j - 1]! + nameCost(a[i - 1]!, b[j - 1]!) + cellsWrong(i - 1, j - 1)) {
      rows[j - 1] = toRow(given[i - 1]!);
      i--; j--;
    } else if (j > 0 && c === cost[i]![j - 1]! + gapRef(j - 1)) {
      if (inputFree(j - 1)) { rows[0] = inputRow(); noInput = true; } else missing.unshift(j - 1);
      j--;
    } else {
      extra.unshift(i - 1);
      i--;
    }
  }
  const notes: string[] = [];
  if (noInput) notes.push('Your table has no INPUT row; it was taken as given');
  if (missing.length || extra.length) notes.push('Rows were matched to the architecture by their layer names');
  return { rows, note: notes.length ? notes.join('. ') : undefined, missing, extra, byName: true };
}

function safeApply(layer: string, prev: Dim | undefined, options: CountOptions): LayerRow | undefined {
  if (!prev) return undefined;
  try {
    return applyLayer(layer, prev, options);
  } catch (error) {
    if (error instanceof SpecError) return undefined;
    throw error;
  }
}

const table = defineCheck({
  id: 'q6.table',
  question: 'q6',
  title: 'Q6 table: output dimension and parameters of every row',
  kind: 'auto',
  points: 5,
  visibility: 'public',
  needs: [],
  run(input): Outcome {
    if (!input.answers.q6?.rows?.length) return notSubmitted('answers.q6.rows');
    const refRows = reference(input);
    const { rows, note, missing, extra } = alignRows(input, refRows);
    const given = input.answers.q6.rows;
    const credit = input.rubric.q6.carriedForwardCredit;
    const weights = input.rubric.q6.cellWeights;
    const large = input.rubric.q6.largeCountError;
    const refTotal = summarize(refRows).total;
    const paramsWeight = (params: number) => (params > 0 ? weights.params : weights.zeroParams);
    const cellWeight = (cell: 'output' | 'params', ref: LayerRow) => (cell === 'output' ? weights.output : paramsWeight(ref.params));
    const worth = refRows.reduce((a, r) => a + weights.output + paramsWeight(r.params), 0);
    let right = 0;
    let carried = 0;
    let earned = 0;
    let penalty = 0;
    const largeErrors: string[] = [];
    const wrongCells: string[] = [];
    const causes = new Map<string, Diagnosis>();
    const evidence: Evidence = { type: 'table', columns: ['layer', 'your output', 'reference', 'your parameters', 'reference'], rows: [] };
    const blame = (cause: Diagnosis) => causes.set(cause.text, cause);
    refRows.forEach((ref, i) => {
      const pair = rows[i];
      const label = `row ${i + 1} ${ref.layer}`;
      if (!pair) {
        wrongCells.push(`${label}: missing`);
        evidence.rows.push({ cells: [ref.layer, null, formatDim(ref.output), null, ref.params], verdicts: [null, 'missing', null, 'missing', null] });
        return;
      }
      const verdicts: Verdict[] = [];
      // Carried forward from the pair's previous aligned row (a missing row in between is skipped).
      let prevIndex = i - 1;
      while (prevIndex >= 0 && !rows[prevIndex]) prevIndex--;
      const prev = prevIndex < 0 ? undefined : rows[prevIndex]!.output;
      const fromOwn = i === 0 ? ref : safeApply(ref.layer, prev, CORRECT);
      const judge = (cell: 'output' | 'params', ok: boolean, okCarried: boolean, shown: string, expected: string) => {
        verdicts.push(ok ? 'right' : okCarried ? 'carried' : 'wrong');
        const weight = cellWeight(cell, ref);
        if (ok) { right++; earned += weight; }
        else if (okCarried) { carried++; earned += credit * weight; }
        else {
          if (cell === 'params' && Math.abs(pair.params - ref.params) >= large.share * refTotal) {
            penalty += Math.max(0, large.weight - weight);
            largeErrors.push(`${label} (off by ${show(Math.abs(pair.params - ref.params))})`);
          }
          wrongCells.push(`${label} ${cell} ${shown} (expected ${expected})`);
          const mistake = MISTAKES.find((m) => {
            const alt = safeApply(ref.layer, prev, m.options);
            return alt && (cell === 'output' ? sameDim(pair.output, alt.output) : alt.params === pair.params);
          });
          if (mistake) blame(mistake.diagnosis);
          else if (cell === 'output' && ref.kind === 'pool' && prev && sameDim(pair.output, prev)) {
            blame({ code: 'q6.pool-keeps-size', text: `${ref.layer} halves the height and width; ${label} keeps its input's size` });
          }
          else if (cell === 'params' && ref.params === 0) blame({ code: 'q6.params-in-parameterless-row', text: 'ReLU, pooling and softmax rows have no parameters' });
          else if (cell === 'params' && ref.kind === 'fc' && i > 0 && refRows[i - 1]!.kind !== 'fc') {
            const n = ref.output[0]!;
            const fanIn = Number.isInteger((pair.params - n) / n) ? (pair.params - n) / n : pair.params / n;
            blame({ code: 'q6.fc-fan-in', text: `The first FC layer sees the flattened ${formatDim(refRows[i - 1]!.output)} = ${show(refRows[i - 1]!.output.reduce((a, b) => a * b, 1))} values; your count implies ${show(fanIn)}` });
          }
        }
      };
      judge('output', sameDim(pair.output, ref.output), !!fromOwn && sameDim(pair.output, fromOwn.output),
        Array.isArray(pair.raw) ? formatDim(pair.raw) : String(pair.raw), formatDim(ref.output));
      judge('params', pair.params === ref.params, !!fromOwn && pair.params === fromOwn.params, show(pair.params), show(ref.params));
      const shownOutput = Array.isArray(pair.raw) ? formatDim(pair.raw) : String(pair.raw);
      evidence.rows.push({ cells: [ref.layer, shownOutput, formatDim(ref.output), pair.params, ref.params], verdicts: [null, verdicts[0]!, null, verdicts[1]!, null] });
    });
    for (const j of missing) blame({ code: 'q6.missing-row', text: `The ${refRows[j]!.layer} row is missing (row ${j + 1} of the architecture): its cells are wrong` });
    for (const k of extra) {
      const kind = layerKind(normalizeLayer(given[k]!.layer ?? ''));
      penalty += weights.output + (kind === 'conv' || kind === 'fc' ? weights.params : weights.zeroParams);
      blame({ code: 'q6.extra-row', text: `Your row ${k + 1} (${given[k]!.layer}) is not in the architecture: it costs what its cells weigh, as a wrong row would` });
    }
    const cells = 2 * refRows.length;
    const parts = [`${right} of ${cells} cells correct`];
    if (carried) parts.push(`${carried} follow correctly from your own previous row (error carried forward)`);
    if (wrongCells.length) parts.push(`wrong: ${wrongCells.slice(0, 3).join('; ')}${wrongCells.length > 3 ? `; and ${wrongCells.length - 3} more (marked in the report's table)` : ''}`);
    if (largeErrors.length) {
      parts.push(`a parameter count off by at least ${show(100 * large.share)}% of the total (${show(Math.ceil(large.share * refTotal))}) weighs ${show(large.weight)} instead of ${show(weights.params)}: ${largeErrors.join(', ')}`);
    }
    if (earned - penalty < worth) parts.push(`cells weighted (rubric q6.cellWeights): output ${show(weights.output)}, parameters ${show(weights.params)}, a row without parameters ${show(weights.zeroParams)}; earned ${show(Math.max(0, earned - penalty))} of ${show(worth)}`);
    if (note) parts.push(note);
    return {
      kind: 'graded',
      // An extra row costs what its cells weigh, as a wrong row does: writing a row twice, once right
      // and once wrong, must not beat writing it once (the alignment picks the right one to match).
      fraction: Math.max(0, earned - penalty) / worth,
      message: `${parts.join('. ')}.`,
      ...(causes.size ? { diagnoses: [...causes.values()] } : {}),
      expected: refRows.map((r) => ({ layer: r.layer, output: formatDim(r.output), params: r.params })),
      actual: input.answers.q6.rows,
      evidence,
    };
  },
});

const total = defineCheck({
  id: 'q6.total',
  question: 'q6',
  title: 'Q6.1 total number of parameters',
  kind: 'auto',
  points: 2,
  visibility: 'hidden',
  needs: [],
  run(input): Outcome {
    const given = input.answers.q6?.total;
    if (given === undefined) return notSubmitted('answers.q6.total');
    const refRows = reference(input);
    const ref = summarize(refRows).total;
    const base = { expected: ref, actual: given };
    if (given === ref) return { kind: 'graded', fraction: 1, message: `${show(given)} parameters is correct.`, ...base };
    const own = input.answers.q6?.rows?.reduce((a, r) => a + r.params, 0);
    const noBias = summarize(countArchitecture(input.rubric.q6.input, input.rubric.q6.layers, { ...CORRECT, biases: false })).total;
    let diagnoses: Diagnosis[] | undefined;
    if (given === noBias) diagnoses = diagnosed('q6.no-biases', 'Biases not counted');
    else {
      const left = refRows.find((r) => r.params > 0 && given === ref - r.params);
      const twice = refRows.find((r) => r.params > 0 && given === ref + r.params);
      if (left) diagnoses = diagnosed('q6.total-leaves-out-layer', `The total leaves out ${left.layer} (${show(left.params)} parameters)`);
      else if (twice) diagnoses = diagnosed('q6.total-counts-layer-twice', `The total counts ${twice.layer} twice`);
    }
    if (own !== undefined && given === own) {
      return {
        kind: 'graded',
        fraction: input.rubric.q6.carriedForwardCredit,
        message: `${show(given)} is the sum of your own table (error carried forward); the correct total is ${show(ref)}.`,
        diagnoses, ...base,
      };
    }
    return { kind: 'graded', fraction: 0, message: `${show(given)}; expected ${show(ref)}.`, diagnoses, ...base };
  },
});

const fcShare = defineCheck({
  id: 'q6.fcShare',
  question: 'q6',
  title: 'Q6.2 share of the parameters in the FC layers',
  kind: 'auto',
  points: 1,
  visibility: 'public',
  needs: [],
  run(input): Outcome {
    const given = input.answers.q6?.fcWeightPercent;
    if (given === undefined) return notSubmitted('answers.q6.fcWeightPercent');
    const rule = input.rubric.precision;
    const ref = summarize(reference(input));
    const { ok, digits } = judgeAtPrecision(given, ref.fcPercent, rule);
    const how = judgedAt(digits);
    const base = { expected: `${show(ref.fcPercent, 4)}% (the FC layers' parameters, biases counted, of all parameters)`, actual: given };
    if (ok) return { kind: 'graded', fraction: 1, message: `${show(given, 8)}% is correct (${how}).`, ...base };
    if (judgeAtPrecision(100 * given, ref.fcPercent, rule).ok) {
      return {
        kind: 'graded', fraction: 0, ...base,
        message: `${show(given, 8)} is the share as a fraction; the question asks for the percentage, ${show(ref.fcPercent, 4)}% (${how}).`,
        diagnoses: diagnosed('q6.fc-share-as-fraction', 'The FC share given as a fraction, not as the percentage hw2.md asks for'),
      };
    }
    const rows = input.answers.q6?.rows;
    if (rows?.length) {
      const refRows = reference(input);
      const { rows: aligned } = alignRows(input, refRows);
      const fc = aligned.reduce((a, r, i) => a + (refRows[i]!.kind === 'fc' ? r?.params ?? 0 : 0), 0);
      const all = aligned.reduce((a, r) => a + (r?.params ?? 0), 0);
      if (all > 0 && judgeAtPrecision(given, (100 * fc) / all, rule).ok) {
        return {
          kind: 'graded',
          fraction: input.rubric.q6.carriedForwardCredit,
          message: `${show(given, 8)}% follows from your own table (error carried forward; ${how}); expected ${base.expected}.`,
          ...base,
        };
      }
    }
    const noBias = judgeAtPrecision(given, ref.fcWeightPercentNoBias, rule).ok;
    return {
      kind: 'graded', fraction: 0, message: `${show(given, 8)}%; expected ${base.expected} (${how}).`, ...base,
      diagnoses: diagnosed('q6.fc-share-without-biases',
        `${show(given, 8)}% is the share of the weights alone (${show(ref.fcWeightPercentNoBias, 6)}%); the table counts biases, so the share does (${show(ref.fcPercent, 6)}%)`, noBias),
    };
  },
});

export const q6Checks = [table, total, fcShare] as const;
