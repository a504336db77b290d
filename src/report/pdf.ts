/**
 * The only module that talks to a browser: Debian's Chromium driven by puppeteer-core. One
 * browser and one page are started per batch and reused for every report. The page runs
 * with JavaScript off and every network request refused: a report is static.
 */
import { accessSync, constants, statSync } from 'node:fs';
import type { Browser, Page } from 'puppeteer-core';
import puppeteer from 'puppeteer-core';

/** Where a system's Chromium is, tried after the browser the user named. */
const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** An executable file: a leftover path or a non-executable placeholder is not a browser. */
function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The browser to print with: `preferred` (the CLI passes HW2_CHROMIUM) if it is one, else the system's. */
export function findChromium(preferred: string | undefined = process.env.HW2_CHROMIUM): string | undefined {
  return [preferred, ...SYSTEM_CHROMIUM].find((p): p is string => !!p && executable(p));
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage'];

/** What the writers need of a printer. */
export interface Printer {
  print(html: string): Promise<Uint8Array>;
}

const FOOTER = '<div style="font-size:8px;width:100%;text-align:center;color:#666"><span class="pageNumber"></span> / <span class="totalPages"></span></div>';

interface Lane {
  page: Page;
  /** Prints on one page run one at a time. */
  queue: Promise<unknown>;
  waiting: number;
}

export class PdfPrinter {
  private constructor(private browser: Browser, private lanes: Lane[]) {}

  /** One browser; `pages` pages print side by side (one per grading job is plenty). */
  static async launch(executablePath = findChromium(), pages = 1): Promise<PdfPrinter> {
    if (!executablePath) throw new Error('no Chromium found (install Debian\'s chromium, or set HW2_CHROMIUM to a Chrome/Chromium binary); use --no-pdf to skip PDFs');
    const browser = await puppeteer.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
    const lanes: Lane[] = [];
    for (let i = 0; i < Math.max(1, pages); i++) {
      const page = await browser.newPage();
      await page.setJavaScriptEnabled(false);
      await page.setRequestInterception(true);
      page.on('request', (request) => (request.url().startsWith('data:') ? request.continue() : request.abort()));
      lanes.push({ page, queue: Promise.resolve(), waiting: 0 });
    }
    return new PdfPrinter(browser, lanes);
  }

  /** Prints one self-contained HTML document to PDF bytes, on the least busy page. */
  print(html: string): Promise<Uint8Array> {
    const lane = this.lanes.reduce((a, b) => (b.waiting < a.waiting ? b : a));
    lane.waiting++;
    const job = lane.queue.then(() => this.printOn(lane.page, html)).finally(() => lane.waiting--);
    lane.queue = job.catch(() => undefined);
    return job;
  }

  private async printOn(page: Page, html: string): Promise<Uint8Array> {
    await page.setContent(html, { waitUntil: 'load' });
    return page.pdf({
      format: 'A4', printBackground: true, displayHeaderFooter: true, headerTemplate: '<span></span>', footerTemplate: FOOTER,
      margin: { top: '14mm', bottom: '16mm', left: '12mm', right: '12mm' },
    });
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

/** A printer that starts Chromium on the first print, so a run that prints nothing never pays for it. */
export function lazyPrinter(pages = 1, executablePath = findChromium()): Printer & { close(): Promise<void> } {
  let printer: Promise<PdfPrinter> | undefined;
  return {
    print: async (html) => (await (printer ??= PdfPrinter.launch(executablePath, pages))).print(html),
    close: async () => {
      if (printer) await (await printer).close();
    },
  };
}
