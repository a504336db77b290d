/**
 * hw2 review in a real browser (Debian's Chromium through puppeteer-core), end to end: the
 * CLI grades three pairs, a TA defines a rubric item in the page and grades the three answers
 * by keyboard (full points, an item by its digit, typed points, a comment, an undo), reloads and
 * finds every decision, and `hw2 grade … --manual` then puts the points in result.json and the
 * report. No script of a pair runs. HW2_REVIEW_SCREENSHOTS=DIR keeps screenshots of the page.
 */
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, findChromium } from '../../src/report/pdf.ts';
import { DEFAULT_RUBRIC_PATH } from '../../src/rubric/rubric.ts';
import { startReview } from '../../src/review/server.ts';
import { hw2 } from '../helpers-cli.ts';
import { submissionsFolder } from '../review/fixture.ts';

const chromium = findChromium();
const skipped = chromium ? '' : " — skipped: needs Debian's chromium (apt-get install chromium)";
if (skipped) console.warn(`hw2 review in a browser${skipped}`);
const shots = process.env.HW2_REVIEW_SCREENSHOTS;

/** What the page shows now: the submission on screen, its points and its saved state. */
const onScreen = (page: Page) => page.evaluate(() => ({
  submission: document.querySelector<HTMLElement>('section.submission:not([hidden])')!.dataset.submission,
  points: (document.getElementById('points') as HTMLInputElement).value,
  state: document.getElementById('state')!.textContent,
  remark: (document.getElementById('remark') as HTMLTextAreaElement).value,
}));
/** Waits until the decision on screen is saved with these points. */
const savedWith = (page: Page, points: string) => page.waitForFunction((p) => document.getElementById('state')!.textContent!.startsWith(`${p} / 6 saved`), { timeout: 10_000 }, points);

describe.skipIf(!chromium)(`hw2 review in a browser${skipped}`, () => {
  it('grades three answers by keyboard; a reload finds them; hw2 grade --manual applies them', async () => {
    const subs = submissionsFolder();
    const out = mkdtempSync(join(tmpdir(), 'hw2-review-e2e-'));
    const graded = await hw2(['grade', subs, '--out', out, '--no-pdf', '--quiet']);
    expect(graded.stderr).toBe('');
    const rubricFile = join(out, 'rubric.json');
    copyFileSync(DEFAULT_RUBRIC_PATH, rubricFile);
    const manualFile = join(out, 'manual.csv');
    const server = await startReview({ out, manualFile, rubricFile, ta: 'alice' });
    const browser = await puppeteer.launch({ executablePath: chromium!, headless: true, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: 1400, height: 900 });
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${server.url}q/q1.proof`, { waitUntil: 'networkidle0' });
      if (shots) await page.screenshot({ path: join(shots, 'review-1-open.png') });
      expect(await onScreen(page)).toEqual({ submission: 'pair-a', points: '', state: 'not graded', remark: '' });

      // pair-a: full points.
      await page.keyboard.press('f');
      await savedWith(page, '6');
      // A rubric item, defined in the page: it becomes digit 1.
      await page.type('#item-points', '-2');
      await page.type('#item-label', 'missing the ½ in E');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#items li');
      // pair-b: the item by its digit: 6 − 2.
      await page.keyboard.press('j');
      expect((await onScreen(page)).submission).toBe('pair-b');
      await page.keyboard.press('1');
      await savedWith(page, '4');
      if (shots) await page.screenshot({ path: join(shots, 'review-2-item.png') });
      // pair-c: typed points and a comment; then zero, and undo back to the typed points.
      await page.keyboard.press('j');
      await page.keyboard.press('p');
      await page.keyboard.type('3.5');
      await page.keyboard.press('Enter');
      await savedWith(page, '3.5');
      await page.keyboard.press('c');
      await page.keyboard.type('the second moment is asserted, not derived');
      // Leaving the box saves the comment with the points.
      const remarkSaved = page.waitForResponse((r) => r.url().endsWith('/api/decision'));
      await page.keyboard.press('Escape');
      expect((await remarkSaved).status()).toBe(200);
      await page.keyboard.press('z');
      await savedWith(page, '0');
      await page.keyboard.press('u');
      await savedWith(page, '3.5');
      expect(await page.$eval('#progress', (e) => e.textContent)).toBe('3 / 3 graded');
      if (shots) await page.screenshot({ path: join(shots, 'review-3-graded.png') });

      // A reload finds every decision, each on its own submission (it reopens where the TA was).
      await page.reload({ waitUntil: 'networkidle0' });
      const seen: Record<string, unknown> = {};
      for (let i = 0; i < 3; i++) {
        const s = await onScreen(page);
        seen[s.submission!] = [s.points, s.remark, (await page.$$eval('#items li.on', (e) => e.length))];
        await page.keyboard.press('j');
      }
      expect(seen).toEqual({ 'pair-a': ['6', '', 0], 'pair-b': ['4', '', 1], 'pair-c': ['3.5', 'the second moment is asserted, not derived', 0] });
      // No script of a pair ran: no alert, no error, no element it wrote.
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      expect(await page.$$eval('section.submission img, section.submission script, section.submission a', (e) => e.length)).toBe(0);
    } finally {
      await browser.close();
      await server.close();
    }

    const csv = readFileSync(manualFile, 'utf8');
    expect(csv).toContain('pair-c,q1.proof,3.5,"the second moment is asserted, not derived",');
    // The harness applies the file as any --manual CSV, grading nothing again.
    const applied = await hw2(['grade', subs, '--out', out, '--no-pdf', '--quiet', '--manual', manualFile]);
    expect(applied.stdout).toContain('3 unchanged since the last run were reused');
    const ta = (id: string) => JSON.parse(readFileSync(join(out, id, 'result.json'), 'utf8')).checks.find((c: { id: string }) => c.id === 'q1.proof').ta;
    expect([ta('pair-a'), ta('pair-b'), ta('pair-c')]).toEqual([
      { points: 6, comment: '' },
      { points: 4, comment: '−2 missing the ½ in E' },
      { points: 3.5, comment: 'the second moment is asserted, not derived' },
    ]);
    expect(readFileSync(join(out, 'pair-b', 'report.html'), 'utf8')).toContain('4 / 6 — −2 missing the ½ in E');
  }, 90_000);
});
