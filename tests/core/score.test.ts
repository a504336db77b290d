/**
 * One score everywhere. Results are made the way the harness makes them (gradeSubmission over
 * checks that return the outcomes below, then applyManual with TA points); every output is
 * then read back as its reader would (the console's text, report.html parsed, the CSVs
 * parsed, Gradescope's JSON), and each must give the total that this file derives on its own:
 * a plain sum in hundredths of a point, written here without score.ts.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import { parse as parseHtml } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { resultLines, summaryLines } from '../../src/cli/table.ts';
import type { LoadedSubmission } from '../../src/contract/load.ts';
import { gradeSubmission } from '../../src/engine/grade.ts';
import { applyManual, type ManualEntry } from '../../src/engine/manual.ts';
import type { Rubric } from '../../src/rubric/rubric.ts';
import { statusOf, withTotals } from '../../src/core/score.ts';
import { QUESTIONS, type Outcome, type QuestionId, type SubmissionResult } from '../../src/core/vocabulary.ts';
import { defineCheck } from '../../src/registry/define.ts';
import { renderReport, renderSummary } from '../../src/report/render.ts';
import { gradescopeJson, junitXml, moodleCsv, scoresCsv } from '../../src/report/sheets.ts';
import { RUBRIC } from '../helpers.ts';

type Mode = 'grade' | 'check';
const IDS = ['123456782', '234567891'];

/** What a made-up check does when run. */
type Behaviour =
  | { type: 'outcome'; fraction: number; manual: boolean; inputError: boolean; environmentError: boolean }
  | { type: 'throws' };

interface Spec {
  question: QuestionId;
  kind: 'auto' | 'manual';
  visibility: 'public' | 'hidden';
  points: number;
  behaviour: Behaviour;
  /** TA points, applied where a TA may give them (a manual check, or one left to a TA). */
  ta?: number;
}

const loaded = (): LoadedSubmission => ({
  id: 'pair', dir: '/tmp/pair', answers: {}, problems: [], partErrors: {}, warnings: [], hash: 'h', group: { ids: IDS, names: ['Ada', 'Alan'] },
});

const checkId = (spec: Spec, i: number) => `${spec.question}.c${i}`;

/** The harness's own path: checks run by gradeSubmission, TA points merged by applyManual. */
function gradeSpecs(specs: Spec[], mode: Mode): SubmissionResult {
  const rubric: Rubric = { ...RUBRIC, checks: Object.fromEntries(specs.map((s, i) => [checkId(s, i), { points: s.points, visibility: s.visibility }])) };
  const checks = specs.map((s, i) => defineCheck({
    id: checkId(s, i), question: s.question, title: `check ${i}`, kind: s.kind, points: s.points, visibility: s.visibility, needs: [],
    run: (): Outcome => {
      if (s.behaviour.type === 'throws') throw new Error('boom');
      const b = s.behaviour;
      // The flags of a spec, most decisive first: the machine, a TA, a broken input, a verdict.
      if (b.environmentError) return { kind: 'harnessError', cause: 'environment', message: `FashionMNIST not found (check ${i})` };
      if (b.manual) return { kind: 'manual', message: `message ${i}` };
      if (b.inputError) return { kind: 'inputError', message: `message ${i}` };
      return { kind: 'graded', fraction: b.fraction, message: `message ${i}` };
    },
  }));
  const { result } = gradeSubmission(loaded(), checks, rubric, { mode, seed: 1 });
  const entries: ManualEntry[] = specs.flatMap((s, i) => (s.ta === undefined ? [] : [{ submission: 'pair', check: checkId(s, i), points: s.ta, comment: `ta ${i}`, line: i + 2 }]));
  return entries.length ? applyManual(result, entries) : result;
}

interface Expected {
  /** In hundredths of a point, summed exactly. */
  cents: number;
  perQuestionCents: Partial<Record<QuestionId, number>>;
  heldBack: number;
  heldBackChecks: number;
  pendingManual: number;
  maxScore: number;
}

