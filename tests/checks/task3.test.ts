import { describe, expect, it } from 'vitest';
import { task3Checks } from '../../checks/task3.ts';
import type { CheckInput, Need } from '../../src/registry/define.ts';
import { fullInput } from '../helpers.ts';

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

describe('Task 3 accuracy and augmentation messages', () => {
  const check = (id: string) => task3Checks.find((c) => c.id === id)!;
  const measured = (accuracy: number) => ({ ok: true, result: { accuracy, count: 26032, params: 1, inputShape: [null, 32, 32, 3], outputShape: [null, 10], noise: [], backend: 'onnxruntime', synthetic: false, source: 'SVHN' } });
  const input = (task3: Record<string, unknown>, models: Record<string, unknown>) => ({ ...fullInput({ task3 } as never), models }) as unknown as CheckInput<Need>;
  const model = { path: 'models/cnn.onnx', preprocessing: { scale: 1, layout: 'NCHW' } };

  it('task3.accuracy shows the pair\'s claim beside the measurement, agreeing or not', () => {
    expect(check('task3.accuracy').run(input({ model, claimed: { testAccuracy: 0.9012 } }, { 'task3.model': measured(0.9031) })))
      .toMatchObject({ message: 'Measured 90.31% on the 26,032 SVHN test images (onnxruntime). Your notebook claims 90.12%.', actual: { measured: 0.9031, claimed: 0.9012 } });
    expect(check('task3.accuracy').run(input({ model, claimed: { testAccuracy: 95 } }, { 'task3.model': measured(0.9031) })).message)
      .toMatch(/Your notebook claims 95\.00%, more than 1\.00% from the measurement\.$/);
    expect(check('task3.accuracy').run(input({ model }, { 'task3.model': measured(0.9031) })).message).toMatch(/claims no accuracy/);
  });

  it('task3.augmentation\'s third for a description says so, not "Not submitted"', () => {
    const out = check('task3.augmentation').run(input({ model, augmentation: 'random crops' }, { 'task3.model': measured(0.9) }));
    expect(out).toMatchObject({ kind: 'graded', fraction: 1 / 3 });
    expect(out.message).toMatch(/^The augmentation is described \(a third of the points\); the augmented model is not submitted/);
  });
});
