/**
 * Q5 checks. The constraints a pair proposes are judged by what they do: the pair's
 * constrained parameters are run through f_w on random inputs and on their transforms, and
 * the outputs must agree. A constraint that kills the network (f ≡ 0) is not an answer, and
 * invariant parameters that tie more weights together than the constraint needs (every weight
 * of a unit equal, say) earn only rubric.q5.overConstrainedCredit.
 */
import { complement, f, randomParams, reverse, type Q5Params, type Seq } from '../reference/q5.ts';
import { Q5Params as Q5ParamsSchema } from '../src/contract/schema.ts';
import { describeValue } from '../src/intake/issues.ts';
import { exportsFunction } from '../src/registry/solution-data.ts';
import type { Outcome } from '../src/core/vocabulary.ts';
import { diagnosed, manual, notSubmitted } from '../src/core/outcomes.ts';
import { defineCheck, type CheckInput } from '../src/registry/define.ts';
import { makeRng } from '../src/util/random.ts';
import { show } from '../src/util/numeric.ts';

/** Shape errors name the array and the index, so a Python pair can find its transposition. */
export function shapeError(p: Q5Params, field: string): string | undefined {
  const d = p.W2[0]?.length ?? 0;
  if (p.W2.length !== 4 || d < 2) return `${field}.W2 must be 4 × d with d ≥ 2, found ${p.W2.length} × ${d}`;
  for (const [r, row] of p.W2.entries()) if (row.length !== d) return `${field}.W2[${r}] has ${row.length} entries, expected d = ${d}`;
  if (p.W1.length !== 4) return `${field}.W1 must have 4 entries in its first dimension (r), found ${p.W1.length}`;
  for (const [r, units] of p.W1.entries()) {
    if (units.length !== d) return `${field}.W1[${r}] has ${units.length} entries, expected d = ${d}`;
    for (const [k, unit] of units.entries()) {
      if (unit.length !== 4) return `${field}.W1[${r}][${k}] has ${unit.length} entries, expected 4 (bases)`;
      for (const [j, row] of unit.entries()) {
        if (row.length !== d) return `${field}.W1[${r}][${k}][${j}] has ${row.length} entries, expected d = ${d}`;
      }
    }
  }
  return undefined;
}

export interface InvarianceReport {
  holds: boolean;
  degenerate: boolean;
  worst: { X: Seq; fx: number; ftx: number } | undefined;
}

/** Runs f on `trials` random concentration matrices and their transforms. */
export function testInvariance(p: Q5Params, transform: (X: Seq) => Seq, trials: number, relTol: number, seed: number): InvarianceReport {
  const d = p.W2[0]!.length;
  const rng = makeRng(seed);
  let worst: InvarianceReport['worst'];
  let worstGap = -1;
  let largest = 0;
  for (let t = 0; t < trials; t++) {
    const X = Array.from({ length: 4 }, () => Array.from({ length: d }, () => rng.next()));
    const fx = f(p, X);
    const ftx = f(p, transform(X));
    largest = Math.max(largest, Math.abs(fx));
    const gap = Math.abs(fx - ftx) / (Math.abs(fx) + Math.abs(ftx) + 1e-300);
    if (gap > worstGap) {
      worstGap = gap;
      worst = { X, fx, ftx };
    }
  }
  return { holds: worstGap <= relTol, degenerate: largest < 1e-12, worst };
}

/** The cell a constraint ties (j, i) to: the partner whose weight must equal it in every unit. */
type Partner = (j: number, i: number, d: number) => readonly [number, number];
const BASES = ['C', 'T', 'G', 'A'] as const;
const PARTNERS: Record<'reversal' | 'complement', Partner> = {
  reversal: (j, i, d) => [j, d - 1 - i],
  complement: (j, i) => [(j + 2) % 4, i],
};

export interface FreedomReport {
  /** Independent values per unit: classes of the 4·d cells whose weights are equal in every unit. */
  observed: number;
  /** What the constraint leaves: classes of cells it ties (4·ceil(d/2) for reversal, 2·d for complement). */
  allowed: number;
  /** Words for the equalities that hold beyond the constraint's; empty when there are none. */
  extra: string[];
}

