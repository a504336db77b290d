/**
 * Q2, backpropagation by hand, computed symbolically: the loss of the 3-2-2 network is
 * written as one mathjs expression in the twelve parameters, and mathjs `derivative` gives
 * every dE/dp. Nothing is hand-derived here, so this module is an independent witness for the
 * chain-rule formulas in `backpropFromForward` below (the tests compare the two, and both
 * against finite differences).
 */
import { math } from '../src/util/math.ts';
import type { MathNode } from 'mathjs';
import { Q2_PARAMS, type Q2Param } from '../src/contract/schema.ts';


export type Q2Weights = Record<Q2Param, number>;
export interface Q2Instance {
  x: number[];
  t: number[];
  weights: Q2Weights;
  alpha: number;
  activation: 'sigmoid' | 'tanh';
  /** half-sse: E = ½·Σ(t−o)², which for two outputs is also the mean; sse: Σ(t−o)². */
  loss: 'half-sse' | 'sse';
}

export interface Q2Forward {
  h1: number; h2: number; o1: number; o2: number; E: number;
}

export interface Q2Reference {
  forward: Q2Forward;
  gradients: Q2Weights;
  /** One SGD step on every parameter, biases included. */
  updated: Q2Weights;
  /** The convention in which the shared biases stay fixed. */
  updatedBiasesFixed: Q2Weights;
}

/** The homework's network: which weight connects which units (hw2.md, Q2 table). */
export const Q2_EDGES = {
  h1: { in: ['w1', 'w3', 'w5'], bias: 'b1' },
  h2: { in: ['w2', 'w4', 'w6'], bias: 'b1' },
  o1: { in: ['w7', 'w9'], bias: 'b2' },
  o2: { in: ['w8', 'w10'], bias: 'b2' },
} as const;

function activationExpr(kind: Q2Instance['activation'], z: string): string {
  return kind === 'sigmoid' ? `1 / (1 + exp(-(${z})))` : `tanh(${z})`;
}

/** The loss as one expression; x and t are inlined as constants. */
export function lossExpression(inst: Pick<Q2Instance, 'x' | 't' | 'activation' | 'loss'>): string {
  const [x1, x2, x3] = inst.x;
  const act = (z: string) => activationExpr(inst.activation, z);
  const h1 = act(`w1*${x1} + w3*${x2} + w5*${x3} + b1`);
  const h2 = act(`w2*${x1} + w4*${x2} + w6*${x3} + b1`);
  const o1 = act(`w7*(${h1}) + w9*(${h2}) + b2`);
  const o2 = act(`w8*(${h1}) + w10*(${h2}) + b2`);
  const scale = inst.loss === 'half-sse' ? '0.5' : '1';
  return `${scale} * ((${inst.t[0]} - (${o1}))^2 + (${inst.t[1]} - (${o2}))^2)`;
}

/** Plain numeric forward pass (used for the forward values and by the checks' variants). */
export function forwardPass(
  inst: Pick<Q2Instance, 'x' | 't' | 'activation' | 'loss'>,
  w: Q2Weights,
  variant: { noHiddenBias?: boolean; noOutputBias?: boolean; linearOutput?: boolean } = {},
): Q2Forward {
  const act = inst.activation === 'sigmoid' ? (z: number) => 1 / (1 + Math.exp(-z)) : Math.tanh;
  const [x1, x2, x3] = inst.x as [number, number, number];
  const b1 = variant.noHiddenBias ? 0 : w.b1;
  const b2 = variant.noOutputBias ? 0 : w.b2;
  const h1 = act(w.w1 * x1 + w.w3 * x2 + w.w5 * x3 + b1);
  const h2 = act(w.w2 * x1 + w.w4 * x2 + w.w6 * x3 + b1);
  const outAct = variant.linearOutput ? (z: number) => z : act;
  const o1 = outAct(w.w7 * h1 + w.w9 * h2 + b2);
  const o2 = outAct(w.w8 * h1 + w.w10 * h2 + b2);
  const sse = (inst.t[0]! - o1) ** 2 + (inst.t[1]! - o2) ** 2;
  return { h1, h2, o1, o2, E: inst.loss === 'half-sse' ? sse / 2 : sse };
}

