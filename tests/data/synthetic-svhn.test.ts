import { describe, expect, it } from 'vitest';
import { syntheticSvhn } from '../../src/data/synthetic-svhn.ts';

describe('synthetic SVHN-like set', () => {
  it('is deterministic, 32×32×3, labelled 0–9 with every digit present, and says it is synthetic', () => {
    const a = syntheticSvhn('test', 300);
    const b = syntheticSvhn('test', 300);
    expect(a.images).toEqual(b.images);
    expect(a.labels).toEqual(b.labels);
    expect([a.height, a.width, a.channels, a.synthetic, a.source]).toEqual([32, 32, 3, true, 'synthetic']);
    expect(new Set(a.labels).size).toBe(10);
    expect(syntheticSvhn('train', 300).images).not.toEqual(a.images);
    // a crop is not flat: the digit stands out from its background
    const first = a.images.subarray(0, 32 * 32 * 3);
    expect(Math.max(...first) - Math.min(...first)).toBeGreaterThan(100);
  });
});