function classes(n: number, tie: (a: number, b: number) => boolean): { find: (a: number) => number; count: number } {
  const parent = Array.from({ length: n }, (_, a) => a);
  const find = (a: number): number => (parent[a] === a ? a : (parent[a] = find(parent[a]!)));
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) if (find(a) !== find(b) && tie(a, b)) parent[find(b)] = find(a);
  return { find, count: new Set(Array.from({ length: n }, (_, a) => find(a))).size };
}

/**
 * The equality structure of a set of 4×d filters (every unit's W1[r,k], from one answer or from
 * all of a projection's outputs) against the one the constraint implies. Two cells count as tied
 * when their weights agree within relTol in every unit: a coincidence in one unit is not a tie,
 * and parameters that obey the invariance by pairing units rather than by symmetric filters tie
 * nothing extra. Cells the constraint does not tie but the filters do are over-constraint.
 */
export function measureFreedom(units: number[][][], field: 'reversal' | 'complement', relTol: number): FreedomReport {
  const d = units[0]![0]!.length;
  const n = 4 * d;
  const cell = (a: number) => [Math.floor(a / d), a % d] as const;
  const close = (x: number, y: number) => Math.abs(x - y) <= relTol * Math.max(Math.abs(x), Math.abs(y));
  const tiedEverywhere = (a: number, b: number) => {
    const [ja, ia] = cell(a);
    const [jb, ib] = cell(b);
    return units.every((u) => close(u[ja]![ia]!, u[jb]![ib]!));
  };
  const partner = PARTNERS[field];
  // Both transforms are involutions, so "b is a's partner" is symmetric.
  const allowed = classes(n, (a, b) => {
    const [pj, pi] = partner(...cell(a), d);
    return pj * d + pi === b;
  });
  const observed = classes(n, tiedEverywhere);
  const extra: string[] = [];
  if (observed.count === 1) return { observed: 1, allowed: allowed.count, extra: ['every weight of a unit equal'] };
  const positions = new Set<string>();
  const bases = new Set<number>();
  let other = false;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      if (observed.find(a) !== observed.find(b) || allowed.find(a) === allowed.find(b)) continue;
      const [ja, ia] = cell(a);
      const [jb, ib] = cell(b);
      if (ja === jb) positions.add(`${ia} and ${ib}`);
      else if (ia === ib) bases.add(ja).add(jb);
      else other = true;
    }
  }
  if (positions.size) {
    const shown = [...positions].slice(0, 3).join(', ');
    extra.push(`equal across positions the constraint does not tie (i = ${shown}${positions.size > 3 ? ', …' : ''})`);
  }
  if (bases.size) extra.push(`equal across bases ${[...bases].sort().map((j) => BASES[j]).join(', ')}`);
  if (other && !extra.length) extra.push('equal across cells the constraint does not tie');
  return { observed: observed.count, allowed: allowed.count, extra };
}

/** Partial credit, named, for invariant parameters that tie more than the constraint needs. */
function overConstrained(units: number[][][], field: 'reversal' | 'complement', what: string, input: CheckInput, seed: number): Outcome | undefined {
  const { relTolerance, overConstrainedCredit } = input.rubric.q5;
  const freedom = measureFreedom(units, field, relTolerance);
  if (!freedom.extra.length) return undefined;
  const also = freedom.extra.join('; ');
  const values = `${freedom.observed} independent value${freedom.observed === 1 ? '' : 's'}`;
  return {
    kind: 'graded',
    fraction: overConstrainedCredit,
    seed,
    message: `${what} is invariant, but W1 has ${values} per unit where the constraint leaves ${freedom.allowed}: its weights are also ${also}, which the invariance does not need and which throws away what the network can express (credit ${overConstrainedCredit}).`,
    diagnoses: diagnosed('q5.over-constrained', `Over-constrained: ${also}`),
  };
}

/** Parameters of this width are sent to a pair's projection functions. */
const PROBE_WIDTH = 4;
const PROBE_COUNT = 6;

function probeArgs(seed: number, i: number): Q5Params {
  const rng = makeRng(seed * 31 + i);
  return randomParams(PROBE_WIDTH, () => rng.normal());
}

