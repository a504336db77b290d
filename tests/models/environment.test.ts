/**
 * Whose fault is a missing measurement? A test set that is absent or damaged on the grading
 * machine is the environment's (`environment: true`: the checks' points are held back), never
 * the model's; a model that asks for a file outside its folder is the model's.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateModel } from '../../src/models/evaluate.ts';
import { DEFAULT_MODEL_LIMITS } from '../../src/models/limits.ts';

const MLP = new URL('../../solutions/correct/models/mlp/model.json', import.meta.url).pathname;
const request = { format: 'tfjs' as const, model: MLP, dataset: 'fashion-mnist' as const, preprocessing: { scale: 1 / 255, layout: 'flat' as const }, noise: [], seed: 211 };

describe('faults of the grading machine', () => {
  it('an absent test set is the environment\'s fault, with the reason', async () => {
    const r = await evaluateModel(request, { kind: 'absent', reason: 'FashionMNIST test not found: looked in /x' }, 'models/mlp/model.json', DEFAULT_MODEL_LIMITS);
    expect(r).toEqual({ ok: false, environment: true, message: 'models/mlp/model.json could not be measured: FashionMNIST test not found: looked in /x' });
  });

  it('a damaged test set is found out in the evaluator and is the environment\'s fault too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hw2-damaged-'));
    const images = join(dir, 't10k-images-idx3-ubyte');
    const labels = join(dir, 't10k-labels-idx1-ubyte');
    await writeFile(images, 'this is not an idx file');
    await writeFile(labels, 'nor this');
    const r = await evaluateModel(request, { kind: 'idx', images, labels }, 'models/mlp/model.json', DEFAULT_MODEL_LIMITS);
    expect(r).toEqual({ ok: false, environment: true, message: `models/mlp/model.json could not be measured: the fashion-mnist test set could not be read: ${images} is not an idx file (its first two bytes must be 0)` });
  }, 60_000);

  it('a folder where the model file should be is the submission\'s fault', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hw2-modeldir-'));
    await mkdir(join(dir, 'model.json'));
    const r = await evaluateModel({ ...request, model: join(dir, 'model.json') }, { kind: 'absent', reason: 'x' }, 'models/mlp/model.json', DEFAULT_MODEL_LIMITS);
    expect(r).toEqual({ ok: false, message: 'models/mlp/model.json is a folder; expected a model file (model.json or .onnx)' });
  });

  it('a model whose weights name its folder\'s parent is the model\'s fault, never held back (found by review)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hw2-dotdot-'));
    await mkdir(join(dir, 'models', 'm'), { recursive: true });
    await writeFile(join(dir, 'models', 'm', 'model.json'), JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['..'], weights: [] }] }));
    const r = await evaluateModel({ ...request, model: join(dir, 'models', 'm', 'model.json') }, { kind: 'synthetic' }, 'models/m/model.json', DEFAULT_MODEL_LIMITS);
    expect(r).toEqual({ ok: false, message: "models/m/model.json: weight file .. is outside the model's folder" });
  }, 60_000);
});
