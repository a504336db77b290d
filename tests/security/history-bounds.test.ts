/**
 * A history is the student's to make long. One of 2 million values broke report.html
 * ("Maximum call stack size exceeded" from spreading it into Math.max) and made result.json
 * 48 MB. Now: a history of more than MAX_HISTORY_POINTS rows or values per series is refused
 * with the file named; a long one that is accepted is judged on every point, but its evidence
 * (what result.json stores and the report draws) keeps about 1,000 points per series; and no
 * chart spreads an array, so even an old result with millions of points renders.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { MAX_DRAWN_POINTS, MAX_HISTORY_POINTS, parseHistory, thinHistory } from '../../src/data/history.ts';
import { gradePath } from '../../src/engine/pipeline.ts';
import { renderReport } from '../../src/report/render.ts';
import { barsSvg, curvesSvg } from '../../src/report/svg.ts';
import { RUBRIC } from '../helpers.ts';
import { REGISTRY } from '../../checks/index.ts';

const range = <T = number>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

/** A pair whose hw2.json names only a Task 2 history, graded by the real pipeline. */
async function gradeHistory(text: string, name = 'history.json') {
  const root = await mkdtemp(join(tmpdir(), 'hw2-history-'));
  const dir = join(root, 'long-history');
  await mkdir(join(dir, 'history'), { recursive: true });
  await writeFile(join(dir, 'history', name), text);
  await writeFile(join(dir, 'hw2.json'), JSON.stringify({ contract: 1, group: { ids: ['123456782', '234567891'] }, answers: { task2: { history: `history/${name}` } } }));
  const { result } = await gradePath(dir, REGISTRY, RUBRIC, { mode: 'grade', seed: 211 });
  await rm(root, { recursive: true, force: true });
  return { result, curves: result.checks.find((c) => c.id === 'task2.curves')! };
}

describe('charts never spread an array', () => {
  it('curvesSvg draws 2 million points and barsSvg 2 million bars without a stack overflow', () => {
    const n = 2_000_000;
    const x = range(n, (i) => i + 1);
    const svg = curvesSvg({ xLabel: 'step', yLabel: 'loss', x, series: { loss: range(n, (i) => 2 / (i + 1)) } });
    expect(svg.startsWith('<svg')).toBe(true);
    // The y axis tops at 5% above the largest finite value (2), the x axis spans 1 to 2,000,000.
    expect(svg).toContain('>2.1<');
    expect(svg).toContain('>2.0e+6<');
    expect(barsSvg({ title: 't', xLabel: 'v', min: 0, max: 1, counts: range(n, (i) => i % 7) }).startsWith('<svg')).toBe(true);
  });

  it('non-finite values are left out of the axes as before; with no x the axis starts at 1', () => {
    const svg = curvesSvg({ xLabel: 'epoch', yLabel: 'loss', x: [], series: { loss: [NaN, 1, Infinity, 0.5] } });
    expect(svg).toContain('>1.05<');
    expect(svg).not.toContain('Infinity');
    expect(svg).toMatch(/text-anchor="middle">1<\/text>/);
  });
});

describe('a history is bounded when it is parsed', () => {
  const keras = (n: number) => JSON.stringify({ loss: range(n, () => 1) });
  it(`accepts ${MAX_HISTORY_POINTS.toLocaleString('en-US')} points in every format and refuses one more, naming the file`, () => {
    const csv = (n: number) => `step,loss\n${range(n, (i) => `${i + 1},1`).join('\n')}\n`;
    const rows = (n: number) => JSON.stringify(range(n, (i) => ({ step: i + 1, loss: 1 })));
    for (const [make, file] of [[keras, 'h.json'], [csv, 'h.csv'], [rows, 'h.json']] as const) {
      const ok = parseHistory(make(MAX_HISTORY_POINTS), file);
      expect(ok.ok, file).toBe(true);
      if (ok.ok) expect(ok.history.series.loss!.length).toBe(MAX_HISTORY_POINTS);
      const refused = parseHistory(make(MAX_HISTORY_POINTS + 1), file);
      expect(refused.ok, file).toBe(false);
      if (!refused.ok) expect(refused.message).toMatch(new RegExp(`^h\\.(json|csv)( \\(series "loss"\\))? has (100,001 points, )?more than the 100,000 points a history may hold; log the loss once an epoch \\(or every few steps\\)$`));
    }
    expect(parseHistory(keras(MAX_HISTORY_POINTS + 1), 'h.json')).toEqual({ ok: false, message: 'h.json (series "loss") has 100,001 points, more than the 100,000 points a history may hold; log the loss once an epoch (or every few steps)' });
  });

  it('the attack: 2 million values in 4 MB is that check\'s input error, and result.json stays small', async () => {
    // Just under the JSON reader's 2,000,000 values, so only the history's own bound stops it.
    const ones = (n: number) => new Array(n).fill(1).join(',');
    const { result, curves } = await gradeHistory(`{"loss":[${ones(1_000_000)}],"val_loss":[${ones(999_990)}]}`);
    expect(curves.status).toBe('error');
    expect(curves.score).toBe(0);
    expect(curves.message).toBe('history/history.json (series "loss") has 1,000,000 points, more than the 100,000 points a history may hold; log the loss once an epoch (or every few steps)');
    expect(JSON.stringify(result).length).toBeLessThan(200_000);
    expect(() => renderReport(result)).not.toThrow();
  }, 60_000);
});

