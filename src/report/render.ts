/** Handlebars over the view models; templates and CSS are read and compiled once. */
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import type { SubmissionResult } from '../core/vocabulary.ts';
import { reportView, summaryView } from './view.ts';

const dir = new URL('../../reports/', import.meta.url);
const css = readFileSync(new URL('style.css', dir), 'utf8');
const reportTemplate = Handlebars.compile(readFileSync(new URL('report.hbs', dir), 'utf8'));
const summaryTemplate = Handlebars.compile(readFileSync(new URL('summary.hbs', dir), 'utf8'));

export function renderReport(result: SubmissionResult, generated = new Date()): string {
  return reportTemplate({ ...reportView(result, generated), css });
}

/** `similarityHtml`: the section `hw2 similarity` adds (src/report/similarity.ts), trusted HTML made from escaped data. */
export function renderSummary(results: SubmissionResult[], generated = new Date(), extra: { similarityHtml?: string } = {}): string {
  return summaryTemplate({ ...summaryView(results, generated), css, ...extra });
}
