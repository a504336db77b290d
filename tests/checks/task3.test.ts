import { describe, expect, it } from 'vitest';
import { task3Checks } from '../../checks/task3.ts';
import type { CheckInput, Need } from '../../src/registry/define.ts';

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
