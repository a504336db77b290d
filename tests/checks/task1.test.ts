/**
 * The init checks as statistical procedures: on 1,000 seeded samples of correct
 * implementations they must never fail (each check's false-failure bound is 1e-6, so a
 * failure here would be a 1-in-1,000 event at worst), and on samples of the flawed ones they
 * must never pass and must name the flaw.
 */
import { describe, expect, it } from 'vitest';
import { judgeInit, type InitSample } from '../../checks/task1.ts';
import { makeRng, type Rng } from '../../src/util/random.ts';

const FAN_IN = 128;
const FAN_OUT = 32;
const RUNS = 1000;

function sample(draw: (rng: Rng) => number, rng: Rng): InitSample {
  return { label: 'sample', fanIn: FAN_IN, fanOut: FAN_OUT, values: Float64Array.from({ length: FAN_IN * FAN_OUT }, () => draw(rng)) };
}

const b = Math.sqrt(6 / (FAN_IN + FAN_OUT));
const uniform = (lo: number, hi: number) => (rng: Rng) => lo + (hi - lo) * rng.next();
const gauss = (sd: number) => (rng: Rng) => sd * rng.normal();
// float32 rounding, as a PyTorch or Float32Array implementation returns its values
const f32 = (draw: (rng: Rng) => number) => (rng: Rng) => Math.fround(draw(rng));

describe.each([
  ['xavier', f32(uniform(-b, b)), [
    ['normal', f32(gauss(Math.sqrt(2 / (FAN_IN + FAN_OUT)))), /Xavier from a normal/],
    ['bound without sqrt', uniform(-(b * b), b * b), /without its square root/],
    ['not centred', uniform(0, b), /not centred/],
  ]],
  ['kaiming', f32(gauss(Math.sqrt(2 / FAN_IN))), [
    ['fan_out', gauss(Math.sqrt(2 / FAN_OUT)), /fan_out instead of fan_in/],
    ['missing factor 2', gauss(Math.sqrt(1 / FAN_IN)), /factor 2 is missing/],
    ['variance as std', gauss(2 / FAN_IN), /Variance used as the standard deviation/],
  ]],
] as const)('%s init check', (init, correct, flawed) => {
  it(`passes ${RUNS} seeded samples of a correct implementation`, () => {
    let failures = 0;
    for (let seed = 0; seed < RUNS; seed++) {
      if (judgeInit(init, [sample(correct, makeRng(seed))], 1e-6).fraction !== 1) failures++;
    }
    expect(failures).toBe(0);
  });

  it.each(flawed as unknown as [string, (rng: Rng) => number, RegExp][])(`fails ${RUNS} seeded samples with %s and names it`, (_name, draw, diagnosis) => {
    let passes = 0;
    let named = 0;
    for (let seed = 0; seed < RUNS; seed++) {
      const out = judgeInit(init, [sample(draw, makeRng(10_000 + seed))], 1e-6);
      if (out.fraction !== 0) passes++;
      if (diagnosis.test(out.diagnoses?.map((d) => d.text).join('; ') ?? '')) named++;
    }
    expect(passes).toBe(0);
    expect(named).toBe(RUNS);
  });
});
