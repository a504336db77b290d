import { describe, expect, it } from 'vitest';
import { lossSeries, parseHistory } from '../../src/data/history.ts';

describe('histories', () => {
  it('reads rows, Keras series and CSV into the same shape', () => {
    const rows = parseHistory('[{"epoch":1,"loss":0.9,"val_loss":1},{"epoch":2,"loss":0.5,"val_loss":0.7}]', 'h.json');
    const keras = parseHistory('{"history":{"loss":[0.9,0.5],"val_loss":[1,0.7]}}', 'h.json');
    const csv = parseHistory('epoch,loss,val_loss\n1,0.9,1\n2,0.5,0.7\n', 'h.csv');
    for (const h of [rows, keras, csv]) {
      expect(h.ok).toBe(true);
      if (h.ok) {
        expect(h.history.x).toEqual([1, 2]);
        expect(lossSeries(h.history)).toEqual([0.9, 0.5]);
        expect(h.history.series.val_loss).toEqual([1, 0.7]);
      }
    }
    expect(parseHistory('"nope"', 'h.json')).toMatchObject({ ok: false, message: expect.stringMatching(/^h\.json: expected a list of rows/) });
  });

  it('takes a null or empty cell for no number, not for 0 (JSON.stringify writes NaN as null)', () => {
    // Number(null) and Number('') are 0: a loss logged as NaN read as a curve falling to 0.
    const rows = parseHistory('[{"epoch":1,"loss":null,"acc":0.5},{"epoch":2,"loss":null,"acc":0.6}]', 'h.json');
    expect(rows.ok && rows.history.series.loss).toBe(undefined);
    expect(rows.ok && rows.history.series.acc).toEqual([0.5, 0.6]);
    const csv = parseHistory('epoch,loss\n1,\n2,0.5\n', 'h.csv');
    expect(csv.ok && csv.history.series.loss).toBe(undefined);
  });
});