describe('the curves evidence keeps about 1,000 points; the verdict uses all', () => {
  it('thinHistory strides evenly, keeps the first and last of x and of every series, and leaves short ones alone', () => {
    const n = 12_345;
    const h = { x: range(n, (i) => i + 1), xLabel: 'step', series: { loss: range(n, (i) => 1 / (i + 1)), short: [5, 4, 3] } };
    const t = thinHistory(h);
    expect(t.x.length).toBeLessThanOrEqual(MAX_DRAWN_POINTS + 2);
    expect(t.x.length).toBeGreaterThanOrEqual(MAX_DRAWN_POINTS);
    expect([t.x[0], t.x.at(-1)]).toEqual([1, n]);
    expect([t.series.loss![0], t.series.loss!.at(-1)]).toEqual([1, 1 / n]);
    expect(t.series.short).toEqual([5, 3]);
    // x and loss stay paired: loss = 1/x at every kept point; the strides differ by at most one.
    t.x.forEach((x, i) => expect(t.series.loss![i]).toBe(1 / x));
    const even = thinHistory({ x: h.x, xLabel: 'step', series: { loss: h.series.loss } }).x;
    const gaps = even.slice(1).map((x, i) => x - even[i]!);
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(1);
    const small = { x: [1, 2], xLabel: 'epoch', series: { loss: [1, 0.5] } };
    expect(thinHistory(small)).toBe(small);
  });

  it(`a ${MAX_HISTORY_POINTS.toLocaleString('en-US')}-step history: judged on every point, ~1,000 drawn per series, the report renders`, async () => {
    // The loss falls overall but its last point is above the first: only the full series shows it,
    // the strided one (which keeps the last) must give the same verdict as the full one.
    const n = MAX_HISTORY_POINTS;
    const loss = range(n, (i) => 2 - i / n);
    loss[n - 1] = 3;
    const { result, curves } = await gradeHistory(JSON.stringify({ step: range(n, (i) => i + 1), loss, val_loss: range(n, (i) => 2.5 - i / n) }));
    expect(curves.message).toBe('100000 points of loss from 2.00 to 3.00: it does not decrease.');
    expect(curves.score).toBe(RUBRIC.checks['task2.curves']!.points / 2);
    const evidence = curves.evidence!;
    expect(evidence.type).toBe('curves');
    if (evidence.type === 'curves') {
      expect(Object.keys(evidence.series)).toEqual(['loss', 'val_loss']);
      for (const values of [evidence.x, ...Object.values(evidence.series)]) {
        expect(values.length).toBeGreaterThanOrEqual(MAX_DRAWN_POINTS);
        expect(values.length).toBeLessThanOrEqual(MAX_DRAWN_POINTS + 2);
      }
      expect([evidence.x[0], evidence.x.at(-1)]).toEqual([1, n]);
      expect([evidence.series.loss![0], evidence.series.loss!.at(-1)]).toEqual([2, 3]);
    }
    expect(JSON.stringify(result).length).toBeLessThan(200_000);
    const chart = parse(renderReport(result)).querySelector('article[data-check="task2.curves"] svg');
    expect(chart).not.toBeNull();
    expect(chart!.querySelectorAll('path').length).toBe(2);
  }, 60_000);

  it('many loss series: at most 8 are kept, the training loss among them', async () => {
    const series: Record<string, number[]> = {};
    for (let k = 0; k < 20; k++) series[`aux_loss_${k}`] = [2, 1];
    series.loss = [2, 1];
    const { curves } = await gradeHistory(JSON.stringify(series));
    expect(curves.score).toBe(RUBRIC.checks['task2.curves']!.points);
    if (curves.evidence?.type === 'curves') {
      const names = Object.keys(curves.evidence.series);
      expect(names.length).toBe(8);
      expect(names).toContain('loss');
    } else {
      expect.unreachable('curves evidence');
    }
  }, 60_000);
});
