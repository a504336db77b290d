import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backpropFromForward, forwardPass, lossExpression, referenceQ2, symbolicGradients, type Q2Instance } from '../../reference/q2.ts';
import { Q2_PARAMS } from '../../src/contract/schema.ts';
import { math } from '../../src/util/math.ts';

const HOMEWORK: Q2Instance = {
  x: [1, 4, 5], t: [0.1, 0.05], alpha: 0.01, activation: 'sigmoid', loss: 'half-sse',
  weights: { w1: 0.1, w2: 0.2, w3: 0.3, w4: 0.4, w5: 0.5, w6: 0.6, w7: 0.7, w8: 0.8, w9: 0.9, w10: 0.1, b1: 0.5, b2: 0.5 },
};

/** Central differences on the loss expression itself, evaluated by mathjs: a third witness. */
function finiteDifferences(inst: Q2Instance, h = 1e-6) {
  const code = math.parse(lossExpression(inst)).compile();
  const at = (w: Record<string, number>) => Number(code.evaluate({ ...w }));
  return Object.fromEntries(Q2_PARAMS.map((p) => {
    const up = { ...inst.weights, [p]: inst.weights[p] + h };
    const down = { ...inst.weights, [p]: inst.weights[p] - h };
    return [p, (at(up) - at(down)) / (2 * h)];
  }));
}

describe('Q2 reference', () => {
  it('matches the hand calculation of the homework instance', () => {
    // By hand: h1 = σ(0.1 + 1.2 + 2.5 + 0.5) = σ(4.3) = 0.98661, h2 = σ(5.3) = 0.99503,
    // o1 = σ(0.7·h1 + 0.9·h2 + 0.5) = σ(2.0861) = 0.88955, o2 = σ(1.3888) = 0.80040,
    // E = ½((0.1 − 0.88955)² + (0.05 − 0.80040)²) = ½(0.62339 + 0.56310) = 0.5932.
    const r = referenceQ2(HOMEWORK);
    expect(r.forward.h1).toBeCloseTo(0.98661, 5);
    expect(r.forward.h2).toBeCloseTo(0.99503, 5);
    expect(r.forward.o1).toBeCloseTo(0.88955, 5);
    expect(r.forward.o2).toBeCloseTo(0.8004, 4);
    expect(r.forward.E).toBeCloseTo(0.5932, 4);
    // By hand: δo1 = (o1 − t1)·o1·(1 − o1) = 0.78955·0.09824 = 0.077569; ∂E/∂w7 = δo1·h1 = 0.076530.
    expect(r.gradients.w7).toBeCloseTo(0.07653, 4);
  });

  it('agrees with finite differences on the homework instance', () => {
    const fd = finiteDifferences(HOMEWORK);
    const g = symbolicGradients(HOMEWORK);
    for (const p of Q2_PARAMS) expect(g[p]).toBeCloseTo(fd[p]!, 8);
  });

  it('agrees with finite differences and with the chain rule on random instances', () => {
    const small = fc.double({ min: -2, max: 2, noNaN: true });
    fc.assert(
      fc.property(
        fc.array(small, { minLength: 12, maxLength: 12 }), fc.array(small, { minLength: 3, maxLength: 3 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 2 }),
        fc.constantFrom('sigmoid' as const, 'tanh' as const), fc.constantFrom('half-sse' as const, 'sse' as const),
        (ws, x, t, activation, loss) => {
          const inst: Q2Instance = { x, t, activation, loss, alpha: 0.1, weights: Object.fromEntries(Q2_PARAMS.map((p, i) => [p, ws[i]!])) as Q2Instance['weights'] };
          const g = symbolicGradients(inst);
          const fd = finiteDifferences(inst);
          const chain = backpropFromForward(inst, inst.weights, forwardPass(inst, inst.weights), loss === 'sse' ? 2 : 1);
          for (const p of Q2_PARAMS) {
            expect(Math.abs(g[p] - fd[p]!)).toBeLessThan(1e-6);
            expect(Math.abs(g[p] - chain[p])).toBeLessThan(1e-12);
          }
        },
      ),
      { seed: 211, numRuns: 40 },
    );
  });

  it('takes one SGD step against the gradient, for biases too', () => {
    const r = referenceQ2(HOMEWORK);
    for (const p of Q2_PARAMS) expect(r.updated[p]).toBeCloseTo(HOMEWORK.weights[p] - 0.01 * r.gradients[p], 15);
    expect(r.updatedBiasesFixed.b1).toBe(0.5);
    expect(r.updatedBiasesFixed.w1).toBe(r.updated.w1);
  });
});
