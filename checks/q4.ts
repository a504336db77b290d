/**
 * Q4 checks: E[ReLU(z)²] and σ_l = sqrt(2/d) given as an expression, compared by evaluation.
 *
 * Precision (issue 15, class 3): the expectation is a number judged at the digits written, at least
 * the rubric's precision.minSignificantDigits (src/util/numeric.ts judgeAtPrecision). σ's constants
 * are read off mathjs's parse tree: an expression with a rounded constant (1.4142/sqrt(d)) is
 * compared at the precision of its least precise non-integer constant, with the same floor
 * (constantsAllowance): 1.4142/sqrt(d) is sqrt(2/d) at 5 digits, 1.41/sqrt(d) is not at 4; each
 * constant's slack moves σ by what re-evaluating says (sigmaAllowance), so sqrt(2.002/d) fails.
 * An expression of integers alone (sqrt(2/d)) must match exactly (1e-9, floating point).
 */
import { math } from '../src/util/math.ts';
import { optimalSigma, RELU_SECOND_MOMENT } from '../reference/q4.ts';
import type { Outcome } from '../src/core/vocabulary.ts';
import { diagnosed, manual, notSubmitted } from '../src/core/outcomes.ts';
import { defineCheck, type CheckInput } from '../src/registry/define.ts';
import { constantsAllowance, judgeAtPrecision, judgedAt, show } from '../src/util/numeric.ts';


/** Wrong forms of σ that come up, each with the mistake behind it. */
const SIGMA_MISTAKES: [string, string, (d: number) => number][] = [
  ['q4.linear-second-moment', 'Used E[φ²] = 1 (the linear case): for ReLU, E[φ²] = ½', (d) => Math.sqrt(1 / d)],
  ['q4.variance-for-sigma', 'Gave the variance 2/d instead of the standard deviation', (d) => 2 / d],
  ['q4.inverted-half', 'Inverted the ½: σ = 1/sqrt(d·E[φ²]) with E[φ²] = ½ gives sqrt(2/d)', (d) => Math.sqrt(1 / (2 * d))],
  ['q4.root-of-numerator', 'Took the square root of the numerator only', (d) => Math.sqrt(2) / d],
];

/** The names a pair may use for d_{l−1}. */
const D_NAMES = /d_\{?l\s*-\s*1\}?|d_\{?l\}?|\bfan_?in\b|\bN\b|\bn\b/g;

/**
 * The expression as a function of d, the numeric constants written in it, and the expression
 * with its i-th constant moved by `delta` (how much σ depends on that constant).
 */
type Parsed = { fn: (d: number) => number; constants: number[]; moved: (i: number, delta: number) => (d: number) => number } | { error: string };

export function parseSigma(answer: string | number): Parsed {
  if (typeof answer === 'number') return { error: `a number (${answer}); expected an expression in d such as sqrt(2/d)` };
  let node;
  try {
    node = math.parse(answer.replace(D_NAMES, 'd').replace(/√/g, 'sqrt').replace(/·/g, '*'));
  } catch (error) {
    return { error: `"${answer}" does not parse as a formula (${(error as Error).message})` };
  }
  const symbols = new Set(
    node.filter((n) => n.type === 'SymbolNode').map((n) => (n as unknown as { name: string }).name).filter((name) => !(name in math)),
  );
  const unknown = [...symbols].filter((s) => s !== 'd');
  if (unknown.length) return { error: `"${answer}" uses ${unknown.join(', ')}; write the expression in d (= d_{l-1}) alone` };
  if (!symbols.has('d')) return { error: `"${answer}" does not depend on d; expected an expression in d such as sqrt(2/d)` };
  const code = node.compile();
  const constantNodes = node.filter((n) => n.type === 'ConstantNode');
  const constants = constantNodes.map((n) => Number((n as unknown as { value: unknown }).value));
  const moved = (i: number, delta: number) => {
    const changed = node.transform((n) => (n === constantNodes[i] ? new math.ConstantNode(constants[i]! + delta) : n)).compile();
    return (d: number) => Number(changed.evaluate({ d }));
  };
  return { fn: (d) => Number(code.evaluate({ d })), constants, moved };
}

