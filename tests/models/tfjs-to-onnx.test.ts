/**
 * The translation of TensorFlow.js layers models into ONNX, judged against TensorFlow.js
 * itself: the same saved artifacts (topology, weight specs, weight bytes, exactly what
 * model.json and weights.bin hold) are loaded by tfjs-layers on its cpu backend (the reference
 * implementation) and translated and run by onnxruntime; the outputs agree to 1e-4 on random
 * inputs, and the parameter count is TensorFlow.js's own countTrainable. The architectures are
 * drawn by fast-check with a fixed seed, so the test is deterministic: it cannot fail by chance,
 * and a failure prints the architecture that broke (replay with the printed seed and path).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { countTrainable } from '../../src/models/tfjs-io.ts';
import { tfjsToOnnx, type TfjsArtifacts } from '../../src/models/tfjs-to-onnx.ts';
import { makeRng } from '../../src/util/random.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function artifactsOf(model: tfl.LayersModel): Promise<TfjsArtifacts> {
  let saved: TfjsArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    saved = { topology: a.modelTopology, weightSpecs: a.weightSpecs!, weightData: new Uint8Array(a.weightData as ArrayBuffer) };
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  // Through JSON, as model.json is read from disk.
  return { ...saved!, topology: JSON.parse(JSON.stringify(saved!.topology)) };
}

/** Every weight set to seeded random values (variances positive), so BatchNormalization's statistics matter. */
function randomizeWeights(model: tfl.LayersModel, seed: number): void {
  const rng = makeRng(seed);
  model.setWeights(model.weights.map((w) => {
    const size = w.shape.reduce<number>((a, b) => a * (b ?? 1), 1);
    const values = Float32Array.from({ length: size }, () => (w.name.includes('moving_variance') ? 0.5 + rng.next() * 1.5 : rng.normal() * 0.5));
    return tf.tensor(values, w.shape as number[]);
  }));
}

/** Compares both engines on `batch` random inputs; returns the largest absolute difference. */
async function compare(model: tfl.LayersModel, seed: number, batch = 3): Promise<{ diff: number; params: number; trainable: number; unsupported?: string; shapes: [unknown, unknown] }> {
  const artifacts = await artifactsOf(model);
  const translated = tfjsToOnnx(artifacts);
  if (!translated.ok) return { diff: NaN, params: 0, trainable: countTrainable(model), unsupported: translated.unsupported, shapes: [null, null] };
  const shape = [batch, ...(model.inputs[0]!.shape.slice(1) as number[])];
  const rng = makeRng(seed + 1);
  const x = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal());
  const input = tf.tensor(x, shape);
  const expected = model.predict(input) as tf.Tensor;
  const want = await expected.data();
  const session = await ort.InferenceSession.create(translated.onnx);
  const got = (await session.run({ input: new ort.Tensor('float32', x, shape) })).output!;
  let diff = got.data.length === want.length ? 0 : Infinity;
  for (let i = 0; i < want.length; i++) diff = Math.max(diff, Math.abs((got.data as Float32Array)[i]! - want[i]!));
  const shapes: [unknown, unknown] = [got.dims, expected.shape];
  tf.dispose([input, expected]);
  return { diff, params: translated.params, trainable: countTrainable(model), shapes };
}

const ACTIVATIONS = ['linear', 'relu', 'relu6', 'sigmoid', 'hardSigmoid', 'tanh', 'elu', 'selu', 'softplus', 'softsign', 'swish', 'softmax'] as const;
type Act = (typeof ACTIVATIONS)[number];
const activation = fc.constantFrom(...ACTIVATIONS);

/** One layer of a random architecture, as data (fast-check shrinks and prints it). */
type LayerSpec =
  | { kind: 'dense'; units: number; activation: Act; useBias: boolean }
  | { kind: 'conv'; filters: number; kernel: [number, number]; strides: number; dilation: number; padding: 'same' | 'valid'; activation: Act; useBias: boolean }
  | { kind: 'pool'; max: boolean; size: number; strides: number | null; padding: 'same' | 'valid' }
  | { kind: 'batchnorm'; center: boolean; scale: boolean }
  | { kind: 'dropout' }
  | { kind: 'activation'; activation: Act }
  | { kind: 'relu'; max: number | null }
  | { kind: 'leaky'; alpha: number }
  | { kind: 'elu'; alpha: number }
  | { kind: 'softmax' };

