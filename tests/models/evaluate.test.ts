/**
 * Models are measured by the harness on the real FashionMNIST test set, in a sandboxed child.
 * Expected accuracies were established once by an independent run: PyTorch 1.13 (Debian's
 * python3-torch) on the same weights, reading the test set with gzip and struct, in
 * solutions/_make/export_onnx.py (its "pytorch test accuracy" line).
 */
import { chmod, mkdtemp, mkdir, readFile, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateModel } from '../../src/models/evaluate.ts';
import { DEFAULT_MODEL_LIMITS } from '../../src/models/limits.ts';
import { planGradingData } from '../../src/data/plan.ts';
import { PYTORCH_ACCURACY, PYTORCH_ACCURACY_CNN_SYNTHETIC } from './expected.ts';
import type { Preprocessing } from '../../src/models/preprocess.ts';

const SOLUTIONS = new URL('../../solutions/', import.meta.url).pathname;
const flat: Preprocessing = { scale: 1 / 255, layout: 'flat' };
const run = async (format: 'tfjs' | 'onnx', model: string, preprocessing = flat) =>
  evaluateModel({ format, model, dataset: 'fashion-mnist', preprocessing, noise: [], seed: 211 }, (await planGradingData()).fashionTest.data, model.replace(SOLUTIONS, ''), DEFAULT_MODEL_LIMITS);

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

  it('measures the CNNs (TF.js NHWC and their ONNX export, NCHW) at PyTorch\'s accuracy, noise included, on the synthetic set', async () => {
    // noise on the first CNN only, to keep the test short
    const svhn = (format: 'tfjs' | 'onnx', model: string, layout: 'NHWC' | 'NCHW') =>
      evaluateModel({ format, model, dataset: 'svhn', preprocessing: { scale: 1 / 255, layout }, noise: model.includes('aug') ? [] : [0.05, 0.01], seed: 211 }, { kind: 'synthetic' }, model.replace(SOLUTIONS, ''), DEFAULT_MODEL_LIMITS);
    for (const [name, expected] of Object.entries(PYTORCH_ACCURACY_CNN_SYNTHETIC)) {
      const tfjs = await svhn('tfjs', join(SOLUTIONS, `correct/models/${name}/model.json`), 'NHWC');
      const onnx = await svhn('onnx', join(SOLUTIONS, `pytorch-onnx-pair/models/${name}.onnx`), 'NCHW');
      if (!tfjs.ok || !onnx.ok) throw new Error(`${name}: ${!tfjs.ok ? tfjs.message : ''} ${!onnx.ok ? onnx.message : ''}`);
      expect(tfjs.result).toMatchObject({ accuracy: expected, count: 5000, synthetic: true, inputShape: [null, 32, 32, 3] });
      expect(onnx.result).toMatchObject({ accuracy: expected, count: 5000, synthetic: true });
      expect(onnx.result.inputShape.slice(1)).toEqual([3, 32, 32]);
      // 3·3·3·16 + 16 + 3·3·16·32 + 32 + (8·8·32)·64 + 64 + 64·10 + 10, by hand
      expect(tfjs.result.params).toBe(136_874);
      expect(onnx.result.params).toBe(136_874);
      // The same seeded noise, added in [0, 1] before the layout: float32 sums in another order may
      // move an image across a decision boundary, so allow 2 of 5,000 images either way.
      for (let i = 0; i < tfjs.result.noise.length; i++) expect(Math.abs(tfjs.result.noise[i]!.accuracy - onnx.result.noise[i]!.accuracy)).toBeLessThanOrEqual(2 / 5000);
    }
  }, 180_000);

  it('names the file and both shapes when the declared layout does not fit the model', async () => {
    const r = await run('tfjs', join(SOLUTIONS, 'correct/models/mlp/model.json'), { scale: 1 / 255, layout: 'NHWC' });
    expect(r).toEqual({ ok: false, message: 'correct/models/mlp/model.json: the model expects input [N, 784], but NHWC preprocessing of 28×28×1 images gives [N, 28, 28, 1]; set preprocessing.layout in hw2.json' });
  }, 60_000);

  it('refuses a model whose weights point outside its folder, and a file that is not ONNX', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hw2-model-'));
    // readable by the evaluator, which a root grader without bubblewrap runs as uid 65534
    await chmod(dir, 0o755);
    await mkdir(join(dir, 'm'));
    await writeFile(join(dir, 'm', 'model.json'), JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['../../../etc/hostname'], weights: [] }] }));
    const escape = await run('tfjs', join(dir, 'm', 'model.json'));
    expect(escape).toMatchObject({ ok: false, message: expect.stringMatching(/weight file \.\.\/\.\.\/\.\.\/etc\/hostname is outside the model's folder/) });
    await copyFile(join(SOLUTIONS, 'correct/hw2.json'), join(dir, 'fake.onnx'));
    const fake = await run('onnx', join(dir, 'fake.onnx'));
    expect(fake.ok).toBe(false);
  }, 60_000);
});

