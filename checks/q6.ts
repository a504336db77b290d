/**
 * Q6 checks: the VGG-11 table cell by cell, the total, and the FC share. A cell that is wrong
 * against the reference but right given the pair's own previous row earns carried-forward
 * credit; the usual mistakes are recognised by re-running the counter with that mistake.
 */
import {
  applyLayer, CORRECT, countArchitecture, formatDim, summarize, SpecError, type CountOptions, type Dim, type LayerRow,
} from '../reference/q6.ts';
import type { Diagnosis, Evidence, Outcome, Verdict } from '../src/core/vocabulary.ts';
import { diagnosed, notSubmitted } from '../src/core/outcomes.ts';
import { defineCheck, type CheckInput } from '../src/registry/define.ts';
import { show } from '../src/util/numeric.ts';

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

/** The pair's rows aligned with the reference's; a table without the INPUT row is accepted. */
function alignRows(input: CheckInput, refRows: LayerRow[]): { rows: (PairRow | undefined)[]; note?: string } {
  const given = input.answers.q6!.rows!;
  const offset = given.length === refRows.length - 1 ? 1 : 0;
  const rows: (PairRow | undefined)[] = refRows.map((_, i) => {
    const g = given[i - offset];
    return g ? { output: parseDim(g.output), params: g.params, raw: g.output } : undefined;
  });
  if (offset) rows[0] = { output: refRows[0]!.output, params: 0, raw: refRows[0]!.output };
  const note = offset ? 'Your table has no INPUT row; rows were matched from the first layer.'
    : given.length !== refRows.length ? `Your table has ${given.length} rows; the architecture has ${refRows.length} (INPUT included).` : undefined;
  return { rows, note };
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
    const { rows, note } = alignRows(input, refRows);
    const credit = input.rubric.q6.carriedForwardCredit;
    let right = 0;
    let carried = 0;
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
      const prev = i === 0 ? undefined : rows[i - 1]?.output;
      const fromOwn = i === 0 ? ref : safeApply(ref.layer, prev, CORRECT);
      const judge = (cell: 'output' | 'params', ok: boolean, okCarried: boolean, shown: string, expected: string) => {
        verdicts.push(ok ? 'right' : okCarried ? 'carried' : 'wrong');
        if (ok) right++;
        else if (okCarried) carried++;
        else {
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
    const cells = 2 * refRows.length;
    const parts = [`${right} of ${cells} cells correct`];
    if (carried) parts.push(`${carried} follow correctly from your own previous row (error carried forward)`);
    if (wrongCells.length) parts.push(`wrong: ${wrongCells.slice(0, 3).join('; ')}${wrongCells.length > 3 ? `; and ${wrongCells.length - 3} more (marked in the report's table)` : ''}`);
    if (note) parts.push(note);
    return {
      kind: 'graded',
      fraction: (right + credit * carried) / cells,
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
    const tol = input.rubric.q6.percentTolerance;
    const ref = summarize(reference(input));
    const accepted = [ref.fcPercent, ref.fcWeightPercentNoBias];
    const base = { expected: `${show(ref.fcPercent, 4)}% (biases counted) or ${show(ref.fcWeightPercentNoBias, 4)}% (weights only)`, actual: given };
    if (accepted.some((a) => Math.abs(given - a) <= tol)) return { kind: 'graded', fraction: 1, message: `${show(given, 4)}% is correct.`, ...base };
    if (accepted.some((a) => Math.abs(100 * given - a) <= tol)) {
      return { kind: 'graded', fraction: 1, message: `${show(given, 4)} read as a fraction (${show(100 * given, 4)}%): correct.`, ...base };
    }
    const rows = input.answers.q6?.rows;
    if (rows?.length) {
      const refRows = reference(input);
      const { rows: aligned } = alignRows(input, refRows);
      const fc = aligned.reduce((a, r, i) => a + (refRows[i]!.kind === 'fc' ? r?.params ?? 0 : 0), 0);
      const all = aligned.reduce((a, r) => a + (r?.params ?? 0), 0);
      if (all > 0 && Math.abs(given - (100 * fc) / all) <= tol) {
        return {
          kind: 'graded',
          fraction: input.rubric.q6.carriedForwardCredit,
          message: `${show(given, 4)}% follows from your own table (error carried forward); expected ${base.expected}.`,
          ...base,
        };
      }
    }
    return { kind: 'graded', fraction: 0, message: `${show(given, 4)}%; expected ${base.expected}.`, ...base };
  },
});

export const q6Checks = [table, total, fcShare] as const;