/**
 * How far σ may be from sqrt(2/d), relative, for the constants written: each non-integer
 * constant may be off by what judgeAtPrecision allows a number written so (one unit and a half
 * in its p-th digit), and that moves σ by what re-evaluating with it moved says, not by the same
 * share (under a square root the share halves: sqrt(2.002/d) is 2.002 in σ, not a rounded √2).
 */
function sigmaAllowance(parsed: Extract<Parsed, { fn: unknown }>, dims: number[], rule: Parameters<typeof constantsAllowance>[1]): { rel: number; digits?: number } {
  const coarsest = constantsAllowance(parsed.constants, rule);
  if (coarsest.digits === undefined) return coarsest;
  let rel = 0;
  parsed.constants.forEach((c, i) => {
    if (!Number.isFinite(c) || Number.isInteger(c)) return;
    const slack = constantsAllowance([c], rule).rel * Math.abs(c);
    const f = parsed.moved(i, slack);
    rel += Math.max(...dims.map((d) => Math.abs(f(d) - parsed.fn(d)) / Math.abs(parsed.fn(d))));
  });
  return { rel: Math.max(rel, rule.floatRelTolerance), digits: coarsest.digits };
}

const expectation = defineCheck({
  id: 'q4.expectation',
  question: 'q4',
  title: 'Q4 E[ReLU(z)²] for z ~ N(0,1)',
  kind: 'auto',
  points: 1,
  visibility: 'public',
  needs: [],
  run(input): Outcome {
    const given = input.answers.q4?.expectation;
    if (given === undefined) return notSubmitted('answers.q4.expectation');
    const rule = input.rubric.precision;
    const { ok, digits } = judgeAtPrecision(given, RELU_SECOND_MOMENT, rule);
    return {
      kind: 'graded',
      fraction: ok ? 1 : 0,
      message: ok ? `${show(given)} is correct (${judgedAt(digits)}).` : `${show(given)}; expected ${RELU_SECOND_MOMENT} (${judgedAt(digits)}).`,
      diagnoses: diagnosed('q4.second-moment-of-z', 'E[z²] = 1 is the second moment of z itself; ReLU keeps half of it', !ok && judgeAtPrecision(given, 1, rule).ok),
      expected: RELU_SECOND_MOMENT,
      actual: given,
    };
  },
});

const sigma = defineCheck({
  id: 'q4.sigma',
  question: 'q4',
  title: 'Q4 optimal σ_l for ReLU',
  kind: 'auto',
  points: 2,
  visibility: 'public',
  needs: [],
  run(input): Outcome {
    const given = input.answers.q4?.sigma;
    if (given === undefined) return notSubmitted('answers.q4.sigma');
    const base = { expected: 'sqrt(2/d)', actual: given };
    const parsed = parseSigma(given);
    if ('error' in parsed) return { kind: 'graded', fraction: 0, message: `Could not grade σ: ${parsed.error}.`, ...base };
    const dims = input.rubric.q4.sigmaCheckDims;
    const allowance = sigmaAllowance(parsed, dims, input.rubric.precision);
    const agrees = (g: (d: number) => number) => dims.every((d) => Math.abs(parsed.fn(d) - g(d)) <= allowance.rel * Math.abs(g(d)));
    const how = allowance.digits === undefined
      ? 'compared exactly: its constants are integers'
      : `${judgedAt(allowance.digits)}, the precision of its least precise constant`;
    if (agrees((d) => optimalSigma(d))) return { kind: 'graded', fraction: 1, message: `${given} equals sqrt(2/d) at d = ${dims.join(', ')} (${how}).`, ...base };
    const mistake = SIGMA_MISTAKES.find(([, , g]) => agrees(g));
    return {
      kind: 'graded',
      fraction: 0,
      message: `${given} differs from sqrt(2/d): at d = ${dims[0]} it gives ${show(parsed.fn(dims[0]!))}, expected ${show(optimalSigma(dims[0]!))} (${how}).`,
      diagnoses: mistake && diagnosed(mistake[0], mistake[1]),
      ...base,
    };
  },
});

const proof = defineCheck({
  id: 'q4.proof',
  question: 'q4',
  title: 'Q4 derivation of σ_l = sqrt(2/d_{l-1})',
  kind: 'manual',
  points: 3,
  visibility: 'public',
  needs: [],
  run: (input) => manual(input.answers.q4?.proof, 'answers.q4.proof'),
});

export const q4Checks = [expectation, sigma, proof] as const;