/**
 * Whose fault is a missing measurement? A test set that is absent or damaged on the grading
 * machine is the environment's (`environment: true`: the checks' points are held back), never
 * the model's; a model that asks for a file outside its folder is the model's.
 */
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

describe('one engine for every model', () => {
  it('runs a TensorFlow.js model on onnxruntime, translated, and says so; a layer the translation lacks falls back to TensorFlow.js and is named', async () => {
    const translated = await run('tfjs', join(SOLUTIONS, 'correct/models/mlp/model.json'));
    expect(translated.ok && translated.result.backend).toMatch(/^onnxruntime-node .*\(cpu\), translated from TensorFlow\.js$/);
    // The same MLP with a Reshape in front (784 → 784): not translated, measured by TensorFlow.js
    // at the same accuracy PyTorch measured for these weights.
    const { tensorflow } = await import('../../src/tf/runtime.ts');
    const tfl = await import('@tensorflow/tfjs-layers');
    const { loadLayersModelFromDisk, saveLayersModelToDisk } = await import('../../src/models/tfjs-io.ts');
    await tensorflow();
    const mlp = await loadLayersModelFromDisk(join(SOLUTIONS, 'correct/models/mlp/model.json'));
    const withReshape = tfl.sequential({ layers: [tfl.layers.reshape({ inputShape: [784], targetShape: [784], name: 'flat_again' }), ...mlp.layers] });
    const dir = await mkdtemp(join(tmpdir(), 'hw2-reshape-'));
    await chmod(dir, 0o755);
    await saveLayersModelToDisk(withReshape, join(dir, 'm'));
    await chmod(join(dir, 'm'), 0o755);
    const fallback = await run('tfjs', join(dir, 'm', 'model.json'));
    if (!fallback.ok) throw new Error(fallback.message);
    expect(fallback.result.backend).toMatch(/^TensorFlow\.js .+ \(not translated to ONNX: layer flat_again \(Reshape\)\)$/);
    expect(fallback.result.accuracy).toBe(PYTORCH_ACCURACY.correct);
  }, 120_000);
});

describe('SVHN decoded once per run', () => {
  it('measures on the parent\'s decoding of the .mat what the .mat holds: every image, its label, the file named as the source', async () => {
    // SciPy's fixture (tests/fixtures/mat/make_fixtures.py), compressed; an untrained CNN's
    // predictions do not matter here, the count and the accuracy from both encodings do.
    const fixtures = new URL('../fixtures/mat/', import.meta.url).pathname;
    const { count } = JSON.parse(await readFile(join(fixtures, 'svhn_small.json'), 'utf8')) as { count: number };
    const measure = (file: string) => evaluateModel({ format: 'onnx', model: join(SOLUTIONS, 'pytorch-onnx-pair/models/cnn.onnx'), dataset: 'svhn', preprocessing: { scale: 1 / 255, layout: 'NCHW' }, noise: [0.05], seed: 211 },
      { kind: 'mat', file }, 'models/cnn.onnx', DEFAULT_MODEL_LIMITS);
    const [compressed, raw] = [await measure(join(fixtures, 'svhn_small_z.mat')), await measure(join(fixtures, 'svhn_small_raw.mat'))];
    if (!compressed.ok || !raw.ok) throw new Error(`${!compressed.ok ? compressed.message : ''} ${!raw.ok ? raw.message : ''}`);
    expect(compressed.result).toMatchObject({ count, synthetic: false, source: join(fixtures, 'svhn_small_z.mat') });
    expect(raw.result).toMatchObject({ count, accuracy: compressed.result.accuracy, noise: compressed.result.noise, source: join(fixtures, 'svhn_small_raw.mat') });
  }, 60_000);
});