const derivativeCache = new Map<string, Record<Q2Param, MathNode>>();

/** dE/dp for every parameter, by symbolic differentiation of the loss expression. */
export function symbolicGradients(inst: Q2Instance): Q2Weights {
  const expr = lossExpression(inst);
  let derivatives = derivativeCache.get(expr);
  if (!derivatives) {
    const node = math.parse(expr);
    derivatives = Object.fromEntries(
      Q2_PARAMS.map((p) => [p, math.derivative(node, p, { simplify: false })]),
    ) as Record<Q2Param, MathNode>;
    derivativeCache.set(expr, derivatives);
  }
  const scope = { ...inst.weights };
  return Object.fromEntries(
    Q2_PARAMS.map((p) => [p, Number(derivatives[p].evaluate(scope))]),
  ) as Q2Weights;
}

/**
 * The chain rule written out: gradients as a function of the forward values. The checks
 * use it to give method credit when a pair's gradients follow from its own (wrong) forward
 * pass. `lossFactor` is 1 for ½·Σ(t−o)² and 2 for Σ(t−o)².
 */
export function backpropFromForward(
  inst: Pick<Q2Instance, 'x' | 't' | 'activation'>,
  w: Q2Weights,
  f: Pick<Q2Forward, 'h1' | 'h2' | 'o1' | 'o2'>,
  lossFactor = 1,
): Q2Weights {
  const dAct = inst.activation === 'sigmoid' ? (a: number) => a * (1 - a) : (a: number) => 1 - a * a;
  const [x1, x2, x3] = inst.x as [number, number, number];
  const d1 = lossFactor * (f.o1 - inst.t[0]!) * dAct(f.o1);
  const d2 = lossFactor * (f.o2 - inst.t[1]!) * dAct(f.o2);
  const e1 = (d1 * w.w7 + d2 * w.w8) * dAct(f.h1);
  const e2 = (d1 * w.w9 + d2 * w.w10) * dAct(f.h2);
  return {
    w1: e1 * x1, w3: e1 * x2, w5: e1 * x3,
    w2: e2 * x1, w4: e2 * x2, w6: e2 * x3,
    w7: d1 * f.h1, w9: d1 * f.h2,
    w8: d2 * f.h1, w10: d2 * f.h2,
    b1: e1 + e2, b2: d1 + d2,
  };
}

export function sgdStep(w: Q2Weights, g: Partial<Q2Weights>, alpha: number): Q2Weights {
  return Object.fromEntries(Q2_PARAMS.map((p) => [p, w[p] - alpha * (g[p] ?? 0)])) as Q2Weights;
}

/** Computed once per instance: the symbolic gradients take milliseconds, and every Q2 check of every submission asks. */
const computed = new Map<string, Q2Reference>();

export function referenceQ2(inst: Q2Instance): Q2Reference {
  const key = JSON.stringify(inst);
  let ref = computed.get(key);
  if (!ref) {
    if (computed.size >= 16) computed.clear();
    ref = computeReferenceQ2(inst);
    computed.set(key, ref);
  }
  // A copy: a caller may edit what it is given.
  return structuredClone(ref);
}

function computeReferenceQ2(inst: Q2Instance): Q2Reference {
  const forward = forwardPass(inst, inst.weights);
  const gradients = symbolicGradients(inst);
  const updated = sgdStep(inst.weights, gradients, inst.alpha);
  return {
    forward,
    gradients,
    updated,
    updatedBiasesFixed: { ...updated, b1: inst.weights.b1, b2: inst.weights.b2 },
  };
}
