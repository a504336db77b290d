/**
 * Distribution tests with bounds that hold for every sample size, so a stated false-failure
 * probability is a guarantee, not an asymptotic hope:
 * - Kolmogorov–Smirnov with the Dvoretzky–Kiefer–Wolfowitz inequality (Massart's constant):
 *   P(sup|F_n − F| > ε) ≤ 2·exp(−2nε²);
 * - the mean of bounded values by Hoeffding: P(|mean − μ| ≥ t) ≤ 2·exp(−2nt²/(b − a)²);
 * - the mean of normal values by the Gaussian tail: P(|mean| ≥ t) ≤ 2·exp(−nt²/(2σ²));
 * - the second moment of normal values by Laurent & Massart (2000) for χ²ₙ:
 *   P(X − n ≥ 2√(nx) + 2x) ≤ e^(−x), P(n − X ≥ 2√(nx)) ≤ e^(−x).
 */
import { math } from '../util/math.ts';

export interface Distribution {
  name: string;
  cdf(x: number): number;
  mean: number;
  /** E[X²] */
  secondMoment: number;
  /** For bounded distributions: the support. */
  support?: [number, number];
  normalSd?: number;
}

export const uniform = (lo: number, hi: number, name = `U(${lo.toPrecision(4)}, ${hi.toPrecision(4)})`): Distribution => ({
  name,
  cdf: (x) => (x <= lo ? 0 : x >= hi ? 1 : (x - lo) / (hi - lo)),
  mean: (lo + hi) / 2,
  secondMoment: (lo * lo + lo * hi + hi * hi) / 3,
  support: [lo, hi],
});

export const normal = (sd: number, name = `N(0, ${(sd * sd).toPrecision(4)})`): Distribution => ({
  name,
  cdf: (x) => 0.5 * (1 + (math.erf(x / (sd * Math.SQRT2)) as number)),
  mean: 0,
  secondMoment: sd * sd,
  normalSd: sd,
});

