/** Handlebars over the view models; templates and CSS are read and compiled once. */
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import type { SubmissionResult } from '../core/vocabulary.ts';
import { hasMath, katexCss } from './math.ts';
import { reportView, summaryView } from './view.ts';

const dir = new URL('../../reports/', import.meta.url);
const css = readFileSync(new URL('style.css', dir), 'utf8');
const reportTemplate = Handlebars.compile(readFileSync(new URL('report.hbs', dir), 'utf8'));
const summaryTemplate = Handlebars.compile(readFileSync(new URL('summary.hbs', dir), 'utf8'));

/** Our stylesheet, and KaTeX's (fonts inlined) when the page typesets a formula. */
function withMath(template: (context: object) => string, view: object): string {
  const html = template({ ...view, css });
  return hasMath(html) ? template({ ...view, css: `${css}\n${katexCss()}` }) : html;
}

export function renderReport(result: SubmissionResult, generated = new Date()): string {
  return withMath(reportTemplate, reportView(result, generated));
}

/** `similarityHtml`: the section `hw2 similarity` adds (src/report/similarity.ts), trusted HTML made from escaped data. */
export function renderSummary(results: SubmissionResult[], generated = new Date(), extra: { similarityHtml?: string } = {}): string {
  return withMath(summaryTemplate, { ...summaryView(results, generated), ...extra });
}