/**
 * The rules, derived here from the specs alone: a hidden check counts nothing for a student;
 * a TA's points count where a TA may give them; a check that throws (the harness's fault)
 * and one the machine could not run are held back; a manual one waits for a TA; a broken input scores 0; the rest
 * score their fraction (clamped to 0..1) of their points, rounded to the hundredth. A check the
 * rubric gives no points is not graded at all: no row, so no question of its own either.
 */
function expected(specs: Spec[], mode: Mode): Expected {
  const e: Expected = { cents: 0, perQuestionCents: {}, heldBack: 0, heldBackChecks: 0, pendingManual: 0, maxScore: 0 };
  for (const s of specs) {
    e.maxScore += s.points;
    const b = s.behaviour;
    if (s.points === 0) continue;
    const isError = b.type === 'throws' || b.environmentError || (!b.manual && b.inputError);
    const mayHaveTa = s.kind === 'manual' || (b.type === 'outcome' && b.manual && !b.environmentError);
    let cents = 0;
    if (mode === 'check' && s.visibility === 'hidden') cents = 0;
    else if (s.ta !== undefined && mayHaveTa) cents = Math.round(s.ta * 100);
    // a check that throws is the harness's fault: held back like the machine's
    else if (b.type === 'throws' || b.environmentError) {
      e.heldBack += s.points;
      e.heldBackChecks++;
    } else if (b.manual) e.pendingManual += s.points;
    else if (isError) cents = 0;
    else cents = Math.round(Math.min(1, Math.max(0, b.fraction)) * s.points * 100);
    e.cents += cents;
    e.perQuestionCents[s.question] = (e.perQuestionCents[s.question] ?? 0) + cents;
  }
  return e;
}

const quarterPoints = (max: number) => fc.integer({ min: 0, max: max * 4 }).map((q) => q / 4);

const specArb: fc.Arbitrary<Spec> = fc.record({
  question: fc.constantFrom(...QUESTIONS),
  kind: fc.constantFrom('auto' as const, 'auto' as const, 'manual' as const),
  visibility: fc.constantFrom('public' as const, 'public' as const, 'hidden' as const),
  points: quarterPoints(12),
  outcome: fc.record({
    fraction: fc.oneof(fc.double({ min: -0.5, max: 1.5, noNaN: true }), fc.constantFrom(0, 1)),
    manual: fc.boolean(),
    inputError: fc.boolean(),
    environmentError: fc.boolean(),
  }),
  throws: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  taShare: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
}).map(({ question, kind, visibility, points, outcome, throws, taShare }) => {
  // Manual checks in this harness return manual outcomes (or throw); automatic ones anything.
  const behaviour: Behaviour = throws ? { type: 'throws' }
    : kind === 'manual' ? { type: 'outcome', fraction: 0, manual: true, inputError: false, environmentError: false }
    : { type: 'outcome', ...outcome };
  return { question, kind, visibility, points, behaviour, ...(taShare === undefined ? {} : { ta: Math.round(points * taShare) / 4 }) };
});

