/**
 * Reports are rendered from result.json alone: every number in the HTML must be the
 * result's. Parsed with node-html-parser, not matched with regular expressions.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'node-html-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradePath } from '../../src/engine/pipeline.ts';
import { diagnosisText, type SubmissionResult } from '../../src/core/vocabulary.ts';
import { renderReport, renderSummary } from '../../src/report/render.ts';
import { csvCell, gradescopeJson, junitXml, moodleCsv, scoresCsv } from '../../src/report/sheets.ts';
import { RUBRIC } from '../helpers.ts';
import { REGISTRY } from '../../checks/index.ts';

const SOLUTIONS = new URL('../../solutions/', import.meta.url).pathname;
const results: SubmissionResult[] = [];

beforeAll(async () => {
  for (const name of readdirSync(SOLUTIONS).filter((n) => !n.startsWith('_')).sort()) {
    results.push((await gradePath(join(SOLUTIONS, name), REGISTRY, RUBRIC, { mode: 'grade', seed: 211 })).result);
  }
}, 300_000); // every example graded in turn in this process (51 since issue 15); those with models take most of the time

describe('report.html', () => {
  it('shows, for every example, each check\'s score, points and status as in result.json', () => {
    for (const result of results) {
      const doc = parse(renderReport(result));
      expect(doc.querySelector('.headline .big')!.text.trim()).toBe(`${result.score} / ${result.maxScore}`);
      const articles = doc.querySelectorAll('article.check');
      expect(articles.length).toBe(result.checks.length);
      for (const c of result.checks) {
        const a = doc.querySelector(`article[data-check="${c.id}"]`)!;
        expect(a.getAttribute('data-points')).toBe(String(c.points));
        expect(a.getAttribute('data-status')).toBe(c.status);
        // No number for points not scored yet: waiting for a TA, hidden, or held back (the machine lacked something).
        const notScored = (c.status === 'manual' && !c.ta) || c.status === 'hidden' || c.cause === 'environment';
        expect(a.getAttribute('data-score')).toBe(notScored ? '–' : String(c.ta ? c.ta.points : c.score));
        expect(a.querySelector('.message')!.text).toBe(c.message);
        if (c.diagnoses?.length) expect(a.querySelector('.diagnosis')!.text).toBe(diagnosisText(c));
      }
    }
  });

  it('marks exactly the wrong cells of the Q6 table (the 11 parameter cells of VGG without biases)', () => {
    const doc = parse(renderReport(results.find((r) => r.submission.id === 'flawed-q6-vgg-without-biases')!));
    const wrong = doc.querySelectorAll('#check-q6\\.table td.cell-wrong');
    expect(wrong.map((td) => td.text)).toEqual(['1,728', '73,728', '294,912', '589,824', '1,179,648', '2,359,296', '2,359,296', '2,359,296', '102,760,448', '16,777,216', '4,096,000']);
  });

  it('draws the init check\'s histogram with one bar per bin and the expected line', () => {
    const doc = parse(renderReport(results.find((r) => r.submission.id === 'flawed-task1-xavier-from-normal')!));
    const svg = doc.querySelector('#check-task1\\.xavierInit svg')!;
    expect(svg.querySelectorAll('rect.bar').length).toBe(30);
    expect(svg.querySelector('path.expected')).not.toBeNull();
  });

  it('loads nothing from outside: no script, no external URL', () => {
    for (const result of results) {
      const html = renderReport(result);
      const doc = parse(html);
      expect(doc.querySelectorAll('script').length).toBe(0);
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    }
  });
});

describe('summary.html and the sheets', () => {
  it('gives the mean and median of the complete submissions\' scores, computed here by hand', () => {
    const doc = parse(renderSummary(results));
    // A submission with points held back (the grading machine lacked something) has no grade yet.
    const complete = results.filter((r) => !r.checks.some((c) => c.cause === 'environment'));
    const scores = complete.map((r) => r.score).sort((a, b) => a - b);
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    const median = scores.length % 2 ? scores[(scores.length - 1) / 2]! : (scores[scores.length / 2 - 1]! + scores[scores.length / 2]!) / 2;
    const bigs = doc.querySelectorAll('.headline .big').map((e) => e.text);
    expect(bigs).toEqual([mean.toFixed(1), median.toFixed(1)]);
    expect(doc.querySelectorAll('tbody tr').length).toBeGreaterThan(results.length);
  });

  it('writes one Moodle row per student and one scores row per submission', () => {
    const moodle = moodleCsv(results, { allowIncomplete: true }).csv.trim().split('\r\n');
    const students = results.reduce((a, r) => a + (r.submission.group?.ids.length ?? 1), 0);
    expect(moodle[0]).toBe('Identifier,Full name,Grade,Maximum grade,Feedback comments');
    expect(moodle.length).toBe(1 + students);
    const scores = scoresCsv(results).trim().split('\r\n');
    expect(scores.length).toBe(1 + results.length);
    const correct = scores.find((l) => l.startsWith('correct,'))!.split(',');
    // q1..q6, task1..task3, rules: the correct pair's automatic points per question (rubric, by hand)
    expect(correct.slice(2, 12)).toEqual(['0', '14', '6', '3', '7', '8', '13', '11', '4', '4']);
  });

  it('quotes cells so that a spreadsheet runs no formula', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('a,b')).toBe('"a,b"');
  });

  it('writes JUnit XML with a testsuite per submission and Gradescope JSON whose scores add up', () => {
    const doc = parse(junitXml(results));
    expect(doc.querySelectorAll('testsuite').length).toBe(results.length);
    for (const r of results) {
      const g = JSON.parse(gradescopeJson(r));
      const sum = g.tests.reduce((a: number, t: { score: number }) => a + t.score, 0);
      expect(sum).toBeCloseTo(g.score, 6);
    }
  });
});