/** Judges one set of constrained parameters; undefined when they are fine. */
function judgeParams(params: Q5Params, field: string, transform: (X: Seq) => Seq, other: (X: Seq) => Seq, input: CheckInput, seed: number): Outcome | undefined {
  const shape = shapeError(params, field);
  if (shape) return { kind: 'inputError', message: shape };
  const { trials, relTolerance } = input.rubric.q5;
  const report = testInvariance(params, transform, trials, relTolerance, seed);
  if (report.degenerate) {
    return { kind: 'graded', fraction: 0, message: `${field}: f is zero on every input tried: constraints that silence the network are not an answer.`, diagnoses: diagnosed('q5.degenerate', 'Degenerate constraints (f ≡ 0)'), seed };
  }
  if (report.holds) return undefined;
  const swapped = testInvariance(params, other, trials, relTolerance, seed).holds;
  const w = report.worst!;
  return {
    kind: 'graded',
    fraction: 0,
    message: `${field} is not invariant: for one random input (seed ${seed}) f(X) = ${show(w.fx)} but f(T(X)) = ${show(w.ftx)}.`,
    diagnoses: diagnosed('q5.constraints-swapped', 'The parameters are invariant to the other transform: the two constraints are swapped', swapped),
    seed,
  };
}

function invarianceCheck<const Id extends string>(id: Id, title: string, points: number, field: 'reversal' | 'complement', fn: string, transform: (X: Seq) => Seq, other: (X: Seq) => Seq) {
  return defineCheck({
    id,
    question: 'q5',
    title,
    kind: 'auto',
    points,
    visibility: 'public',
    needs: ['solution'],
    probes: (_rubric, seed) => Array.from({ length: PROBE_COUNT }, (_, i) => ({ key: `${id}.${i}`, name: fn, args: [probeArgs(seed, i)] })),
    run(input: CheckInput<'solution'>): Outcome {
      const { solution, seed } = input;
      if (exportsFunction(solution, fn)) {
        // The pair's projection: random parameters in, constrained parameters out, each judged.
        const outputs: number[][] = [];
        const parsedAll: Q5Params[] = [];
        for (let i = 0; i < PROBE_COUNT; i++) {
          const result = solution.results[`${id}.${i}`];
          if (!result?.ok) {
            return { kind: 'inputError', message: `${solution.file} ${fn}(random parameters, d = ${PROBE_WIDTH}) failed: ${result?.error.message ?? 'not called'}` };
          }
          const parsed = Q5ParamsSchema.safeParse(result.value);
          if (!parsed.success) {
            return { kind: 'inputError', message: `${solution.file} ${fn} returned ${describeValue(result.value)}; expected { W1: 4 × d × 4 × d, W2: 4 × d } nested number arrays` };
          }
          const bad = judgeParams(parsed.data, `${fn}(random parameters #${i + 1})`, transform, other, input, seed);
          if (bad) return bad;
          outputs.push([...parsed.data.W1.flat(3), ...parsed.data.W2.flat()]);
          parsedAll.push(parsed.data);
        }
        // A map that gives the same parameters whatever it is given obeys any invariance and says
        // nothing about which constraints make one (found by an independent attacker: all ones).
        if (outputs.every((o) => o.length === outputs[0]!.length && o.every((v, k) => Math.abs(v - outputs[0]![k]!) <= 1e-12 * (1 + Math.abs(v))))) {
          return {
            kind: 'graded',
            fraction: 0, seed,
            message: `${fn} returned the same parameters for ${PROBE_COUNT} different random inputs: it must turn the parameters it is given into ones that obey the constraints, not replace them.`,
            diagnoses: diagnosed('q5.constant-projection', 'The projection ignores its input (a constant obeys every invariance)'),
          };
        }
        const units = parsedAll.flatMap((p) => p.W1.flat(1));
        const over = overConstrained(units, field, `${fn}'s output on ${PROBE_COUNT} random parameter sets`, input, seed);
        if (over) return over;
        return { kind: 'graded', fraction: 1, message: `${fn} turned ${PROBE_COUNT} random parameter sets into parameters with f(X) = f(T(X)) on ${input.rubric.q5.trials} random inputs each.`, seed };
      }
      const params = input.answers.q5?.[field];
      if (!params) {
        if (solution.loadError) return { kind: 'inputError', message: `${solution.loadError.message}; hw2.json has no answers.q5.${field} either` };
        return notSubmitted(`answers.q5.${field} (or a ${fn} export in solution.ts)`);
      }
      const bad = judgeParams(params, `hw2.json answers.q5.${field}`, transform, other, input, seed);
      if (bad) return bad;
      // One number written in every weight obeys every invariance and says nothing about the
      // constraint: a non-answer, not an over-constrained one (issue 15: constants earn nothing).
      // (A projection that returns it is caught above as one that ignores its input.)
      const all = [...params.W1.flat(3), ...params.W2.flat()];
      if (all.every((w) => w === all[0])) {
        return { kind: 'graded', fraction: 0, message: `hw2.json answers.q5.${field}: every weight is ${show(all[0]!)}: one value repeated is not an answer.`, diagnoses: diagnosed('q5.one-value', 'One value written in every weight'), seed };
      }
      const over = overConstrained(params.W1.flat(1), field, `hw2.json answers.q5.${field}`, input, seed);
      if (over) return over;
      return { kind: 'graded', fraction: 1, message: `f(X) = f(T(X)) on ${input.rubric.q5.trials} random inputs (relative tolerance ${input.rubric.q5.relTolerance}).`, seed };
    },
  });
}


