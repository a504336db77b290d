/**
 * Models are measured by the harness on the real FashionMNIST test set, in a sandboxed child.
 * Expected accuracies were established once by an independent run: PyTorch 1.13 (Debian's
 * python3-torch) on the same weights, reading the test set with gzip and struct, in
 * solutions/_make/export_onnx.py (its "pytorch test accuracy" line).
 */
import { mkdtemp, mkdir, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateModel } from '../../src/models/evaluate.ts';
import { DEFAULT_SANDBOX_LIMITS } from '../../src/sandbox/types.ts';
import { PYTORCH_ACCURACY } from './expected.ts';
import type { Preprocessing } from '../../src/models/preprocess.ts';

const SOLUTIONS = new URL('../../solutions/', import.meta.url).pathname;
const flat: Preprocessing = { scale: 1 / 255, layout: 'flat' };
const run = (format: 'tfjs' | 'onnx', model: string, preprocessing = flat) =>
  evaluateModel({ format, model, dataset: 'fashion-mnist', preprocessing, noise: [], seed: 211 }, model.replace(SOLUTIONS, ''), DEFAULT_SANDBOX_LIMITS);

describe('model evaluation', () => {
  it('measures each committed TensorFlow.js model at the accuracy PyTorch measured for the same weights', async () => {
    for (const [example, expected] of Object.entries(PYTORCH_ACCURACY)) {
      const r = await run('tfjs', join(SOLUTIONS, example, 'models/mlp/model.json'));
      expect(r.ok && r.result.accuracy, example).toBe(expected);
      expect(r.ok && r.result.count).toBe(10_000);
    }
  }, 120_000);

  it('gives the same accuracy and parameter count through ONNX as through TensorFlow.js', async () => {
    const tfjs = await run('tfjs', join(SOLUTIONS, 'correct/models/mlp/model.json'));
    const onnx = await run('onnx', join(SOLUTIONS, 'pytorch-onnx-pair/models/mlp.onnx'));
    expect(tfjs.ok && onnx.ok).toBe(true);
    if (!tfjs.ok || !onnx.ok) return;
    expect(onnx.result.accuracy).toBe(tfjs.result.accuracy);
    // 784·256 + 256 + 256·128 + 128 + 128·10 + 10, by hand
    expect(tfjs.result.params).toBe(235_146);
    expect(onnx.result.params).toBe(235_146);
  }, 120_000);

  it('names the file and both shapes when the declared layout does not fit the model', async () => {
    const r = await run('tfjs', join(SOLUTIONS, 'correct/models/mlp/model.json'), { scale: 1 / 255, layout: 'NHWC' });
    expect(r).toEqual({ ok: false, message: 'correct/models/mlp/model.json: the model expects input [N, 784], but NHWC preprocessing of 28×28×1 images gives [N, 28, 28, 1]; set preprocessing.layout in hw2.json' });
  }, 60_000);

  it('refuses a model whose weights point outside its folder, and a file that is not ONNX', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hw2-model-'));
    await mkdir(join(dir, 'm'));
    await writeFile(join(dir, 'm', 'model.json'), JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['../../../etc/hostname'], weights: [] }] }));
    const escape = await run('tfjs', join(dir, 'm', 'model.json'));
    expect(escape).toMatchObject({ ok: false, message: expect.stringMatching(/weight file \.\.\/\.\.\/\.\.\/etc\/hostname is outside the model's folder/) });
    await copyFile(join(SOLUTIONS, 'correct/hw2.json'), join(dir, 'fake.onnx'));
    const fake = await run('onnx', join(dir, 'fake.onnx'));
    expect(fake.ok).toBe(false);
  }, 60_000);
});