/** Every total an output shows, read back from its text. */
function readOutputs(result: SubmissionResult) {
  const consoleHead = /^pair: (\S+) \/ (\S+)/.exec(resultLines(result, false)[0]!)!;
  const summaryRow = summaryLines([result]).find((l) => l.startsWith('pair'))!;
  const html = parseHtml(renderReport(result));
  const [htmlScore, htmlMax] = html.querySelector('.headline .big')!.text.split(' / ').map(Number);
  const htmlPerQuestion = Object.fromEntries(html.querySelectorAll('section').map((s) => [s.id, Number(s.querySelector('.pts')!.text.split(' / ')[0])]));
  const scores = parseCsv(scoresCsv([result]), { columns: true }) as Record<string, string>[];
  const gradescope = JSON.parse(gradescopeJson(result)) as { score: number; tests: { score: number; max_score: number }[] };
  const moodle = (allowIncomplete: boolean) => {
    const sheet = moodleCsv([result], { allowIncomplete });
    return { rows: parseCsv(sheet.csv, { columns: true }) as Record<string, string>[], refused: sheet.refused };
  };
  return {
    console: Number(consoleHead[1]), consoleMax: Number(consoleHead[2]), consoleLine: resultLines(result, false)[0]!,
    summary: Number(/^pair\s+(\S+) \//.exec(summaryRow)![1]), summaryRow,
    html: htmlScore, htmlMax, htmlPerQuestion, htmlBanner: html.querySelector('#incomplete'),
    scores: scores[0]!,
    gradescope,
    moodle,
    junitEnvironmentErrors: (junitXml([result]).match(/<error type="environment"/g) ?? []).length,
  };
}

describe('one score in every output', () => {
  for (const mode of ['grade', 'check'] as const) {
    it(`agrees with a plain sum for any checks, in ${mode} mode`, () => {
      fc.assert(fc.property(fc.array(specArb, { minLength: 1, maxLength: 14 }), (specs) => {
        const result = gradeSpecs(specs, mode);
        const want = expected(specs, mode);
        const score = want.cents / 100;
        const incomplete = want.heldBackChecks > 0;
        const out = readOutputs(result);

        expect(result.score).toBe(score);
        expect(result.maxScore).toBeCloseTo(want.maxScore, 9);
        expect(result.heldBack).toBeCloseTo(want.heldBack, 9);
        expect(result.pendingManual).toBeCloseTo(want.pendingManual, 9);
        expect(result.incomplete.length).toBe(want.heldBackChecks);

        expect(out.console).toBe(score);
        expect(out.consoleMax).toBeCloseTo(want.maxScore, 9);
        expect(out.consoleLine.includes('not graded yet')).toBe(want.heldBack > 0);
        expect(out.summary).toBe(score);
        expect(out.summaryRow.includes('INCOMPLETE')).toBe(incomplete);
        expect(out.html).toBe(score);
        expect(out.htmlMax).toBeCloseTo(want.maxScore, 9);
        expect(out.htmlBanner !== null).toBe(incomplete);
        for (const [q, cents] of Object.entries(want.perQuestionCents)) expect(out.htmlPerQuestion[q]).toBe(cents / 100);
        expect(Number(out.scores.score)).toBe(score);
        expect(Number(out.scores.held_back)).toBeCloseTo(want.heldBack, 9);
        for (const q of QUESTIONS) expect(Number(out.scores[q])).toBe((want.perQuestionCents[q] ?? 0) / 100);

        expect(out.gradescope.score).toBe(score);
        expect(Math.round(out.gradescope.tests.reduce((a, t) => a + t.score, 0) * 100)).toBe(want.cents);

        const strict = out.moodle(false);
        expect(strict.rows.map((r) => r['Identifier'])).toEqual(IDS);
        for (const row of strict.rows) expect(row['Grade']).toBe(incomplete ? '' : String(score));
        expect(strict.refused).toEqual(incomplete ? ['pair'] : []);
        const lenient = out.moodle(true);
        for (const row of lenient.rows) expect(row['Grade']).toBe(String(score));
        expect(lenient.refused).toEqual([]);

        expect(out.junitEnvironmentErrors).toBe(want.heldBackChecks);
        // Recomputing the totals (as hw2 merge does) changes nothing.
        expect(withTotals(result)).toEqual(result);
      }), { seed: 46211, numRuns: 250 });
    });
  }
});

/** A hand-worked rubric of 100 points; each case below says how its numbers come about. */
function auto(question: QuestionId, points: number, fraction: number, extra: { inputError?: boolean; environmentError?: boolean } = {}): Spec {
  return { question, kind: 'auto', visibility: 'public', points, behaviour: { type: 'outcome', fraction, manual: false, inputError: !!extra.inputError, environmentError: !!extra.environmentError } };
}
const manualCheck = (question: QuestionId, points: number, ta?: number): Spec =>
  ({ question, kind: 'manual', visibility: 'public', points, behaviour: { type: 'outcome', fraction: 0, manual: true, inputError: false, environmentError: false }, ...(ta === undefined ? {} : { ta }) });

describe('hand-worked examples', () => {
  it('59 automatic points and 7 TA points make 66 everywhere', () => {
    // 40 + 0.95·20 = 59 automatic; the TA gives 3 of 6 and 4 of 6; 18 more points wait for a TA.
    const result = gradeSpecs([auto('q2', 40, 1), auto('q6', 20, 0.95), auto('task1', 10, 0), manualCheck('q1', 6, 3), manualCheck('q4', 6, 4), manualCheck('task2', 18)], 'grade');
    expect(result).toMatchObject({ score: 66, maxScore: 100, pendingManual: 18, heldBack: 0, incomplete: [] });
    expect(resultLines(result, false)[0]).toBe('pair: 66 / 100 (18 points wait for a TA)');
    expect(parseHtml(renderReport(result)).querySelector('.headline .big')!.text).toBe('66 / 100');
    const gradescope = JSON.parse(gradescopeJson(result));
    expect(gradescope.score).toBe(66);
    // The manual tests carry the TA's points: 40 + 19 + 0 + 3 + 4 + 0.
    expect(gradescope.tests.map((t: { score: number }) => t.score)).toEqual([40, 19, 0, 3, 4, 0]);
    const [row] = parseCsv(scoresCsv([result]), { columns: true }) as Record<string, string>[];
    expect(row).toMatchObject({ q1: '3', q2: '40', q4: '4', q6: '19', task1: '0', task2: '0', score: '66', pending_manual: '18', held_back: '0', max: '100' });
    const moodle = parseCsv(moodleCsv([result]).csv, { columns: true }) as Record<string, string>[];
    expect(moodle.map((r) => r['Grade'])).toEqual(['66', '66']);
    expect(moodle[0]!['Feedback comments']).toMatch(/^Score 66 of 100 \(59 automatic, 7 from a TA\)\. 18 points still wait for a TA\./);
  });

  it('holds back 11 points the machine could not grade: score 59, heldBack 11, no Moodle grade unless allowed', () => {
    // 40 + 0.95·20 = 59 scored; task2's 6 and task3's 5 points could not run; 29 points failed.
    const result = gradeSpecs([auto('q2', 40, 1), auto('q6', 20, 0.95), auto('task2', 6, 0, { environmentError: true }), auto('task3', 5, 0, { environmentError: true }), auto('task1', 29, 0)], 'grade');
    expect(result).toMatchObject({ score: 59, maxScore: 100, pendingManual: 0, heldBack: 11 });
    expect(result.incomplete).toEqual(['task2.c2: FashionMNIST not found (check 2)', 'task3.c3: FashionMNIST not found (check 3)']);
    expect(result.checks[2]).toMatchObject({ status: 'error', cause: 'environment', score: 0 });
    expect(resultLines(result, false)[0]).toBe('pair: 59 / 100 (11 points not graded yet: the grading machine lacked something)');
    expect(resultLines(result, false)[3]).toMatch(/^ {2}WAIT task2\.c2 +-\/6 +FashionMNIST not found/);

    const strict = moodleCsv([result]);
    expect(strict.refused).toEqual(['pair']);
    const rows = parseCsv(strict.csv, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r['Grade'])).toEqual(['', '']);
    expect(rows[0]!['Feedback comments']).toMatch(/^No grade yet: 11 points could not be graded because the grading machine lacked something \(task2\.c2: FashionMNIST not found \(check 2\); task3\.c3: .*the points so far are 59 of 100\./);
    expect((parseCsv(moodleCsv([result], { allowIncomplete: true }).csv, { columns: true }) as Record<string, string>[]).map((r) => r['Grade'])).toEqual(['59', '59']);

    const [row] = parseCsv(scoresCsv([result]), { columns: true }) as Record<string, string>[];
    expect(row).toMatchObject({ task2: '0', task3: '0', score: '59', held_back: '11' });
    const junit = parseHtml(junitXml([result]));
    expect(junit.querySelector('testsuite')!.getAttribute('errors')).toBe('2');
    expect(junit.querySelectorAll('error').map((e) => e.getAttribute('message'))).toEqual([
      'Not graded yet: the grading machine lacked something. FashionMNIST not found (check 2)',
      'Not graded yet: the grading machine lacked something. FashionMNIST not found (check 3)',
    ]);
    const gradescope = JSON.parse(gradescopeJson(result));
    expect(gradescope.score).toBe(59);
    expect(gradescope.tests[2].output).toMatch(/^Not graded yet: the grading machine lacked something/);

    const html = parseHtml(renderReport(result));
    expect(html.querySelector('#incomplete')!.text).toContain('Incomplete: 11 points not graded yet');
    expect(html.querySelector('article[data-check="task2.c2"]')!.getAttribute('data-score')).toBe('–');
    expect(html.querySelector('article[data-check="task2.c2"] .badge')!.text).toBe('not graded yet');
  });

  it('lists incomplete submissions apart from submissions with errors of their own, and leaves them out of the mean', () => {
    const machine = { ...gradeSpecs([auto('q2', 50, 1), auto('task2', 50, 0, { environmentError: true })], 'grade'), submission: { id: 'machine', path: '/m', hash: 'h' } };
    const broken = { ...gradeSpecs([auto('q2', 50, 1), auto('q6', 50, 0, { inputError: true })], 'grade'), submission: { id: 'broken', path: '/b', hash: 'h' } };
    const fine = { ...gradeSpecs([auto('q2', 50, 1), auto('q6', 50, 0.5)], 'grade'), submission: { id: 'fine', path: '/f', hash: 'h' } };
    const doc = parseHtml(renderSummary([machine, broken, fine]));
    expect(doc.querySelectorAll('[data-incomplete]').map((e) => e.getAttribute('data-incomplete'))).toEqual(['machine']);
    expect(doc.querySelectorAll('[data-errored]').map((e) => e.getAttribute('data-errored'))).toEqual(['broken']);
    // Mean and median of the complete ones: broken 50 and fine 75.
    expect(doc.querySelectorAll('.headline .big').map((e) => e.text)).toEqual(['62.5', '62.5']);
    const lines = summaryLines([machine, broken, fine]);
    expect(lines.find((l) => l.startsWith('machine'))).toMatch(/INCOMPLETE: 50 points not graded yet$/);
    expect(lines.at(-1)).toBe('1 incomplete (the grading machine lacked something; their scores are not grades yet): machine');
  });

  it('in student mode counts nothing of a hidden check, held back or not', () => {
    const hidden: Spec = { ...auto('task2', 6, 0, { environmentError: true }), visibility: 'hidden' };
    const result = gradeSpecs([auto('q2', 10, 1), hidden, { ...auto('q6', 4, 1), visibility: 'hidden' }], 'check');
    expect(result).toMatchObject({ score: 10, maxScore: 20, heldBack: 0, incomplete: [] });
  });
});

describe('statusOf and withTotals', () => {
  it('gives each kind of outcome its status, and a graded one its status by fraction', () => {
    expect(statusOf({ kind: 'harnessError', cause: 'environment', message: '' })).toBe('error');
    expect(statusOf({ kind: 'inputError', message: '' })).toBe('error');
    expect(statusOf({ kind: 'manual', message: '' })).toBe('manual');
    expect(statusOf({ kind: 'notSubmitted', message: '' })).toBe('fail');
    expect(statusOf({ kind: 'graded', fraction: 1, message: '' })).toBe('pass');
    expect(statusOf({ kind: 'graded', fraction: 0.5, message: '' })).toBe('partial');
    expect(statusOf({ kind: 'graded', fraction: 0, message: '' })).toBe('fail');
  });

  it('gives a result.json written before held-back points existed its totals', () => {
    const current = gradeSpecs([auto('q2', 10, 1), auto('task2', 6, 0, { environmentError: true })], 'grade');
    const { heldBack: _h, incomplete: _i, ...older } = current;
    expect(withTotals(older as SubmissionResult)).toEqual(current);
  });
});
