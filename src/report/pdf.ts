/**
 * The only module that talks to a browser: Debian's Chromium driven by puppeteer-core. One
 * browser and one page are started per batch and reused for every report. The page runs
 * with JavaScript off and every network request refused: a report is static.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'puppeteer-core';
import puppeteer from 'puppeteer-core';

const CANDIDATES = [process.env.HW2_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium(): string | undefined {
  return CANDIDATES.find((p): p is string => !!p && existsSync(p));
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage'];

const FOOTER = '<div style="font-size:8px;width:100%;text-align:center;color:#666"><span class="pageNumber"></span> / <span class="totalPages"></span></div>';

export class PdfPrinter {
  private constructor(private browser: Browser, private page: Page) {}

  static async launch(executablePath = findChromium()): Promise<PdfPrinter> {
    if (!executablePath) throw new Error('no Chromium found (install Debian\'s chromium, or set HW2_CHROMIUM to a Chrome/Chromium binary); use --no-pdf to skip PDFs');
    const browser = await puppeteer.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (request) => (request.url().startsWith('data:') ? request.continue() : request.abort()));
    return new PdfPrinter(browser, page);
  }

  /** Prints one self-contained HTML document to PDF bytes. */
  async print(html: string): Promise<Uint8Array> {
    await this.page.setContent(html, { waitUntil: 'load' });
    return this.page.pdf({
      format: 'A4', printBackground: true, displayHeaderFooter: true, headerTemplate: '<span></span>', footerTemplate: FOOTER,
      margin: { top: '14mm', bottom: '16mm', left: '12mm', right: '12mm' },
    });
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
