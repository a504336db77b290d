import { describe, expect, it } from 'vitest';
import { applyLayer, CORRECT, countArchitecture, summarize, VGG11_INPUT, VGG11_LAYERS } from '../../reference/q6.ts';

describe('Q6 architecture counter', () => {
  it('gives the published VGG-11 count with biases: 132,863,336 (Simonyan & Zisserman, configuration A)', () => {
    const s = summarize(countArchitecture(VGG11_INPUT, VGG11_LAYERS));
    expect(s.total).toBe(132_863_336);
    expect(s.rows).toHaveLength(26); // INPUT + 25 layer rows
    expect(s.rows.at(-5)!.output).toEqual([7, 7, 512]);
  });

  it('gives the FC share by hand: (25088·4096 + 4096 + 4096·4096 + 4096 + 4096·1000 + 1000) / 132,863,336', () => {
    const fc = 25088 * 4096 + 4096 + 4096 * 4096 + 4096 + 4096 * 1000 + 1000;
    const s = summarize(countArchitecture(VGG11_INPUT, VGG11_LAYERS));
    expect(s.fcParams).toBe(fc);
    expect(s.fcPercent).toBeCloseTo((100 * fc) / 132_863_336, 10);
  });

  it('is general: VGG-16 (configuration D) has the published 138,357,544 parameters', () => {
    const c = (n: number) => [`CONV3-${n}`, 'ReLU'];
    const layers = [...c(64), ...c(64), 'POOL2', ...c(128), ...c(128), 'POOL2', ...c(256), ...c(256), ...c(256), 'POOL2',
      ...c(512), ...c(512), ...c(512), 'POOL2', ...c(512), ...c(512), ...c(512), 'POOL2', 'FC-4096', 'FC-4096', 'FC-1000', 'SOFTMAX'];
    expect(summarize(countArchitecture([224, 224, 3], layers)).total).toBe(138_357_544);
  });

  it('rounds pooling of odd sizes down, and up only in the mistake variant', () => {
    expect(applyLayer('POOL2', [7, 7, 512], CORRECT).output).toEqual([3, 3, 512]);
    expect(applyLayer('POOL2', [7, 7, 512], { ...CORRECT, poolRounding: 'ceil' }).output).toEqual([4, 4, 512]);
  });

  it('counts a conv layer as k·k·D·N + N (hand: 3·3·3·64 + 64 = 1,792)', () => {
    expect(applyLayer('CONV3-64', [224, 224, 3], CORRECT).params).toBe(1792);
    expect(applyLayer('CONV3-64', [224, 224, 3], { ...CORRECT, convPadding: 'valid' }).output).toEqual([222, 222, 64]);
  });

  it('names an unknown layer', () => {
    expect(() => applyLayer('DENSE-10', [4], CORRECT)).toThrow(/unknown layer "DENSE-10"/);
  });
});
