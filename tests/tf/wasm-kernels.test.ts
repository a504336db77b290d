/**
 * The harness's wasm kernels against the cpu backend's own. The convolution gradients
 * (Conv2DBackpropFilter added, Conv2DBackpropInput replaced for stride 1), on shapes,
 * kernel sizes (even ones too, whose 'same' padding is lopsided), strides and paddings drawn by
 * fast-check: both gradients of sum(conv2d(x, w)²) must agree to float32 precision, and no
 * tensor may leak. Max-pooling's gradient and matrix products with transposed operands
 * (replaced on wasm) likewise.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers the gradients of the ops used below
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensorflow } from '../../src/tf/runtime.ts';
import { makeRng } from '../../src/util/random.ts';

/** [d/dx, d/dw] of sum(conv2d(x, w)²) on `backend`. */
async function gradients(backend: 'cpu' | 'wasm', x: Float32Array, w: Float32Array, xShape: number[], wShape: number[], stride: number, pad: 'same' | 'valid'): Promise<[Float32Array, Float32Array]> {
  await tensorflow(backend);
  const [dx, dw] = tf.tidy(() => {
    const xt = tf.tensor4d(x, xShape as [number, number, number, number]);
    const wt = tf.tensor4d(w, wShape as [number, number, number, number]);
    const [gx, gw] = tf.grads((a: tf.Tensor, f: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, f as tf.Tensor4D, stride, pad))))([xt, wt]);
    return [gx!.dataSync() as Float32Array, gw!.dataSync() as Float32Array];
  });
  return [dx!, dw!];
}

function expectClose(cpu: Float32Array, wasm: Float32Array): void {
  const scale = Math.max(1, ...Array.from(cpu, Math.abs));
  expect(wasm.length).toBe(cpu.length);
  for (let i = 0; i < cpu.length; i++) expect(Math.abs(cpu[i]! - wasm[i]!)).toBeLessThan(1e-4 * scale);
}

