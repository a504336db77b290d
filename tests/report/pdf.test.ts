/**
 * The report in a real Chromium: it loads with no console error and no request beyond
 * itself, prints to a PDF whose text pdftotext can read, and a submission that puts HTML in
 * every field it controls gets it shown as text — nothing runs, even with the report's
 * Content-Security-Policy removed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'node-html-parser';
import puppeteer from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { gradePath } from '../../src/engine/pipeline.ts';
import { CHROMIUM_ARGS, findChromium, PdfPrinter } from '../../src/report/pdf.ts';
import { renderReport } from '../../src/report/render.ts';
import { correctAnswers, RUBRIC } from '../helpers.ts';
import { REGISTRY } from '../../checks/index.ts';

const chromium = findChromium();
const pdftotext = spawnSync('pdftotext', ['-v']).error === undefined;
// Skipped, and named as skipped, where Debian's packages are absent (.ci/run's first pass).
const missing = [...(chromium ? [] : ['chromium']), ...(pdftotext ? [] : ['poppler-utils'])];
const skipped = missing.length ? ` — skipped: needs Debian's ${missing.join(' and ')} (apt-get install ${missing.join(' ')})` : '';
if (skipped) console.warn(`report.html in Chromium${skipped}`);
const XSS = ['<script>window.__pwned = 1</script>', '<img src=x onerror="window.__pwned = 2">', '"><svg onload="window.__pwned = 3">'];

async function openInBrowser(html: string, javascript: boolean) {
  const dir = await mkdtemp(join(tmpdir(), 'hw2-html-'));
  const file = join(dir, 'report.html');
  await writeFile(file, html);
  const browser = await puppeteer.launch({ executablePath: chromium!, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(javascript);
    const requests: string[] = [];
    const problems: string[] = [];
    let dialogs = 0;
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('dialog', async (d) => {
      dialogs++;
      await d.dismiss();
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const pwned = javascript ? await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? null) : null;
    return { requests, problems, dialogs, pwned, file };
  } finally {
    await browser.close();
  }
}

describe.skipIf(missing.length > 0)(`report.html in Chromium${skipped}`, () => {
  it('loads with no console error and no request but its own file, and prints a PDF with page numbers', async () => {
    const { result } = await gradePath(new URL('../../solutions/flawed-q6-vgg-without-biases', import.meta.url).pathname, REGISTRY, RUBRIC, { mode: 'grade', seed: 211 });
    const html = renderReport(result);
    const seen = await openInBrowser(html, true);
    expect(seen.problems).toEqual([]);
    expect(seen.requests).toEqual([pathToFileURL(seen.file).href]);

    const printer = await PdfPrinter.launch();
    const pdf = await printer.print(html);
    await printer.close();
    const pdfFile = seen.file.replace(/\.html$/, '.pdf');
    await writeFile(pdfFile, pdf);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdfFile], { encoding: 'utf8' }))![1]);
    expect(pages).toBeGreaterThan(2);
    const text = execFileSync('pdftotext', [pdfFile, '-'], { encoding: 'utf8' });
    expect(text).toContain('flawed-q6-vgg-without-biases');
    expect(text).toContain(`${result.score} / 100`);
    expect(text).toContain('Biases not counted');
    // the footer's page numbers, one per page
    for (let p = 1; p <= pages; p++) expect(text).toMatch(new RegExp(`^${p} ?/ ?${pages}$`, 'm'));
  });

  it('shows student-written HTML as text and runs none of it', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'hw2-xss-')), 'xss-pair');
    const a = correctAnswers();
    const evil = XSS.join(' ');
    a.q1!.proof = `${evil}\n\n[click](javascript:window.__pwned=4) ![x](http://example.com/track.png)`;
    a.q3!.a!.explanation = evil;
    a.q4!.sigma = evil;
    a.q6!.rows![1]!.layer = evil;
    a.q6!.rows![1]!.output = XSS[1]!;
    a.task1!.explanations = { item1: evil, item4: evil, item6: evil };
    await (await import('node:fs/promises')).mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'hw2.json'), JSON.stringify({
      contract: 1, group: { ids: ['123456782'], names: [evil, XSS[2]] },
      answers: { ...a, [XSS[0]!]: 1 }, // an unknown part named with HTML: it reaches the warnings
    }));
    await writeFile(join(dir, 'solution.ts'), `console.log(${JSON.stringify(evil)});\nexport const answers = { q5: { scaleTraining: ${JSON.stringify(evil)} } };\n`);
    const { result } = await gradePath(dir, REGISTRY, RUBRIC, { mode: 'grade', seed: 211 });
    const html = renderReport(result).replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
    const doc = parse(html);
    expect(doc.querySelectorAll('script, img, iframe, object, embed, a').length).toBe(0);
    for (const el of doc.querySelectorAll('*')) expect(Object.keys(el.attributes).filter((k) => /^on/i.test(k)), el.tagName).toEqual([]);
    // every <svg> is one of the report's own charts
    for (const svg of doc.querySelectorAll('svg')) expect(svg.classList.contains('chart')).toBe(true);
    expect(html).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;');
    const seen = await openInBrowser(html, true);
    expect(seen.pwned).toBeNull();
    expect(seen.dialogs).toBe(0);
    expect(seen.requests).toEqual([pathToFileURL(seen.file).href]);
  });

  it('typesets a pair\'s LaTeX with KaTeX\'s own fonts, inlined: the page loads nothing, the PDF embeds them', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'hw2-latex-')), 'latex-pair');
    await (await import('node:fs/promises')).mkdir(dir, { recursive: true });
    const proof = 'Let $v = w - w_t$. Then $$R(w) = v^\\top \\mathbb{E}[x x^\\top]\\, v = \\|w - w_t\\|^2.$$';
    await writeFile(join(dir, 'hw2.json'), JSON.stringify({ contract: 1, group: { ids: ['123456782'] }, answers: { q1: { proof } } }));
    const { result } = await gradePath(dir, REGISTRY, RUBRIC, { mode: 'grade', seed: 211 });
    const html = renderReport(result);
    const seen = await openInBrowser(html, false);
    // Its own file, and KaTeX's fonts from the data: URLs inlined in it; nothing else.
    expect(seen.requests.filter((r) => !r.startsWith('data:font/woff2;base64,'))).toEqual([pathToFileURL(seen.file).href]);
    expect(seen.requests.length).toBeGreaterThan(1);
    const printer = await PdfPrinter.launch();
    const pdfFile = seen.file.replace(/\.html$/, '.pdf');
    await writeFile(pdfFile, await printer.print(html));
    await printer.close();
    // pdffonts lists the fonts a PDF embeds: KaTeX's math italic (v, w, R) and its blackboard bold (E, from AMS).
    const fonts = execFileSync('pdffonts', [pdfFile], { encoding: 'utf8' });
    expect(fonts).toMatch(/\+KaTeX_Math-Italic/);
    expect(fonts).toMatch(/\+KaTeX_AMS-Regular/);
    // No dollar sign is left of the formulas: they were typeset, not printed as source.
    const text = execFileSync('pdftotext', [pdfFile, '-'], { encoding: 'utf8' });
    expect(text).not.toContain('$');
  });
});
