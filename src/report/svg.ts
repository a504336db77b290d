/**
 * Charts as inline SVG strings, drawn by hand: a report must be one self-contained file that
 * prints the same in any browser. Pure functions of numbers; every text is escaped.
 */
import { escapeHtml } from './escape.ts';

const W = 560;
const H = 220;
const PAD = { left: 48, right: 12, top: 24, bottom: 34 };

/**
 * Largest and smallest finite values, by a loop: `Math.max(...values)` passes every value as an
 * argument and throws "Maximum call stack size exceeded" beyond about 10⁵ of them, and a
 * history or a histogram is the student's to make long. No array is spread in this file.
 */
function extent(arrays: readonly (readonly number[])[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const values of arrays) {
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { min, max };
}

const fmt = (x: number) => (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(1) : Number(x.toPrecision(3)).toString());

function axes(xMin: number, xMax: number, yMax: number, xLabel: string, yLabel: string): string {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const xs = ticks.map((t) => `<text x="${PAD.left + t * plotW}" y="${H - PAD.bottom + 14}" text-anchor="middle">${escapeHtml(fmt(xMin + t * (xMax - xMin)))}</text>`).join('');
  const ys = ticks.map((t) => `<text x="${PAD.left - 4}" y="${PAD.top + (1 - t) * plotH + 3}" text-anchor="end">${escapeHtml(fmt(t * yMax))}</text>` +
    `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${PAD.top + (1 - t) * plotH}" y2="${PAD.top + (1 - t) * plotH}" class="grid"/>`).join('');
  return `${ys}${xs}<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${H - PAD.bottom}" class="axis"/>` +
    `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${H - PAD.bottom}" y2="${H - PAD.bottom}" class="axis"/>` +
    `<text x="${PAD.left + plotW / 2}" y="${H - 4}" text-anchor="middle" class="label">${escapeHtml(xLabel)}</text>` +
    `<text x="10" y="${PAD.top + plotH / 2}" text-anchor="middle" class="label" transform="rotate(-90 10 ${PAD.top + plotH / 2})">${escapeHtml(yLabel)}</text>`;
}

function svg(body: string, title: string): string {
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${escapeHtml(title)}</title>${body}</svg>`;
}

interface Bars {
  title: string;
  xLabel: string;
  min: number;
  max: number;
  counts: number[];
  /** Drawn as a line over the bars, when given. */
  expected?: number[];
  legend?: string;
}

/** Equal-width bars over [min, max], with an optional expected line. */
export function barsSvg(b: Bars): string {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  // Counts: a y-axis whose four ticks are whole numbers.
  const yMax = Math.max(4, Math.ceil((Math.max(1, extent([b.counts, b.expected ?? []]).max) * 1.05) / 4) * 4);
  const bw = plotW / b.counts.length;
  const y = (v: number) => PAD.top + (1 - v / yMax) * plotH;
  const bars = b.counts.map((c, i) => `<rect x="${PAD.left + i * bw + 0.5}" y="${y(c)}" width="${Math.max(0, bw - 1)}" height="${PAD.top + plotH - y(c)}" class="bar"/>`).join('');
  const line = b.expected ? `<path d="${b.expected.map((e, i) => `${i ? 'L' : 'M'}${PAD.left + (i + 0.5) * bw},${y(e)}`).join(' ')}" class="expected"/>` : '';
  const legend = b.legend ? `<text x="${PAD.left}" y="12" class="legend">${escapeHtml(b.legend)}</text>` : '';
  return svg(`${axes(b.min, b.max, yMax, b.xLabel, 'count')}${bars}${line}${legend}`, b.title);
}

/** A sample's histogram against the expected counts of the correct distribution. */
export function histogramSvg(h: { label: string; min: number; max: number; counts: number[]; expected: number[]; expectedName: string }): string {
  return barsSvg({
    title: `Histogram of ${h.label} against ${h.expectedName}`, xLabel: 'value', min: h.min, max: h.max, counts: h.counts,
    expected: h.expected, legend: `bars: ${h.label} · line: expected under ${h.expectedName}`,
  });
}

/** Counts of scores in bins of `step` points from 0 to max. */
export function scoreHistogramSvg(scores: number[], max: number, step = 5): string {
  const bins = Math.max(1, Math.ceil(max / step));
  const counts = new Array<number>(bins).fill(0);
  for (const s of scores) counts[Math.min(bins - 1, Math.max(0, Math.floor(s / step)))]!++;
  return barsSvg({ title: 'Score histogram', xLabel: 'score', min: 0, max, counts });
}

const PALETTE = ['#3b6fd1', '#d1493b', '#2f9e5b', '#a05ad1', '#c98a1d'];

/** Line chart of named series over shared x values (loss curves). */
export function curvesSvg(c: { xLabel: string; yLabel: string; x: number[]; series: Record<string, number[]> }): string {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const yMax = Math.max(extent(Object.values(c.series)).max, 1e-12) * 1.05;
  const xs = extent([c.x]);
  // No finite x at all: the points are drawn at 1, 2, 3...
  const xMin = Number.isFinite(xs.min) ? xs.min : 1;
  const xMax = Math.max(Number.isFinite(xs.max) ? xs.max : 1, xMin + 1);
  const px = (x: number) => PAD.left + ((x - xMin) / (xMax - xMin)) * plotW;
  const py = (y: number) => PAD.top + (1 - y / yMax) * plotH;
  const names = Object.keys(c.series);
  const lines = names.map((name, k) => {
    // A point with no finite value is left out and the line restarts after it.
    const parts: string[] = [];
    let pen = 'M';
    const ys = c.series[name]!;
    for (let i = 0; i < ys.length; i++) {
      const x = c.x[i] ?? i + 1;
      const y = ys[i]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        pen = 'M';
        continue;
      }
      parts.push(`${pen}${px(x).toFixed(1)},${py(y).toFixed(1)}`);
      pen = 'L';
    }
    const d = parts.join(' ');
    return `<path d="${d}" fill="none" stroke="${PALETTE[k % PALETTE.length]}" stroke-width="2"/>`;
  }).join('');
  const legend = names.map((name, k) => `<tspan fill="${PALETTE[k % PALETTE.length]}">■ ${escapeHtml(name)}</tspan>`).join('  ');
  return svg(`${axes(xMin, xMax, yMax, c.xLabel, c.yLabel).replace(/>count</, '>')}${lines}<text x="${PAD.left}" y="12" class="legend">${legend}</text>`, `${names.join(', ')} against ${c.xLabel}`);
}

/** One value on a 0–100% scale with the thresholds that grade it marked. */
export function thresholdSvg(t: { label: string; value: number; thresholds: { label: string; value: number }[] }): string {
  const width = W - PAD.left - PAD.right;
  const x = (v: number) => PAD.left + Math.max(0, Math.min(1, v)) * width;
  const marks = t.thresholds.map((th) => `<line x1="${x(th.value)}" x2="${x(th.value)}" y1="22" y2="58" class="axis"/><text x="${x(th.value)}" y="70" text-anchor="middle">${escapeHtml(th.label)} ${(th.value * 100).toFixed(0)}%</text>`).join('');
  return `<svg class="chart" viewBox="0 0 ${W} 80" width="${W}" height="80" role="img" aria-label="${escapeHtml(t.label)}" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(t.label)}</title>` +
    `<rect x="${PAD.left}" y="30" width="${width}" height="20" fill="#eef0f4"/><rect x="${PAD.left}" y="30" width="${x(t.value) - PAD.left}" height="20" class="bar"/>${marks}` +
    `<text x="${PAD.left}" y="16" class="legend">${escapeHtml(t.label)}: ${(t.value * 100).toFixed(2)}%</text></svg>`;
}