describe('convolution gradients on wasm', () => {
  it('agrees with the cpu backend on random cases, and leaks no tensor', async () => {
    await tensorflow('wasm');
    const before = tf.memory().numTensors;
    await fc.assert(fc.asyncProperty(
      fc.record({ n: fc.integer({ min: 1, max: 3 }), h: fc.integer({ min: 3, max: 9 }), w: fc.integer({ min: 3, max: 9 }), ci: fc.integer({ min: 1, max: 4 }), co: fc.integer({ min: 1, max: 4 }),
        k: fc.integer({ min: 1, max: 4 }), stride: fc.integer({ min: 1, max: 2 }), pad: fc.constantFrom('same' as const, 'valid' as const), seed: fc.nat() }),
      async ({ n, h, w, ci, co, k, stride, pad, seed }) => {
        const rng = makeRng(seed);
        const xShape = [n, h, w, ci];
        const wShape = [k, k, ci, co];
        const x = Float32Array.from({ length: n * h * w * ci }, () => rng.normal());
        const f = Float32Array.from({ length: k * k * ci * co }, () => rng.normal());
        fc.pre(pad === 'same' || (k <= h && k <= w));
        const [cpuDx, cpuDw] = await gradients('cpu', x, f, xShape, wShape, stride, pad);
        const [wasmDx, wasmDw] = await gradients('wasm', x, f, xShape, wShape, stride, pad);
        expectClose(cpuDx, wasmDx);
        expectClose(cpuDw, wasmDw);
      },
    ), { seed: 211, numRuns: 60 });
    await tensorflow('wasm');
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});

describe('max-pooling gradient on wasm', () => {
  // Values from {0, 1, 2} (as after ReLU) make ties common: each window's gradient must go to its
  // first largest input, as on cpu. Half the cases take normal values, where negative maxima
  // in padded windows tripped wasm's own kernel (the first counterexample this test found).
  it('agrees with the cpu backend, ties and padding included, and leaks no tensor', async () => {
    await tensorflow('wasm');
    const before = tf.memory().numTensors;
    await fc.assert(fc.asyncProperty(
      fc.record({ n: fc.integer({ min: 1, max: 3 }), h: fc.integer({ min: 2, max: 9 }), w: fc.integer({ min: 2, max: 9 }), c: fc.integer({ min: 1, max: 4 }),
        k: fc.integer({ min: 2, max: 3 }), stride: fc.integer({ min: 1, max: 3 }), pad: fc.constantFrom('same' as const, 'valid' as const), seed: fc.nat() }),
      async ({ n, h, w, c, k, stride, pad, seed }) => {
        fc.pre(pad === 'same' || (k <= h && k <= w));
        const rng = makeRng(seed);
        const shape: [number, number, number, number] = [n, h, w, c];
        const x = Float32Array.from({ length: n * h * w * c }, () => (seed % 2 ? Math.floor(rng.next() * 3) : rng.normal()));
        const gradient = async (backend: 'cpu' | 'wasm') => {
          await tensorflow(backend);
          return tf.tidy(() => {
            const xt = tf.tensor4d(x, shape);
            const pooled = tf.maxPool(xt, k, stride, pad);
            // a weight per pooled cell, so that the gradient is not the same everywhere
            const weights = tf.tensor(Float32Array.from({ length: pooled.size }, (_, i) => 1 + (i % 7)), pooled.shape);
            return tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, k, stride, pad), weights)))(xt).dataSync() as Float32Array;
          });
        };
        expectClose(await gradient('cpu'), await gradient('wasm'));
      },
    ), { seed: 211, numRuns: 80 });
    await tensorflow('wasm');
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('covers the CNNs\' own pools: 2×2, stride 2, on 32×32 and 16×16 maps with many ties', async () => {
    for (const size of [32, 16]) {
      const rng = makeRng(size);
      const x = Float32Array.from({ length: 2 * size * size * 4 }, () => Math.max(0, Math.floor(rng.next() * 4) - 2)); // mostly zeros
      const gradient = async (backend: 'cpu' | 'wasm') => {
        await tensorflow(backend);
        return tf.tidy(() => tf.grad((a: tf.Tensor) => tf.sum(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid')))(tf.tensor4d(x, [2, size, size, 4])).dataSync() as Float32Array);
      };
      const cpu = await gradient('cpu');
      // one 1 per window: a quarter of the cells
      expect(cpu.reduce((a, b) => a + b, 0)).toBe((2 * size * size * 4) / 4);
      expectClose(cpu, await gradient('wasm'));
    }
  });
});

describe('matrix products with transposed operands on wasm', () => {
  it('agree with the cpu backend for every transpose flag, with and without batch axes, and leak no tensor', async () => {
    await tensorflow('wasm');
    const before = tf.memory().numTensors;
    await fc.assert(fc.asyncProperty(
      fc.record({ batch: fc.constantFrom(0, 1, 3), m: fc.integer({ min: 1, max: 7 }), k: fc.integer({ min: 1, max: 7 }), n: fc.integer({ min: 1, max: 7 }),
        ta: fc.boolean(), tb: fc.boolean(), seed: fc.nat() }),
      async ({ batch, m, k, n, ta, tb, seed }) => {
        const rng = makeRng(seed);
        const lead = batch ? [batch] : [];
        const aShape = [...lead, ...(ta ? [k, m] : [m, k])];
        const bShape = [...lead, ...(tb ? [n, k] : [k, n])];
        const a = Float32Array.from({ length: aShape.reduce((x, y) => x * y, 1) }, () => rng.normal());
        const b = Float32Array.from({ length: bShape.reduce((x, y) => x * y, 1) }, () => rng.normal());
        const product = async (backend: 'cpu' | 'wasm') => {
          await tensorflow(backend);
          return tf.tidy(() => tf.matMul(tf.tensor<tf.Rank>(a, aShape), tf.tensor<tf.Rank>(b, bShape), ta, tb).dataSync() as Float32Array);
        };
        expectClose(await product('cpu'), await product('wasm'));
      },
    ), { seed: 211, numRuns: 60 });
    await tensorflow('wasm');
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);
});