const elementwise: fc.Arbitrary<LayerSpec> = fc.oneof(
  fc.record({ kind: fc.constant('batchnorm' as const), center: fc.boolean(), scale: fc.boolean() }),
  fc.constant({ kind: 'dropout' as const }),
  fc.record({ kind: fc.constant('activation' as const), activation }),
  fc.record({ kind: fc.constant('relu' as const), max: fc.option(fc.constantFrom(1, 6), { nil: null }) }),
  fc.record({ kind: fc.constant('leaky' as const), alpha: fc.constantFrom(0.1, 0.3) }),
  fc.record({ kind: fc.constant('elu' as const), alpha: fc.constant(1) }) /* TF.js's ELU layer takes only alpha 1 */,
  fc.constant({ kind: 'softmax' as const }),
);
const dense = fc.record({ kind: fc.constant('dense' as const), units: fc.integer({ min: 1, max: 12 }), activation, useBias: fc.boolean() });
const spatial: fc.Arbitrary<LayerSpec> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('conv' as const), filters: fc.integer({ min: 1, max: 6 }), kernel: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })), strides: fc.integer({ min: 1, max: 2 }), dilation: fc.integer({ min: 1, max: 2 }), padding: fc.constantFrom('same' as const, 'valid' as const), activation, useBias: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pool' as const), max: fc.boolean(), size: fc.integer({ min: 1, max: 3 }), strides: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }), padding: fc.constantFrom('same' as const, 'valid' as const) }) },
  { weight: 2, arbitrary: elementwise },
);

const architecture = fc.oneof(
  fc.record({
    kind: fc.constant('mlp' as const), inputs: fc.integer({ min: 1, max: 20 }),
    layers: fc.array(fc.oneof({ weight: 2, arbitrary: dense }, { weight: 1, arbitrary: elementwise }), { minLength: 1, maxLength: 5 }),
    functional: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('cnn' as const), height: fc.integer({ min: 3, max: 10 }), width: fc.integer({ min: 3, max: 10 }), channels: fc.integer({ min: 1, max: 4 }),
    layers: fc.array(spatial, { minLength: 1, maxLength: 5 }),
    head: fc.constantFrom('flatten' as const, 'gap' as const, 'gmp' as const, 'dense4d' as const),
    out: dense,
    functional: fc.boolean(),
  }),
);
type Architecture = typeof architecture extends fc.Arbitrary<infer A> ? A : never;

const act = (a: Act) => a as NonNullable<Parameters<typeof tfl.layers.dense>[0]['activation']>;

function layerOf(spec: LayerSpec): tfl.layers.Layer {
  switch (spec.kind) {
    case 'dense': return tfl.layers.dense({ units: spec.units, activation: act(spec.activation), useBias: spec.useBias });
    case 'conv': return tfl.layers.conv2d({
      filters: spec.filters, kernelSize: spec.kernel, strides: spec.dilation > 1 ? 1 : spec.strides, dilationRate: spec.dilation, padding: spec.padding, activation: act(spec.activation), useBias: spec.useBias,
    });
    case 'pool': {
      const args = { poolSize: spec.size, strides: spec.strides ?? undefined, padding: spec.padding } as const;
      return spec.max ? tfl.layers.maxPooling2d(args) : tfl.layers.averagePooling2d(args);
    }
    case 'batchnorm': return tfl.layers.batchNormalization({ center: spec.center, scale: spec.scale, epsilon: 1e-3 });
    case 'dropout': return tfl.layers.dropout({ rate: 0.5 });
    case 'activation': return tfl.layers.activation({ activation: act(spec.activation)! });
    case 'relu': return tfl.layers.reLU(spec.max === null ? {} : { maxValue: spec.max });
    case 'leaky': return tfl.layers.leakyReLU({ alpha: spec.alpha });
    case 'elu': return tfl.layers.elu({ alpha: spec.alpha });
    case 'softmax': return tfl.layers.softmax({ axis: -1 }); // TF.js's default is axis 1, the last only for 2-D tensors
  }
}

/** The spatial size after a conv or pool, as TensorFlow computes it; undefined when it would vanish. */
function after(spec: LayerSpec, h: number, w: number): [number, number] | undefined {
  if (spec.kind !== 'conv' && spec.kind !== 'pool') return [h, w];
  const [kh, kw] = spec.kind === 'conv' ? spec.kernel : [spec.size, spec.size];
  const stride = spec.kind === 'conv' ? (spec.dilation > 1 ? 1 : spec.strides) : (spec.strides ?? spec.size);
  const d = spec.kind === 'conv' ? spec.dilation : 1;
  const size = (n: number, k: number) => (spec.padding === 'same' ? Math.ceil(n / stride) : Math.floor((n - ((k - 1) * d + 1)) / stride) + 1);
  const out: [number, number] = [size(h, kh), size(w, kw)];
  return out[0] >= 1 && out[1] >= 1 ? out : undefined;
}

