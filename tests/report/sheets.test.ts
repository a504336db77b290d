/**
 * grades.csv takes each student's id from the pair's own hw2.json, so a pair can name anyone:
 * an id that two submissions claim gets no grade from either (a spreadsheet import would keep
 * whichever row came last), both rows say why, and the sheet reports the conflict. Found by
 * an independent attacker: a pair's hw2.json put its 32 points on a neighbour's row.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { SubmissionResult } from '../../src/core/vocabulary.ts';
import { moodleCsv } from '../../src/report/sheets.ts';
import { RESULT_VERSION } from '../../src/core/result-schema.ts';

const result = (id: string, ids: string[], score: number): SubmissionResult => ({
  contract: 1, resultVersion: RESULT_VERSION, harness: { name: 'hw2-harness', version: 'test' }, mode: 'grade',
  submission: { id, path: id, hash: '', group: { ids, names: ids.map((i) => `Student ${i}`) } },
  score, maxScore: 100, pendingManual: 0, heldBack: 0, incomplete: [], problems: [], checks: [],
});

describe('an id two submissions claim', () => {
  it('gets no grade on either row, says why, and is reported', () => {
    const sheet = moodleCsv([
      result('ee046211_hw2_123456782_234567891', ['123456782', '234567891'], 70),
      result('ee046211_hw2_345678912_456789123', ['123456782', '456789123'], 32), // names the first pair's student
      result('ee046211_hw2_567891234_678912345', ['567891234', '678912345'], 55),
    ]);
    const rows = parse(sheet.csv, { columns: true }) as Record<string, string>[];
    const grade = (id: string) => rows.filter((r) => r['Identifier'] === id).map((r) => r['Grade']);
    expect(grade('123456782')).toEqual(['', '']);
    expect(grade('234567891')).toEqual(['70']);
    expect(grade('456789123')).toEqual(['32']);
    expect(grade('567891234')).toEqual(['55']);
    expect(rows.filter((r) => r['Identifier'] === '123456782').every((r) => r['Feedback comments']!.startsWith('No grade: the id 123456782 is claimed by 2 submissions'))).toBe(true);
    expect(sheet.conflicts).toEqual([{ id: '123456782', submissions: ['ee046211_hw2_123456782_234567891', 'ee046211_hw2_345678912_456789123'] }]);
  });
});
