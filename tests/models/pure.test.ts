import { describe, expect, it } from 'vitest';
import { accuracyFraction, claimCheck } from '../../checks/task2.ts';
import { task3Checks } from '../../checks/task3.ts';
import type { CheckInput, Need } from '../../src/registry/define.ts';
import { lossSeries, parseHistory } from '../../src/data/history.ts';
import { parseIdx } from '../../src/data/idx.ts';
import { batch } from '../../src/models/preprocess.ts';
import type { ImageSet } from '../../src/data/image-set.ts';

describe('Task 2 scoring', () => {
  it('gives 0 below 85%, half at 85%, rising linearly to full at 89% (by hand: 87% → 0.75)', () => {
    const rule = { pass: 0.85, full: 0.89, passCredit: 0.5 };
    expect(accuracyFraction(0.8499, rule)).toBe(0);
    expect(accuracyFraction(0.85, rule)).toBe(0.5);
    expect(accuracyFraction(0.87, rule)).toBeCloseTo(0.75, 12);
    expect(accuracyFraction(0.9, rule)).toBe(1);
  });

  it('flags a claim further than the tolerance from the measurement, reading percents as fractions', () => {
    expect(claimCheck('acc', 89.3, 0.8931, 0.005)).toBeUndefined();
    expect(claimCheck('acc', 0.912, 0.859, 0.005)).toEqual({ what: 'acc', claimed: 0.912, measured: 0.859 });
    expect(claimCheck('acc', undefined, 0.859, 0.005)).toBeUndefined();
  });
});

describe('Task 3 dimensions', () => {
  const dims = task3Checks.find((c) => c.id === 'task3.dims')!;
  // A model measured as taking NCHW [N, 3, 32, 32] and giving [N, 10], as a PyTorch export does.
  const input = (inputShape: number[], outputShape = [10]) => ({
    answers: { task3: { model: { path: 'models/cnn.onnx' }, inputShape, outputShape } },
    models: { 'task3.model': { ok: true, result: { inputShape: [null, 3, 32, 32], outputShape: [null, 10] } } },
  }) as unknown as CheckInput<Need>;

  it('takes the image\'s sizes in any order (32×32×3 names the same input), and says how the model takes it', () => {
    expect(dims.run(input([3, 32, 32]))).toMatchObject({ fraction: 1, message: 'Input [3, 32, 32], output [10].' });
    expect(dims.run(input([32, 32, 3]))).toMatchObject({ fraction: 1, message: 'Input [32, 32, 3] (the model takes it as [3, 32, 32]), output [10].' });
  });

  it('refuses other sizes and a wrong number of classes', () => {
    expect(dims.run(input([32, 32, 1]))).toMatchObject({ fraction: 0 });
    expect(dims.run(input([3, 32, 32], [11]))).toMatchObject({ fraction: 0 });
  });
});

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
});

describe('idx and preprocessing', () => {
  it('reads an idx file built by hand and lays images out as declared', () => {
    // magic 0x00000803 (uint8, 3 dims), 2 images of 1×2 pixels
    const bytes = Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 10, 20, 30, 40]);
    const idx = parseIdx(bytes, 'x');
    expect(idx.shape).toEqual([2, 1, 2]);
    expect(Array.from(idx.data)).toEqual([10, 20, 30, 40]);
    expect(() => parseIdx(Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]), 'f.idx')).toThrow('f.idx: element type 0xd is not supported');
    // RGB 1×2 images: channels last in the set; NCHW puts each channel's plane together
    const set: ImageSet = { name: 't', source: 't', synthetic: false, count: 1, height: 1, width: 2, channels: 3, images: Uint8Array.from([1, 2, 3, 4, 5, 6]), labels: Uint8Array.from([0]) };
    expect(Array.from(batch(set, 0, 1, { scale: 1, layout: 'NHWC' }))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(batch(set, 0, 1, { scale: 1, layout: 'NCHW' }))).toEqual([1, 4, 2, 5, 3, 6]);
    expect(Array.from(batch(set, 0, 1, { scale: 0.5, mean: [1], std: [2], layout: 'flat' }))).toEqual([-0.25, 0, 0.25, 0.5, 0.75, 1]);
  });
});