function build(arch: Architecture): tfl.LayersModel {
  const inputShape = arch.kind === 'mlp' ? [arch.inputs] : [arch.height, arch.width, arch.channels];
  const layers: tfl.layers.Layer[] = [];
  if (arch.kind === 'mlp') layers.push(...arch.layers.map(layerOf));
  else {
    let [h, w] = [arch.height, arch.width];
    for (const spec of arch.layers) {
      const next = after(spec, h, w);
      if (!next) continue; // a window larger than what is left: TensorFlow refuses it too
      [h, w] = next;
      layers.push(layerOf(spec));
    }
    if (arch.head === 'flatten') layers.push(tfl.layers.flatten());
    if (arch.head === 'gap') layers.push(tfl.layers.globalAveragePooling2d({}));
    if (arch.head === 'gmp') layers.push(tfl.layers.globalMaxPooling2d({}));
    layers.push(layerOf(arch.out));
  }
  if (!arch.functional) {
    const model = tfl.sequential();
    model.add(tfl.layers.inputLayer({ inputShape }));
    for (const l of layers) model.add(l);
    return model;
  }
  const input = tfl.input({ shape: inputShape });
  let x = input as tfl.SymbolicTensor;
  for (const l of layers) x = l.apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: x });
}

describe('tfjsToOnnx', () => {
  it('gives TensorFlow.js\'s outputs to 1e-4 and its parameter count on random architectures', async () => {
    let seedOffset = 0;
    await fc.assert(fc.asyncProperty(architecture, async (arch) => {
      const model = build(arch);
      randomizeWeights(model, 1000 + seedOffset++);
      const r = await compare(model, seedOffset);
      model.dispose();
      expect(r.unsupported, JSON.stringify(arch)).toBeUndefined();
      expect(r.shapes[0], JSON.stringify(arch)).toEqual(r.shapes[1]);
      expect(r.diff, JSON.stringify(arch)).toBeLessThanOrEqual(1e-4);
      expect(r.params).toBe(r.trainable);
    }), { seed: 17, numRuns: 120 });
  }, 60_000);

  it('keeps TensorFlow\'s (h, w, c) flatten order after a channels-first convolution', async () => {
    // A CNN whose first dense layer sees a 2×2×3 map: a wrong flatten order permutes the 12
    // inputs of that layer, which random weights turn into a different output.
    const model = tfl.sequential({ layers: [
      tfl.layers.conv2d({ inputShape: [4, 4, 2], filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 5 }),
    ] });
    randomizeWeights(model, 5);
    const r = await compare(model, 5, 4);
    expect(r.unsupported).toBeUndefined();
    expect(r.diff).toBeLessThanOrEqual(1e-5);
    // 3·3·2·3 + 3 + 12·5 + 5, by hand
    expect(r.params).toBe(122);
    model.dispose();
  });

  it('names what it cannot translate instead of guessing', async () => {
    const reshape = tfl.sequential({ layers: [tfl.layers.reshape({ inputShape: [4, 3], targetShape: [12] })] });
    expect(tfjsToOnnx(await artifactsOf(reshape))).toEqual({ ok: false, unsupported: expect.stringMatching(/^layer reshape\w* \(Reshape\)$/) });
    reshape.dispose();
    const gelu = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 2, activation: 'gelu' as never })] });
    expect(tfjsToOnnx(await artifactsOf(gelu))).toMatchObject({ ok: false, unsupported: expect.stringMatching(/the activation "gelu"/) });
    gelu.dispose();
    const a = await artifactsOf(tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 2 })] }));
    expect(tfjsToOnnx({ ...a, weightSpecs: a.weightSpecs.map((s) => ({ ...s, dtype: 'int32' })) })).toMatchObject({ ok: false, unsupported: expect.stringMatching(/int32 weights/) });
    expect(tfjsToOnnx({ ...a, weightData: a.weightData.subarray(0, 8) })).toEqual({ ok: false, unsupported: 'weight files shorter than the manifest says' });
    expect(tfjsToOnnx({ ...a, topology: { class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { name: 'd', units: 2 } }] } } }))
      .toEqual({ ok: false, unsupported: 'an input shape that is not fixed (batch_input_shape)' });
    expect(tfjsToOnnx({ ...a, topology: 'nonsense' })).toEqual({ ok: false, unsupported: 'a modelTopology that is not an object' });
  });
});
