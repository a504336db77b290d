/**
 * The noise field is the seed's normal stream laid out row by row — the noise the evaluator
 * drew per model before it was drawn once per run, so measurements did not move — and it is
 * the same whether generated whole or in chunks.
 */
import { describe, expect, it } from 'vitest';
import { noiseChunks, noiseField } from '../../src/data/noise.ts';
import { makeRng } from '../../src/util/random.ts';

describe('noise field', () => {
  it('is makeRng(seed).normal() in order, chunked or whole', () => {
    const rng = makeRng(211);
    const expected = Float32Array.from({ length: 7 * 12 }, () => rng.normal());
    expect(noiseField(211, 7, 12)).toEqual(expected);
    const chunks = [...noiseChunks(211, 7, 12, 3)];
    expect(chunks.map((c) => c.length)).toEqual([36, 36, 12]);
    expect(Float32Array.from(chunks.flatMap((c) => [...c]))).toEqual(expected);
    expect(noiseField(212, 7, 12)).not.toEqual(expected);
    // odd chunks: a pair's second draw opens the next chunk
    const odd = makeRng(9);
    expect(Float32Array.from([...noiseChunks(9, 5, 3, 1)].flatMap((c) => [...c]))).toEqual(Float32Array.from({ length: 15 }, () => odd.normal()));
  });

  it('is standard normal: mean and variance of 200,000 draws within 5 standard errors', () => {
    const z = noiseField(5, 1000, 200);
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length;
    // standard errors: 1/√n for the mean, √(2/n) for the variance of a normal sample
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(z.length));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / z.length));
  });
});