/** A rubric without the key (the student build's) cannot grade this check: held back, not a 0. */
const withheldKey = (field: string): Outcome => ({ kind: 'harnessError', cause: 'environment', message: `Not graded yet: the rubric has no ${field} (the student build's rubric leaves the key out); grade with the course's rubric` });

const invariances = defineCheck({
  id: 'q5.invariances',
  question: 'q5',
  title: 'Q5.1 invariances of the parameters',
  kind: 'auto',
  points: 2,
  visibility: 'hidden',
  needs: [],
  run(input): Outcome {
    const given = input.answers.q5?.invariances;
    if (!given) return notSubmitted('answers.q5.invariances');
    const key = input.rubric.q5.invariancesKey;
    if (key === undefined) return withheldKey('q5.invariancesKey');
    const chosen = new Set(given);
    const hits = key.filter((k) => chosen.has(k));
    const extra = [...chosen].filter((c) => !key.includes(c));
    const fraction = Math.max(0, hits.length - extra.length) / key.length;
    const missed = key.filter((k) => !chosen.has(k));
    return {
      kind: 'graded',
      fraction,
      message: `${hits.length} of ${key.length} named.${missed.length ? ` Missing: ${missed.join(', ')}.` : ''}${extra.length ? ` Not invariances of this network: ${extra.join(', ')} (each costs one).` : ''}`,
      expected: key,
      actual: given,
    };
  },
});

const scaleEffect = defineCheck({
  id: 'q5.scaleEffect',
  question: 'q5',
  title: 'Q5.4(a) effect of the scale c > 0 on the classification',
  kind: 'auto',
  points: 1,
  visibility: 'hidden',
  needs: [],
  run(input): Outcome {
    const given = input.answers.q5?.scaleEffect;
    if (!given) return notSubmitted('answers.q5.scaleEffect');
    const key = input.rubric.q5.scaleEffectKey;
    if (key === undefined) return withheldKey('q5.scaleEffectKey');
    return {
      kind: 'graded',
      fraction: given === key ? 1 : 0,
      message: given === key ? 'Correct.' : `"${given}" is not right: f is positively homogeneous (LeakyReLU(cz) = c·LeakyReLU(z) for c > 0), so sign f(cX) = sign f(X).`,
      expected: key,
      actual: given,
    };
  },
});

const explanations = defineCheck({
  id: 'q5.explanations',
  question: 'q5',
  title: 'Q5 explanations: invariances, constraints, 4(b), 4(c)',
  kind: 'manual',
  points: 1,
  visibility: 'public',
  needs: [],
  run(input) {
    const q5 = input.answers.q5;
    const parts: [string, string | undefined][] = [
      ['1. Invariances', q5?.invariancesExplanation],
      ['2. Reversal constraints', q5?.reversalConstraints],
      ['3. Complement constraints', q5?.complementConstraints],
      ['4(b) Can the scale hurt training?', q5?.scaleTraining],
      ['4(c) Using it', q5?.scaleImprovement],
    ];
    const text = parts.filter(([, t]) => t?.trim()).map(([h, t]) => `${h}: ${t}`).join('\n\n');
    return manual(text || undefined, 'answers.q5 explanations');
  },
});

export const q5Checks = [
  invariances,
  invarianceCheck('q5.reversal', 'Q5.2 constraints for the scan direction: f(X) = f(reversed X)', 2, 'reversal', 'projectReversal', reverse, complement),
  invarianceCheck('q5.complement', 'Q5.3 constraints for base pairing: f(X) = f(complement X)', 2, 'complement', 'projectComplement', complement, reverse),
  scaleEffect,
  explanations,
] as const;
