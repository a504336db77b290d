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

/** Runs the tests of H0 at `alpha` each; `sorted` must be sorted ascending. */
export function testSample(sorted: Float64Array, h0: Distribution, alpha: number): TestOutcome[] {
  const n = sorted.length;
  const out: TestOutcome[] = [];
  const ks = ksDistance(sorted, h0);
  const ksMax = dkwThreshold(n, alpha);
  out.push({ name: 'KS', pass: ks <= ksMax, detail: `KS distance to ${h0.name} ${ks.toPrecision(3)} (limit ${ksMax.toPrecision(3)})` });
  let sum = 0;
  let sumSq = 0;
  for (const v of sorted) {
    sum += v;
    sumSq += v * v;
  }
  const mean = sum / n;
  const m2 = sumSq / n;
  const logTerm = Math.log(2 / alpha);
  if (h0.support) {
    const [lo, hi] = h0.support;
    const slack = 1e-6 * Math.max(Math.abs(lo), Math.abs(hi));
    const outside = sorted.filter((v) => v < lo - slack || v > hi + slack).length;
    out.push({ name: 'bounds', pass: outside === 0, detail: `${outside} of ${n} values outside [${lo.toPrecision(4)}, ${hi.toPrecision(4)}]` });
    const tMean = (hi - lo) * Math.sqrt(logTerm / (2 * n));
    out.push({ name: 'mean', pass: Math.abs(mean - h0.mean) <= tMean, detail: `mean ${mean.toPrecision(3)} (expected ${h0.mean.toPrecision(3)} ± ${tMean.toPrecision(3)})` });
    const range = Math.max(lo * lo, hi * hi);
    const tM2 = range * Math.sqrt(logTerm / (2 * n));
    out.push({ name: 'second moment', pass: Math.abs(m2 - h0.secondMoment) <= tM2, detail: `E[w²] ${m2.toPrecision(4)} (expected ${h0.secondMoment.toPrecision(4)} ± ${tM2.toPrecision(3)})` });
  } else {
    const sd = h0.normalSd!;
    const tMean = sd * Math.sqrt((2 * logTerm) / n);
    out.push({ name: 'mean', pass: Math.abs(mean) <= tMean, detail: `mean ${mean.toPrecision(3)} (expected 0 ± ${tMean.toPrecision(3)})` });
    const chi = (n * m2) / (sd * sd);
    const upper = n + 2 * Math.sqrt(n * logTerm) + 2 * logTerm;
    const lower = n - 2 * Math.sqrt(n * logTerm);
    out.push({
      name: 'second moment',
      pass: chi <= upper && chi >= lower,
      detail: `E[w²] ${m2.toPrecision(4)} (expected ${(sd * sd).toPrecision(4)}, accepted ${((lower / n) * sd * sd).toPrecision(4)}..${((upper / n) * sd * sd).toPrecision(4)})`,
    });
  }
  return out;
}

/** How many statistics testSample computes for a distribution: for splitting a budget. */
export const testsPerSample = (h0: Distribution) => (h0.support ? 4 : 3);
