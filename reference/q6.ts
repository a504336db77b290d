/**
 * Q6: a parameter and shape counter over a small architecture language, general enough
 * for the VGG family: `CONV<k>-<N>` (k×k filters, stride 1, padding (k−1)/2 — "same"),
 * `POOL<k>` (k×k max pooling, stride k, padding 0, odd sizes rounded down), `FC-<N>`,
 * and `ReLU` / `SOFTMAX` rows with no parameters.
 *
 * The options describe the usual mistakes as variants of the same counter, so that a
 * check can ask "which mistake would produce this answer?" (see checks/q6.ts).
 */
export interface CountOptions {
  biases: boolean;
  poolRounding: 'floor' | 'ceil';
  convPadding: 'same' | 'valid';
}
export const CORRECT: CountOptions = { biases: true, poolRounding: 'floor', convPadding: 'same' };

export type Dim = number[];
export interface LayerRow {
  layer: string;
  kind: 'input' | 'conv' | 'pool' | 'fc' | 'act';
  output: Dim;
  params: number;
  /** Weights alone, without biases: for the FC-share question. */
  weights: number;
}

export class SpecError extends Error {}

/** The parameters and output of one layer given its input; exported for carried-forward checks. */
export function applyLayer(layer: string, input: Dim, opt: CountOptions): LayerRow {
  const conv = /^CONV(\d+)-(\d+)$/i.exec(layer);
  const pool = /^POOL(\d+)$/i.exec(layer);
  const fc = /^FC-(\d+)$/i.exec(layer);
  if (conv) {
    const k = Number(conv[1]);
    const n = Number(conv[2]);
    if (input.length !== 3) throw new SpecError(`${layer} needs an h×w×c input, got ${input.join('x')}`);
    const [h, w, d] = input as [number, number, number];
    const pad = opt.convPadding === 'same' ? (k - 1) / 2 : 0;
    const out = (s: number) => Math.floor(s + 2 * pad - k) + 1;
    const weights = k * k * d * n;
    return { layer, kind: 'conv', output: [out(h), out(w), n], weights, params: weights + (opt.biases ? n : 0) };
  }
  if (pool) {
    const k = Number(pool[1]);
    if (input.length !== 3) throw new SpecError(`${layer} needs an h×w×c input, got ${input.join('x')}`);
    const [h, w, d] = input as [number, number, number];
    const round = opt.poolRounding === 'floor' ? Math.floor : Math.ceil;
    return { layer, kind: 'pool', output: [round(h / k), round(w / k), d], weights: 0, params: 0 };
  }
  if (fc) {
    const n = Number(fc[1]);
    const fanIn = input.reduce((a, b) => a * b, 1);
    const weights = fanIn * n;
    return { layer, kind: 'fc', output: [n], weights, params: weights + (opt.biases ? n : 0) };
  }
  if (/^(RELU|SOFTMAX|TANH|SIGMOID)$/i.test(layer)) {
    return { layer, kind: 'act', output: [...input], weights: 0, params: 0 };
  }
  throw new SpecError(`unknown layer "${layer}" (expected CONV<k>-<N>, POOL<k>, FC-<N>, ReLU or SOFTMAX)`);
}

/** The full table: an INPUT row, then one row per layer. */
export function countArchitecture(input: Dim, layers: readonly string[], opt: CountOptions = CORRECT): LayerRow[] {
  const rows: LayerRow[] = [{ layer: 'INPUT', kind: 'input', output: [...input], params: 0, weights: 0 }];
  let current: Dim = [...input];
  for (const layer of layers) {
    const row = applyLayer(layer, current, opt);
    rows.push(row);
    current = row.output;
  }
  return rows;
}

export interface ArchitectureSummary {
  rows: LayerRow[];
  total: number;
  fcParams: number;
  /** FC parameters as a percentage of all parameters (biases counted on both sides). */
  fcPercent: number;
  /** FC weights as a percentage of all weights (biases left out on both sides). */
  fcWeightPercentNoBias: number;
}

export function summarize(rows: LayerRow[]): ArchitectureSummary {
  const sum = (pick: (r: LayerRow) => number, only?: LayerRow['kind']) =>
    rows.filter((r) => !only || r.kind === only).reduce((a, r) => a + pick(r), 0);
  const total = sum((r) => r.params);
  const fcParams = sum((r) => r.params, 'fc');
  return {
    rows,
    total,
    fcParams,
    fcPercent: (100 * fcParams) / total,
    fcWeightPercentNoBias: (100 * sum((r) => r.weights, 'fc')) / sum((r) => r.weights),
  };
}

/** The homework's VGG-11 (configuration A of Simonyan & Zisserman). */
export const VGG11_LAYERS = [
  'CONV3-64', 'ReLU', 'POOL2',
  'CONV3-128', 'ReLU', 'POOL2',
  'CONV3-256', 'ReLU', 'CONV3-256', 'ReLU', 'POOL2',
  'CONV3-512', 'ReLU', 'CONV3-512', 'ReLU', 'POOL2',
  'CONV3-512', 'ReLU', 'CONV3-512', 'ReLU', 'POOL2',
  'FC-4096', 'FC-4096', 'FC-1000', 'SOFTMAX',
] as const;
export const VGG11_INPUT = [224, 224, 3];

export function formatDim(d: Dim): string {
  return d.join('x');
}
