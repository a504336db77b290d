/**
 * The wasm backend's Conv2DBackpropFilter (registered by the harness) against the cpu
 * backend's own kernel, on shapes, strides and paddings drawn by fast-check: the filter
 * gradient of sum(conv2d(x, w)²) must agree to float32 precision, and no tensor may leak.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers the gradients of the ops used below
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensorflow } from '../../src/tf/runtime.ts';
import { makeRng } from '../../src/util/random.ts';

async function filterGradient(backend: 'cpu' | 'wasm', x: Float32Array, w: Float32Array, xShape: number[], wShape: number[], stride: number, pad: 'same' | 'valid'): Promise<Float32Array> {
  await tensorflow(backend);
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, xShape as [number, number, number, number]);
    const wt = tf.tensor4d(w, wShape as [number, number, number, number]);
    return tf.grad((f: tf.Tensor) => tf.sum(tf.square(tf.conv2d(xt, f as tf.Tensor4D, stride, pad))))(wt).dataSync() as Float32Array;
  });
}

describe('Conv2DBackpropFilter on wasm', () => {
  it('agrees with the cpu backend on random cases, and leaks no tensor', async () => {
    await tensorflow('wasm');
    const before = tf.memory().numTensors;
    await fc.assert(fc.asyncProperty(
      fc.record({ n: fc.integer({ min: 1, max: 3 }), h: fc.integer({ min: 3, max: 9 }), w: fc.integer({ min: 3, max: 9 }), ci: fc.integer({ min: 1, max: 4 }), co: fc.integer({ min: 1, max: 4 }),
        k: fc.integer({ min: 1, max: 3 }), stride: fc.integer({ min: 1, max: 2 }), pad: fc.constantFrom('same' as const, 'valid' as const), seed: fc.nat() }),
      async ({ n, h, w, ci, co, k, stride, pad, seed }) => {
        const rng = makeRng(seed);
        const xShape = [n, h, w, ci];
        const wShape = [k, k, ci, co];
        const x = Float32Array.from({ length: n * h * w * ci }, () => rng.normal());
        const f = Float32Array.from({ length: k * k * ci * co }, () => rng.normal());
        const cpu = await filterGradient('cpu', x, f, xShape, wShape, stride, pad);
        const wasm = await filterGradient('wasm', x, f, xShape, wShape, stride, pad);
        const scale = Math.max(1, ...Array.from(cpu, Math.abs));
        for (let i = 0; i < cpu.length; i++) expect(Math.abs(cpu[i]! - wasm[i]!)).toBeLessThan(1e-4 * scale);
      },
    ), { seed: 211, numRuns: 40 });
    await tensorflow('wasm');
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});
