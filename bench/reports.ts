/**
 * Report rendering and PDF printing: per report with one reused browser, against the peer
 * of launching a browser for every report, measured in the same run.
 * Run: npm run bench -- reports
 */
import { join } from 'node:path';
import { CHECK_IDS, RUBRIC_DEFAULTS } from '../checks/index.ts';
import { gradePath } from '../src/engine/pipeline.ts';
import { DEFAULT_RUBRIC_PATH, loadRubric } from '../src/rubric/rubric.ts';
import { findChromium, PdfPrinter } from '../src/report/pdf.ts';
import { renderReport } from '../src/report/render.ts';
import { REGISTRY } from '../checks/index.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const root = new URL('..', import.meta.url).pathname;
const rubric = loadRubric(DEFAULT_RUBRIC_PATH, RUBRIC_DEFAULTS);
const { result } = await gradePath(join(root, 'solutions/flawed-q6-vgg-without-biases'), REGISTRY, rubric, { mode: 'grade', seed: 211 });

const renderMs: number[] = [];
let html = '';
for (let i = 0; i < 20; i++) {
  const t = performance.now();
  html = renderReport(result);
  renderMs.push(performance.now() - t);
}
if (!findChromium()) {
  console.log('no Chromium: PDF timings skipped');
  process.exit(0);
}
const t0 = performance.now();
const printer = await PdfPrinter.launch();
const launchMs = performance.now() - t0;
const reused: number[] = [];
for (let i = 0; i < 10; i++) {
  const t = performance.now();
  await printer.print(html);
  reused.push(performance.now() - t);
}
await printer.close();
const fresh: number[] = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  const p = await PdfPrinter.launch();
  await p.print(html);
  await p.close();
  fresh.push(performance.now() - t);
}
console.log('| measurement (median) | time |');
console.log('|---|---|');
console.log(`| render report.html (handlebars, ${(html.length / 1024).toFixed(0)} KB) | ${median(renderMs).toFixed(1)} ms |`);
console.log(`| launch Chromium once | ${launchMs.toFixed(0)} ms |`);
console.log(`| report.pdf with the reused browser | ${median(reused).toFixed(0)} ms |`);
console.log(`| report.pdf launching a browser each time (peer) | ${median(fresh).toFixed(0)} ms (${(median(fresh) / median(reused)).toFixed(1)}× the reused one) |`);
