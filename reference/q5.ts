/**
 * Q5: the homework's one-hidden-layer network on DNA concentration matrices, its parameter
 * invariances and the input equivalences, as plain functions.
 *
 *   f_w(X) = Σ_{r,k} W2[r,k] · φ( Σ_{j,i} W1[r,k,j,i] · X[j,i] ),  φ = LeakyReLU.
 *
 * Shapes: X is 4×d (bases C, T, G, A × positions); W1 is 4×d×4×d; W2 is 4×d.
 */
export type Seq = number[][]; // X[j][i]
export type W1 = number[][][][]; // W1[r][k][j][i]
export type W2 = number[][]; // W2[r][k]
export interface Q5Params { W1: W1; W2: W2 }

export const LEAKY_SLOPE = 0.01;
export const leakyRelu = (z: number, slope = LEAKY_SLOPE) => (z >= 0 ? z : slope * z);

export function f(p: Q5Params, X: Seq): number {
  let out = 0;
  p.W1.forEach((rows, r) =>
    rows.forEach((unit, k) => {
      let z = 0;
      unit.forEach((row, j) => row.forEach((w, i) => (z += w * X[j]![i]!)));
      out += p.W2[r]![k]! * leakyRelu(z);
    }),
  );
  return out;
}

/** Positions read in the other direction: X̃[j,i] = X[j,d−1−i]. */
export const reverse = (X: Seq): Seq => X.map((row) => [...row].reverse());
/** Base pairing: X̃[j,i] = X[(j+2) mod 4, i] (C↔G, T↔A). */
export const complement = (X: Seq): Seq => X.map((_, j) => [...X[(j + 2) % 4]!]);
export const scale = (X: Seq, c: number): Seq => X.map((row) => row.map((v) => c * v));

/** Hidden units relabelled by a permutation of the 4·d flat indices: f is unchanged. */
export function permuteHidden(p: Q5Params, perm: number[]): Q5Params {
  const d = p.W2[0]!.length;
  const at = (flat: number) => [Math.floor(flat / d), flat % d] as const;
  const W1 = p.W1.map((rows) => rows.map((u) => u.map((row) => [...row])));
  const W2 = p.W2.map((row) => [...row]);
  perm.forEach((src, dst) => {
    const [rs, ks] = at(src);
    const [rd, kd] = at(dst);
    W1[rd]![kd] = p.W1[rs]![ks]!.map((row) => [...row]);
    W2[rd]![kd] = p.W2[rs]![ks]!;
  });
  return { W1, W2 };
}

/** Unit (r,k)'s input weights times a > 0 and its output weight divided by a: f is unchanged. */
export function rescaleUnit(p: Q5Params, r: number, k: number, a: number): Q5Params {
  const W1 = p.W1.map((rows, rr) => rows.map((u, kk) => u.map((row) => row.map((w) => (rr === r && kk === k ? w * a : w)))));
  const W2 = p.W2.map((row, rr) => row.map((w, kk) => (rr === r && kk === k ? w / a : w)));
  return { W1, W2 };
}

/**
 * Constraint projections that make f exactly invariant: every hidden unit's filter is
 * made symmetric under the transform (W1[r,k] ← ½(W1[r,k] + T(W1[r,k]))). Since the
 * pre-activation of each unit is then unchanged by T, so is f. One valid answer of several.
 */
export function projectReversal(p: Q5Params): Q5Params {
  return { W1: p.W1.map((rows) => rows.map((u) => u.map((row) => row.map((w, i) => (w + row[row.length - 1 - i]!) / 2)))), W2: p.W2 };
}
export function projectComplement(p: Q5Params): Q5Params {
  return { W1: p.W1.map((rows) => rows.map((u) => u.map((row, j) => row.map((w, i) => (w + u[(j + 2) % 4]![i]!) / 2)))), W2: p.W2 };
}

export function randomParams(d: number, normal: () => number): Q5Params {
  return {
    W1: Array.from({ length: 4 }, () => Array.from({ length: d }, () => Array.from({ length: 4 }, () => Array.from({ length: d }, normal)))),
    W2: Array.from({ length: 4 }, () => Array.from({ length: d }, normal)),
  };
}

export function randomSeq(d: number, uniform: () => number): Seq {
  return Array.from({ length: 4 }, () => Array.from({ length: d }, uniform));
}