/** sup |F_n − F| over the sample (sorted in place). */
export function ksDistance(sorted: Float64Array, dist: Distribution): number {
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = dist.cdf(sorted[i]!);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

export const dkwThreshold = (n: number, alpha: number) => Math.sqrt(Math.log(2 / alpha) / (2 * n));

export interface TestOutcome {
  name: string;
  pass: boolean;
  detail: string;
}

/**
 * The unit roundoff of a sample's storage dtype (a .npy descr such as '<f2', or a name):
 * rounding to nearest moves each value x by at most u·|x|. 0 when unknown or float64 (the
 * 1e-6 relative slack of the bounds test covers float64 and float32 arithmetic anyway).
 */
export function unitRoundoff(dtype: string | undefined): number {
  if (!dtype) return 0;
  if (/f2$|float16/.test(dtype)) return 2 ** -11;
  if (/f4$|float32/.test(dtype)) return 2 ** -24;
  return 0;
}

/**
 * The acceptance region of testSample for n values at `alpha` each, widened for storage
 * rounding u (values rounded to nearest, |r(x) − x| ≤ u·|x|):
 * - bounds: ±(hi·max(1e-6, u)); float16(b) ≤ b·(1 + 2^−11);
 * - KS: + u/2, since the rounded sample's empirical CDF at t lies between the exact one at
 *   t/(1 ± u), and |F(t(1 ± u)) − F(t)| ≤ u·sup|t·f(t)| ≤ u/2 for U(−b, b) and 0.242·u for N(0, σ²);
 * - mean: + u·sqrt(m2)·1.01 (|Δmean| ≤ u·mean|x| ≤ u·sqrt(m2) of the unrounded values);
 * - second moment: m2 of the rounded values lies within (1 ± u)² of the unrounded.
 */
export function acceptance(n: number, alpha: number, h0: Distribution, u = 0) {
  const logTerm = Math.log(2 / alpha);
  const ks = dkwThreshold(n, alpha) + u / 2;
  if (h0.support) {
    const [lo, hi] = h0.support;
    const slack = Math.max(1e-6, u) * Math.max(Math.abs(lo), Math.abs(hi));
    const tMean = (hi - lo) * Math.sqrt(logTerm / (2 * n));
    const range = Math.max(lo * lo, hi * hi);
    const tM2 = range * Math.sqrt(logTerm / (2 * n));
    return { ks, bounds: [lo - slack, hi + slack] as [number, number], tMean, m2: [h0.secondMoment - tM2, h0.secondMoment + tM2].map((v, i) => v * (i ? (1 + u) ** 2 : (1 - u) ** 2)) as [number, number] };
  }
  const sd = h0.normalSd!;
  const tMean = sd * Math.sqrt((2 * logTerm) / n);
  const upper = n + 2 * Math.sqrt(n * logTerm) + 2 * logTerm;
  const lower = n - 2 * Math.sqrt(n * logTerm);
  return { ks, bounds: undefined, tMean, m2: [((lower / n) * sd * sd) * (1 - u) ** 2, ((upper / n) * sd * sd) * (1 + u) ** 2] as [number, number] };
}

/** Runs the tests of H0 at `alpha` each; `sorted` must be sorted ascending; `u`: the storage dtype's unit roundoff. */
export function testSample(sorted: Float64Array, h0: Distribution, alpha: number, u = 0): TestOutcome[] {
  const n = sorted.length;
  const out: TestOutcome[] = [];
  const acc = acceptance(n, alpha, h0, u);
  const ks = ksDistance(sorted, h0);
  out.push({ name: 'KS', pass: ks <= acc.ks, detail: `KS distance to ${h0.name} ${ks.toPrecision(3)} (limit ${acc.ks.toPrecision(3)})` });
  let sum = 0;
  let sumSq = 0;
  for (const v of sorted) {
    sum += v;
    sumSq += v * v;
  }
  const mean = sum / n;
  const m2 = sumSq / n;
  const tMean = acc.tMean + 1.01 * u * Math.sqrt(m2);
  if (acc.bounds) {
    const [lo, hi] = acc.bounds;
    const [slo, shi] = h0.support!;
    const outside = sorted.filter((v) => v < lo || v > hi).length;
    out.push({ name: 'bounds', pass: outside === 0, detail: `${outside} of ${n} values outside [${slo.toPrecision(4)}, ${shi.toPrecision(4)}]` });
    out.push({ name: 'mean', pass: Math.abs(mean - h0.mean) <= tMean, detail: `mean ${mean.toPrecision(3)} (expected ${h0.mean.toPrecision(3)} ± ${tMean.toPrecision(3)})` });
    const [m2lo, m2hi] = acc.m2;
    const tM2 = Math.max(h0.secondMoment - m2lo, m2hi - h0.secondMoment);
    out.push({ name: 'second moment', pass: m2 >= m2lo && m2 <= m2hi, detail: `E[w²] ${m2.toPrecision(4)} (expected ${h0.secondMoment.toPrecision(4)} ± ${tM2.toPrecision(3)})` });
  } else {
    out.push({ name: 'mean', pass: Math.abs(mean) <= tMean, detail: `mean ${mean.toPrecision(3)} (expected 0 ± ${tMean.toPrecision(3)})` });
    const [m2lo, m2hi] = acc.m2;
    out.push({
      name: 'second moment',
      pass: m2 >= m2lo && m2 <= m2hi,
      detail: `E[w²] ${m2.toPrecision(4)} (expected ${h0.secondMoment.toPrecision(4)}, accepted ${m2lo.toPrecision(4)}..${m2hi.toPrecision(4)})`,
    });
  }
  return out;
}

/** Bernoulli Kullback–Leibler divergence KL(a ‖ p). */
function bernoulliKl(a: number, p: number): number {
  if (a <= 0) return -Math.log1p(-p);
  if (a >= 1) return -Math.log(p);
  return a * Math.log(a / p) + (1 - a) * Math.log((1 - a) / (1 - p));
}

/** H0's and the mistake's CDFs on a grid over both distributions' scale, with the support ends. */
export function cdfGrid(h0: Distribution, g: Distribution): { f: Float64Array; p: Float64Array } {
  const scale = Math.max(Math.sqrt(h0.secondMoment), Math.sqrt(g.secondMoment), ...(h0.support ?? []).map(Math.abs), ...(g.support ?? []).map(Math.abs));
  const xs = Array.from({ length: 4001 }, (_, i) => scale * 8 * (i / 2000 - 1));
  for (const d of [h0, g]) if (d.support) xs.push(...d.support);
  return { f: Float64Array.from(xs, (x) => h0.cdf(x)), p: Float64Array.from(xs, (x) => g.cdf(x)) };
}

/**
 * An upper bound on the chance that n values drawn from the mistake `g` (then rounded with
 * unit roundoff u) pass testSample(·, h0, alpha, u): the minimum of the bounds for three of
 * its tests, each of which a passing sample must pass.
 * - KS: at any point x, passing needs |F_n(x) − F(x)| ≤ c (c: the KS limit, + u more for the
 *   mistake's own rounding). n·F_n(x) is Binomial(n, G(x)), so when F(x) − c > G(x) the chance
 *   is ≤ exp(−n·KL(F(x) − c ‖ G(x))) by Chernoff (and symmetrically); the minimum over a grid of x.
 * - bounds (U(−b, b)): every value must lie in the widened [−b, b]; with q the mistake's mass
 *   outside (the interval widened once more by (1 + u) for its rounding) the chance is (1 − q)^n.
 * - second moment (both normal): n·m2/σ_g² is χ²ₙ; Laurent & Massart's tails bound the chance
 *   that it lands in the accepted interval when that interval lies wholly on one side of n.
 * Mistakes whose values carry no randomness (zeros, a constant) are covered too: a constant
 * sample is a point mass, and the tests see it as such; the bound is for the named mistakes.
 */
export function passChanceBound(h0: Distribution, g: Distribution, n: number, alpha: number, u = 0, grid = cdfGrid(h0, g)): number {
  const acc = acceptance(n, alpha, h0, u);
  let best = 1;
  const c = acc.ks + u; // + the mistake's own rounding: it moves G(x) by ≤ u·sup|t·g(t)| ≤ u for every named mistake
  for (let i = 0; i < grid.f.length; i++) {
    const f = grid.f[i]!;
    const p = grid.p[i]!;
    if (f - c > p && p < 1) best = Math.min(best, Math.exp(-n * bernoulliKl(Math.min(1, f - c), p)));
    else if (f + c < p && p > 0) best = Math.min(best, Math.exp(-n * bernoulliKl(Math.max(0, f + c), p)));
  }
  if (acc.bounds) {
    const [lo, hi] = acc.bounds;
    // a value v rounds into [lo, hi] only if v ∈ [lo/(1 − u), hi/(1 − u)] (lo < 0 < hi)
    const q = g.cdf(lo / (1 - u)) + 1 - g.cdf(hi / (1 - u));
    if (q > 0) best = Math.min(best, q >= 1 ? 0 : Math.exp(n * Math.log1p(-q)));
  }
  if (!h0.support && g.normalSd !== undefined) {
    // the rounded m2 is accepted only if the unrounded one lies in [lo/(1 + u)², hi/(1 − u)²]
    const [m2lo, m2hi] = [acc.m2[0] / (1 + u) ** 2, acc.m2[1] / (1 - u) ** 2];
    const s2 = g.normalSd * g.normalSd;
    const [a, b] = [(n * m2lo) / s2, (n * m2hi) / s2];
    if (b < n) best = Math.min(best, Math.exp(-(((n - b) / (2 * Math.sqrt(n))) ** 2)));
    else if (a > n) {
      const rootX = (-2 * Math.sqrt(n) + Math.sqrt(4 * n + 8 * (a - n))) / 4;
      best = Math.min(best, Math.exp(-rootX * rootX));
    }
  }
  return best;
}

/**
 * The least n for which passChanceBound(h0, g, n, alpha(n), u) ≤ beta, where alpha may depend on
 * n (it does not in the checks); Infinity when no n up to 1e9 will do (g equals h0 at these fans).
 */
export function requiredSize(h0: Distribution, g: Distribution, alpha: number, beta: number, u = 0): number {
  const grid = cdfGrid(h0, g);
  const ok = (n: number) => passChanceBound(h0, g, n, alpha, u, grid) <= beta;
  let hi = 1;
  while (!ok(hi)) {
    hi *= 2;
    if (hi > 1e9) return Infinity;
  }
  let lo = Math.floor(hi / 2);
  if (lo < 1) return hi;
  // ok(lo) is false unless lo = hi/2 is 0; bisect for the least ok n (the bound falls with n)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** How many statistics testSample computes for a distribution: for splitting a budget. */
export const testsPerSample = (h0: Distribution) => (h0.support ? 4 : 3);
