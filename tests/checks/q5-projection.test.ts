/**
 * Q5's projections are judged by their effect on random parameters. A map that returns the
 * same parameters whatever it is given (all ones: f then depends on sum(X) alone, invariant to
 * every transform) obeys any invariance and answers nothing; it scored full marks until an
 * independent attacker found it. A real projection (the mirror average of
 * solutions/typescript-pair, written out here) still passes.
 */
import { describe, expect, it } from 'vitest';
import { REGISTRY } from '../../checks/index.ts';
import type { Q5Params } from '../../reference/q5.ts';
import { NO_SOLUTION } from '../../src/registry/solution-data.ts';
import { fullInput, judged, RUBRIC } from '../helpers.ts';

const d = 4;
const ones = (): Q5Params => ({ W1: Array.from({ length: 4 }, () => Array.from({ length: d }, () => Array.from({ length: 4 }, () => Array.from({ length: d }, () => 1)))), W2: Array.from({ length: 4 }, () => Array.from({ length: d }, () => 1)) });
/** W1[r,k,j,i] averaged with W1[r,k,j,d−1−i]: parameters that obey the scan-direction constraint. */
const mirror = (p: Q5Params): Q5Params => ({ W1: p.W1.map((u) => u.map((f) => f.map((row) => row.map((w, i) => (w + row[row.length - 1 - i]!) / 2)))), W2: p.W2 });

function judge(project: (p: Q5Params) => Q5Params) {
  const check = REGISTRY.find((c) => c.id === 'q5.reversal')!;
  const probes = check.probes!(RUBRIC, 211);
  const solution = { ...NO_SOLUTION, file: 'solution.mjs', exports: [{ name: 'projectReversal', kind: 'function' }], results: Object.fromEntries(probes.map((p) => [p.key, { ok: true as const, value: project(p.args[0] as Q5Params), ms: 0 }])) };
  return judged(check.run({ ...fullInput({}), solution }));
}

describe('a Q5 projection', () => {
  it('that ignores its input scores 0, named', () => {
    const outcome = judge(ones);
    expect(outcome.fraction).toBe(0);
    expect(outcome.diagnosis).toBe('The projection ignores its input (a constant obeys every invariance)');
  });

  it('that turns its input into constrained parameters passes', () => {
    expect(judge(mirror).fraction).toBe(1);
  });
});
