import { describe, expect, it } from 'vitest';
import { claimCheck, task2Checks } from '../../checks/task2.ts';
import { fullInput } from '../helpers.ts';

describe('Task 2 scoring', () => {
  it('flags a claim further than the tolerance from the measurement, reading percents as fractions', () => {
    expect(claimCheck('acc', 89.3, 0.8931, 0.005)).toBeUndefined();
    expect(claimCheck('acc', 0.912, 0.859, 0.005)).toEqual({ what: 'acc', claimed: 0.912, measured: 0.859 });
    expect(claimCheck('acc', undefined, 0.859, 0.005)).toBeUndefined();
  });
});

describe('task2.description', () => {
  const description = task2Checks.find((c) => c.id === 'task2.description')!;
  const run = (task2: Record<string, unknown>) => description.run(fullInput({ task2 } as never));
  const all = { optimizer: 'adam', learningRate: 0.001, epochs: 24, batchSize: 256 };

  it('counts a hyper-parameter only with a value: an empty or placeholder value names it without giving it', () => {
    expect(run({ architecture: 'MLP 784-256-10', hyperparameters: all })).toMatchObject({ fraction: 1 });
    expect(run({ architecture: 'MLP 784-256-10', hyperparameters: { ...all, batchSize: '' } })).toMatchObject({ fraction: 0.8, message: 'Missing: batch size.' });
    expect(run({ architecture: 'MLP 784-256-10', hyperparameters: { ...all, optimizer: 'TODO', learningRate: ' ' } })).toMatchObject({ fraction: 0.6, message: 'Missing: optimizer, learning rate.' });
    expect(run({ architecture: ' ', hyperparameters: { optimizer: '', learningRate: '', epochs: '', batchSize: '' } })).toMatchObject({ fraction: 0 });
  });

  it('reads whole key names: "resumedAfterEpoch" is not the number of epochs, "n_epochs" and "lr" are', () => {
    const { epochs: _, ...noEpochs } = all;
    expect(run({ architecture: 'MLP', hyperparameters: { ...noEpochs, resumedAfterEpoch: 20 } })).toMatchObject({ fraction: 0.8, message: 'Missing: epochs.' });
    expect(run({ architecture: 'MLP', hyperparameters: { optim: 'sgd', lr: 0.1, n_epochs: 5, batch_size: 32 } })).toMatchObject({ fraction: 1 });
  });
});

describe('loss curves', () => {
  const curves = task2Checks.find((c) => c.id === 'task2.curves')!;
  const run = (loss: number[]) => curves.run({ ...fullInput({ task2: { history: 'h.json' } } as never), histories: { 'h.json': { ok: true, history: { x: loss.map((_, i) => i + 1), xLabel: 'epoch', series: { loss } } } } });

  it('gives nothing for one value repeated: it is not a loss curve', () => {
    expect(run([0, 0, 0, 0])).toMatchObject({ fraction: 0, diagnoses: [{ code: 'task2.loss-constant' }] });
    expect(run([2.3, 2.3, 2.3])).toMatchObject({ fraction: 0 });
  });

  it('names a running loss never reset: rising by shrinking steps (the per-epoch losses 0.6, 0.4, 0.35, 0.33)', () => {
    expect(run([0.6, 1.0, 1.35, 1.68])).toMatchObject({ fraction: 0.5, diagnoses: [{ code: 'task2.loss-running-sum' }] });
    // rising by growing steps is a loss that diverges, not a running sum
    expect(run([0.6, 0.7, 0.9, 1.4])).toMatchObject({ fraction: 0.5, diagnoses: [{ code: 'task2.loss-not-decreasing' }] });
    // creeping up to ln 10 by shrinking steps is a model stuck at chance (solutions/flawed-task3-curves-stuck-at-chance)
    expect(run([2.2412, 2.2987, 2.3031, 2.3046, 2.3049])).toMatchObject({ fraction: 0.5, diagnoses: [{ code: 'task2.loss-not-decreasing' }] });
  });
});
