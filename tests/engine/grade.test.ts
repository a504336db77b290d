import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LoadedSubmission } from '../../src/contract/load.ts';
import { gradeSubmission } from '../../src/engine/grade.ts';
import { correctAnswers, RUBRIC } from '../helpers.ts';
import { REGISTRY } from '../../checks/index.ts';
import { defineCheck } from '../../src/registry/define.ts';

const loaded = (answers: LoadedSubmission['answers'], extra: Partial<LoadedSubmission> = {}): LoadedSubmission => ({
  id: 'pair', dir: '/tmp/pair', answers, problems: [], partErrors: {}, warnings: [], hash: 'h', ...extra,
});

describe('gradeSubmission', () => {
  it('gives the correct example every automatic point it can check without files', () => {
    // Without files (no I/O here) Task 1's init checks, Task 2's models and the notebook's checks are the only misses.
    const { result } = gradeSubmission(loaded(correctAnswers()), REGISTRY, RUBRIC, { mode: 'grade', seed: 211 });
    const auto = result.checks.filter((c) => c.kind === 'auto');
    expect(auto.filter((c) => c.status !== 'pass').map((c) => c.id)).toEqual(['task1.xavierInit', 'task1.kaimingInit', 'task2.accuracy', 'task2.reinit', 'task2.curves',
      'task3.accuracy', 'task3.params', 'task3.dims', 'task3.noise', 'task3.augmentation', 'task3.curves', 'rules.fileName', 'rules.executed']);
    expect(result.score).toBe(auto.reduce((a, c) => a + (c.status === 'pass' ? c.points : 0), 0));
    const manual = result.checks.filter((c) => c.kind === 'manual').reduce((a, c) => a + c.points, 0);
    expect(result.pendingManual).toBe(manual);
  });

  it('keeps every score between 0 and its points, and the total equal to their sum, for any answers', () => {
    const num = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
    fc.assert(fc.property(num, num, num, fc.string(), (e, g, t, sigma) => {
      const a = correctAnswers();
      a.q2!.forward!.E = e;
      a.q2!.gradients!.w4 = g;
      a.q6!.total = Math.abs(Math.round(t));
      a.q4!.sigma = sigma;
      const { result, harnessFaults } = gradeSubmission(loaded(a), REGISTRY, RUBRIC, { mode: 'grade', seed: 1 });
      expect(harnessFaults).toEqual([]);
      for (const c of result.checks) expect(c.score >= 0 && c.score <= c.points).toBe(true);
      expect(result.score).toBeCloseTo(result.checks.reduce((s, c) => s + c.score, 0), 8);
    }), { seed: 211, numRuns: 60 });
  });

  it('turns a check that throws into an error of the harness, its points held back, and reports it', () => {
    const boom = defineCheck({ id: 'q1.proof', question: 'q1', title: 't', kind: 'auto', needs: [], run: () => { throw new Error('boom'); } });
    const { result, harnessFaults } = gradeSubmission(loaded({}), [boom], RUBRIC, { mode: 'grade', seed: 1 });
    expect(harnessFaults).toEqual(['q1.proof']);
    expect(result.checks[0]).toMatchObject({ status: 'error', cause: 'harness', score: 0, message: 'Not graded yet: internal error in check q1.proof: boom. Please report it.' });
    // q1.proof's 6 points (reference/rubric.json) are not the student's 0
    expect(result.heldBack).toBe(6);
  });

  it('in student mode keeps no expected value, message or diagnosis of a hidden check', () => {
    const a = correctAnswers();
    a.q6!.total = 1; // wrong, so the real check would print the expected total
    a.q2!.updated!.w1 = 0; // wrong, so the real check would print the expected update
    const { result } = gradeSubmission(loaded(a), REGISTRY, RUBRIC, { mode: 'check', seed: 211 });
    const text = JSON.stringify(result);
    expect(text).not.toContain('132863336');
    expect(text).not.toContain('0.0999801');
    const hidden = result.checks.filter((c) => c.visibility === 'hidden');
    expect(hidden.length).toBeGreaterThan(0);
    for (const c of hidden) expect(c).toEqual({ id: c.id, question: c.question, title: c.title, kind: c.kind, visibility: 'hidden', status: 'hidden', score: 0, points: c.points, message: 'Hidden check: graded later by the course.' });
    // the same submission graded by a TA does show them
    expect(JSON.stringify(gradeSubmission(loaded(a), REGISTRY, RUBRIC, { mode: 'grade', seed: 211 }).result)).toContain('132863336');
  });

  it('scores every automatic check 0 with the reason when hw2.json is unreadable, and keeps manual checks for a TA', () => {
    const { result } = gradeSubmission(loaded({}, { problems: ['hw2.json is not valid JSON: x'] }), REGISTRY, RUBRIC, { mode: 'grade', seed: 1 });
    for (const c of result.checks) {
      // no file listing either (the folder was not read), so the rule checks cannot run
      if (c.kind === 'auto') expect(c).toMatchObject({ status: 'error', score: 0, message: 'hw2.json is not valid JSON: x' });
      else expect(c.status).toBe('manual');
    }
  });
});
