/** The training progress line: figures worked out by hand from the state given. */
import { describe, expect, it } from 'vitest';
import { bar, duration, epochLine, TrainingProgress, trainingLine } from '../../src/cli/progress.ts';

describe('progress formatting', () => {
  it('fills the bar to the nearest cell and clamps it', () => {
    expect(bar(0.5, 10)).toBe('[#####.....]');
    expect(bar(0.26, 10)).toBe('[###.......]'); // 2.6 cells → 3
    expect(bar(1.7, 4)).toBe('[####]');
    expect(bar(-1, 4)).toBe('[....]');
  });

  it('writes durations in the largest two units', () => {
    expect(duration(9.4)).toBe('9s');
    expect(duration(75)).toBe('1m15s');
    expect(duration(3725)).toBe('1h02m'); // 3725 s = 1 h 2 min 5 s
    expect(duration(NaN)).toBe('?');
  });

  it('puts epoch, batch, loss, throughput and an ETA from the mean pace on one line', () => {
    // epoch 2 of 3, batch 5 of 10: 15 of 30 batches done in 30 s, so 15 more take 30 s.
    const line = trainingLine({ epoch: 2, epochs: 3, batch: 5, batchesPerEpoch: 10, loss: 0.51234, samplesPerSec: 1234.4, elapsed: 30 });
    expect(line).toBe(`epoch 2/3 batch  5/10 [${'#'.repeat(12)}${'.'.repeat(12)}] loss 0.5123 1234 samples/s ETA 30s`);
  });
});

describe('epochLine', () => {
  it('prints losses to 4 places, accuracies as percents, throughput and elapsed to whole units', () => {
    expect(epochLine({ epoch: 2, loss: 0.51234, acc: 0.8765, valLoss: 0.4, valAcc: 0.9, samplesPerSec: 1234.4 }, 'wasm (1 thread)', 61.4))
      .toBe('epoch 2: loss 0.5123 acc 87.65% val_loss 0.4000 val_acc 90.00% (1234 samples/s, wasm (1 thread), 61 s)');
  });
});

describe('TrainingProgress', () => {
  const stream = (isTTY: boolean) => {
    const written: string[] = [];
    return { written, s: { isTTY, columns: 200, write: (t: string) => written.push(t) } as unknown as NodeJS.WriteStream };
  };

  it('draws nothing off a terminal, so CI logs keep one line per epoch', () => {
    const { written, s } = stream(false);
    const p = new TrainingProgress(s, 0);
    for (let b = 1; b <= 5; b++) p.batch({ epoch: 1, epochs: 1, batch: b, batchesPerEpoch: 5, batchSize: 8, loss: 1 });
    expect(written).toEqual([]);
  });

  it('redraws one line on a terminal with the epoch loss weighted by batch size', () => {
    const { written, s } = stream(true);
    const p = new TrainingProgress(s, 0);
    // two batches of 8 at loss 1 and a short last one of 4 at loss 4: (8 + 8 + 16) / 20 = 1.6
    p.batch({ epoch: 1, epochs: 2, batch: 1, batchesPerEpoch: 3, batchSize: 8, loss: 1 });
    p.batch({ epoch: 1, epochs: 2, batch: 2, batchesPerEpoch: 3, batchSize: 8, loss: 1 });
    p.batch({ epoch: 1, epochs: 2, batch: 3, batchesPerEpoch: 3, batchSize: 4, loss: 4 });
    expect(written).toHaveLength(3);
    expect(written.every((w) => w.startsWith('\r') && w.endsWith('\x1b[K'))).toBe(true);
    expect(written[2]).toContain('epoch 1/2 batch 3/3');
    expect(written[2]).toContain('loss 1.6000');
    // a new epoch starts its mean afresh
    p.batch({ epoch: 2, epochs: 2, batch: 1, batchesPerEpoch: 3, batchSize: 8, loss: 0.25 });
    expect(written[3]).toContain('loss 0.2500');
  });
});
