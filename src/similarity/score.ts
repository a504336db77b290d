/**
 * Ranks every pair of a course's submissions by the evidence they share beyond what chance
 * and the course itself explain. Each kind of evidence is scored in bits, log2 of how much
 * rarer it is for an independent pair (see SCORING), and the kinds are added: the ranking is
 * by that sum, and pairs at or above the threshold are flagged for a person to look at. Pure.
 */
import { SIMILARITY_VERSION, type EvidenceKind, type Segment, type SideBySide, type SimilarityPair, type SimilarityReport } from '../core/similarity.ts';
import { CODE_WINNOW, TEXT_WINNOW, document, type Document, type Profile } from './evidence.ts';
import { seedsIn } from './normalize.ts';
import { Postings } from './postings.ts';

/** The course's own material: fingerprints of the template's code and of the homework's text, ignored wherever they appear. */
export interface Base {
  code: Set<number>;
  text: Set<number>;
  /** Seeds the course gives (the template sets, the homework names: "seed 211"): sharing one is no evidence. */
  seeds: Set<string>;
}

export function baseOf(template: { code?: string[]; text?: string[] }): Base {
  const prints = (sources: string[] | undefined, kind: 'code' | 'text') => new Set((sources ?? []).flatMap((s) => document('', s, kind).prints.map((p) => p.hash)));
  const named = (template.text ?? []).flatMap((t) => [...t.matchAll(/\bseeds?\s+(\d{1,12})\b/gi)].map((m) => String(Number(m[1]))));
  return { code: prints(template.code, 'code'), text: prints(template.text, 'text'), seeds: new Set([...(template.code ?? []).flatMap(seedsIn), ...named]) };
}

export interface CompareOptions {
  /** A key held by more than this share of the course is course-wide, not evidence (MOSS's -m). Default 0.05. */
  commonShare?: number;
  /** Score in bits at and above which a pair is flagged. Default 24. */
  threshold?: number;
  /** Pairs listed below the flagged ones. Default 10. */
  alsoList?: number;
}

/**
 * How each kind is scored. A key that `n` of the course's N submissions hold is shared by a
 * given other submission with chance about (n − 1)/(N − 1), so sharing it is worth
 * log2((N − 1)/(n − 1)) bits. Fingerprints overlap: winnowing keeps about 2/(w + 1) of the
 * k-grams, each k symbols long, so a copied symbol lies in about 2k/(w + 1) kept k-grams; each
 * shared fingerprint counts (w + 1)/(2k) of its bits (0.375 for code, 0.5 for prose), so a
 * copied region counts about once per symbol-length of k-gram. Fewer than 3 shared fingerprints
 * of a kind count nothing (a lone idiom). An identical draw of at least 256 bytes cannot happen by chance; it is set at 40
 * bits a file (at most 3 files), unless it is an init sample and both notebooks set the same
 * seed, which explains it as well as copying does: then it counts 4 bits a file, as a shared
 * seed. Trained weights and histories depend on the whole pipeline: no seed explains them.
 */
export const SCORING = { minFingerprints: 3, drawBits: 40, maxDraws: 3, seedBits: 4 } as const;

const MAX_SIDE_BY_SIDE = 8;
/** Pairs the report lists at most (above the threshold first): the page stays readable and bounded. */
export const MAX_LISTED = 200;
const MAX_SHOWN_CHARS = 6000;

interface Accumulator {
  wrong: { key: string; holders: number }[];
  draws: { digest: string; holders: number }[];
  seeds: { value: string; holders: number }[];
  code: { hash: number; holders: number }[];
  text: { hash: number; holders: number }[];
}

const round = (x: number) => Math.round(x * 10) / 10;

/** Marks the parts of `doc` covered by its fingerprints whose hash is in `shared`. */
function segmentsOf(doc: Document, shared: Set<number>, k: number): Segment[] {
  const limit = Math.min(doc.source.length, MAX_SHOWN_CHARS);
  const marks: [number, number][] = [];
  for (const p of doc.prints) {
    if (!shared.has(p.hash)) continue;
    const first = doc.tokens[p.pos];
    const last = doc.tokens[p.pos + k - 1];
    if (first && last) marks.push([first.start, last.end]);
  }
  marks.sort((x, y) => x[0] - y[0]);
  const segments: Segment[] = [];
  let at = 0;
  const push = (end: number, match: boolean) => {
    const stop = Math.min(end, limit);
    if (stop > at) segments.push({ text: doc.source.slice(at, stop), match });
    at = Math.max(at, stop);
  };
  for (const [start, end] of marks) {
    if (end <= at) continue;
    push(start, false);
    push(end, true);
  }
  push(limit, false);
  if (doc.source.length > limit) segments.push({ text: `\n… (${doc.source.length - limit} more characters)`, match: false });
  return segments;
}

/** The documents of two sides that share fingerprints, paired (each of A's with the B document it shares most with), matches marked. */
function sideBySide(docsA: Document[], docsB: Document[], shared: Set<number>, k: number): SideBySide[] {
  const setOf = (d: Document) => new Set(d.prints.map((p) => p.hash).filter((h) => shared.has(h)));
  const bSets = docsB.map(setOf);
  const out: SideBySide[] = [];
  for (const a of docsA) {
    const aSet = setOf(a);
    if (!aSet.size) continue;
    let best = -1;
    let bestCount = 0;
    bSets.forEach((s, i) => {
      let n = 0;
      for (const h of s) if (aSet.has(h)) n++;
      if (n > bestCount) [best, bestCount] = [i, n];
    });
    if (best < 0) continue;
    const both = new Set([...aSet].filter((h) => bSets[best]!.has(h)));
    out.push({ a: { label: a.label, segments: segmentsOf(a, both, k) }, b: { label: docsB[best]!.label, segments: segmentsOf(docsB[best]!, both, k) }, shared: bestCount });
  }
  return out.sort((x, y) => y.shared - x.shared).slice(0, MAX_SIDE_BY_SIDE);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function compare(profiles: readonly Profile[], base: Base, options: CompareOptions = {}): SimilarityReport {
  const n = profiles.length;
  const commonShare = options.commonShare ?? 0.05;
  const threshold = options.threshold ?? 24;
  const maxHolders = Math.max(2, Math.ceil(commonShare * n));
  const bits = (holders: number) => (n > 2 && holders > 1 ? Math.log2((n - 1) / (holders - 1)) : 1);

  const wrong = new Postings<string>();
  const draws = new Postings<string>();
  const seeds = new Postings<string>();
  const code = new Postings<number>();
  const text = new Postings<number>();
  profiles.forEach((p, i) => {
    for (const w of p.wrong) wrong.add(`${w.field}\u0000${w.value}`, i);
    for (const d of p.draws) draws.add(d.digest, i);
    for (const s of p.seeds) if (!base.seeds.has(s)) seeds.add(s, i);
    for (const h of new Set(p.code.flatMap((d) => d.prints.map((f) => f.hash)))) if (!base.code.has(h)) code.add(h, i);
    for (const h of new Set(p.text.flatMap((d) => d.prints.map((f) => f.hash)))) if (!base.text.has(h)) text.add(h, i);
  });

  const pairs = new Map<number, Accumulator>();
  const acc = (a: number, b: number) => {
    const key = a * n + b;
    let entry = pairs.get(key);
    if (!entry) pairs.set(key, (entry = { wrong: [], draws: [], seeds: [], code: [], text: [] }));
    return entry;
  };
  wrong.forEachSharedPair(maxHolders, (a, b, key, holders) => acc(a, b).wrong.push({ key, holders }));
  draws.forEachSharedPair(maxHolders, (a, b, digest, holders) => acc(a, b).draws.push({ digest, holders }));
  seeds.forEachSharedPair(maxHolders, (a, b, value, holders) => acc(a, b).seeds.push({ value, holders }));
  code.forEachSharedPair(maxHolders, (a, b, hash, holders) => acc(a, b).code.push({ hash, holders }));
  text.forEachSharedPair(maxHolders, (a, b, hash, holders) => acc(a, b).text.push({ hash, holders }));

  const scored = [...pairs].map(([key, e]) => {
    const a = Math.floor(key / n);
    const b = key % n;
    const sameSeed = profiles[a]!.seeds.filter((s) => profiles[b]!.seeds.includes(s));
    const isSample = (digest: string) => profiles[a]!.draws.some((d) => d.digest === digest && d.sample);
    const explained = e.draws.filter((d) => sameSeed.length > 0 && isSample(d.digest)).length;
    const unexplained = e.draws.length - explained;
    const fingerprintBits = (list: { holders: number }[], { k, w }: { k: number; w: number }) =>
      list.length >= SCORING.minFingerprints ? ((w + 1) / (2 * k)) * list.reduce((s, x) => s + bits(x.holders), 0) : 0;
    const kinds: Record<EvidenceKind, number> = {
      wrong: e.wrong.reduce((s, x) => s + bits(x.holders), 0),
      draws: Math.min(unexplained, SCORING.maxDraws) * SCORING.drawBits,
      seed: Math.min(explained, SCORING.maxDraws) * SCORING.seedBits + e.seeds.reduce((s, x) => s + Math.min(SCORING.seedBits, bits(x.holders)), 0),
      code: fingerprintBits(e.code, CODE_WINNOW),
      text: fingerprintBits(e.text, TEXT_WINNOW),
    };
    for (const k of Object.keys(kinds) as EvidenceKind[]) kinds[k] = round(kinds[k]);
    const score = round(Object.values(kinds).reduce((s, x) => s + x, 0));
    return { a, b, e, kinds, score, sameSeed, explained, unexplained, isSample };
  }).sort((x, y) => y.score - x.score || profiles[x.a]!.id.localeCompare(profiles[y.a]!.id) || profiles[x.b]!.id.localeCompare(profiles[y.b]!.id));

  const flaggedCount = scored.filter((s) => s.score >= threshold && s.score > 0).length;
  const listed = scored.filter((s) => s.score > 0).slice(0, Math.min(MAX_LISTED, flaggedCount + (options.alsoList ?? 10)));

  const detail = (s: (typeof scored)[number]): SimilarityPair => {
    const A = profiles[s.a]!;
    const B = profiles[s.b]!;
    const sharedWrong = s.e.wrong.map(({ key, holders }) => {
      const [field, value] = key.split('\u0000') as [string, string];
      return { field, value, sharedBy: holders, bits: round(bits(holders)) };
    }).sort((x, y) => y.bits - x.bits || x.field.localeCompare(y.field));
    const sharedDraws = s.e.draws.map(({ digest, holders }) => {
      const da = A.draws.find((d) => d.digest === digest)!;
      const db = B.draws.find((d) => d.digest === digest)!;
      return { fileA: da.file, fileB: db.file, digest, bytes: da.bytes, sharedBy: holders, ...(s.sameSeed.length && da.sample ? { seed: s.sameSeed.join(', ') } : {}) };
    });
    const codeShared = new Set(s.e.code.map((c) => c.hash));
    const textShared = new Set(s.e.text.map((c) => c.hash));
    const reasons: string[] = [];
    if (s.kinds.wrong) reasons.push(`${plural(sharedWrong.length, 'wrong answer')} in common (${sharedWrong.slice(0, 3).map((w) => `${w.field} = ${w.value}, given by ${w.sharedBy} of ${n}`).join('; ')}${sharedWrong.length > 3 ? '; …' : ''})`);
    const strong = sharedDraws.filter((d) => d.seed === undefined);
    if (s.kinds.draws) reasons.push(`${plural(strong.length, 'random draw')} byte for byte identical (${strong.map((d) => d.fileA === d.fileB ? d.fileA : `${d.fileA} and ${d.fileB}`).join(', ')}), which no shared seed explains`);
    if (s.kinds.seed) {
      const parts = [];
      if (s.explained) parts.push(`${plural(s.explained, 'identical init sample')}, and both notebooks set seed ${s.sameSeed.join(', ')}`);
      if (s.e.seeds.length) parts.push(`the same uncommon seed ${s.e.seeds.map((x) => `${x.value} (set by ${x.holders} of ${n})`).join(', ')}`);
      reasons.push(`Same seed: ${parts.join('; ')}`);
    }
    if (s.kinds.code) reasons.push(`${plural(s.e.code.length, 'code fingerprint')} in common beyond the template and the course's common code`);
    if (s.kinds.text) reasons.push(`${plural(s.e.text.length, 'written-answer fingerprint')} in common beyond the homework's text`);
    return {
      a: A.id, b: B.id, score: s.score, flagged: s.score >= threshold, kinds: s.kinds, reasons,
      wrong: sharedWrong, draws: sharedDraws,
      seeds: s.e.seeds.map((x) => ({ value: x.value, sharedBy: x.holders })),
      code: s.kinds.code ? sideBySide(A.code, B.code, codeShared, CODE_WINNOW.k) : [],
      text: s.kinds.text ? sideBySide(A.text, B.text, textShared, TEXT_WINNOW.k) : [],
    };
  };

  const commonDraws = draws.common(maxHolders);
  const notes: string[] = [];
  if (flaggedCount > MAX_LISTED) notes.push(`${flaggedCount} pairs are at or above the threshold; the ${MAX_LISTED} highest are listed (similarity.json holds the same)`);
  if (commonDraws.length) {
    notes.push(`${plural(commonDraws.length, 'identical draw')} held by more than ${maxHolders} submissions ${commonDraws.length === 1 ? 'was' : 'were'} set aside as course-wide (a seed and code that many share), the largest by ${Math.max(...commonDraws.map(([, c]) => c))}`);
  }
  return {
    version: SIMILARITY_VERSION,
    submissions: n,
    pairsWithEvidence: scored.filter((s) => s.score > 0).length,
    threshold,
    method: [
      `Code: each code cell's Python tokens, with comments and whitespace dropped, literals as placeholders and the names a pair chose as one symbol; winnowed with k = ${CODE_WINNOW.k} tokens and windows of w = ${CODE_WINNOW.w}, so any shared run of ${CODE_WINNOW.k + CODE_WINNOW.w - 1} tokens is seen (Schleimer, Wilkerson, Aiken 2003).`,
      `Written answers: Markdown cells and hw2.json's texts as lower-cased words, k = ${TEXT_WINNOW.k}, w = ${TEXT_WINNOW.w} (any shared run of ${TEXT_WINNOW.k + TEXT_WINNOW.w - 1} words is seen).`,
      `Base: ${base.code.size} fingerprints of the template's code, ${base.text.size} of the homework's text and the seeds they give (${[...base.seeds].join(', ') || 'none'}) are ignored; so is anything more than ${maxHolders} of the ${n} submissions share (${Math.round(commonShare * 100)}%).`,
      `Scores are bits: sharing what n of the ${n} submissions hold is worth log2((${n} − 1)/(n − 1)); a code or text fingerprint counts (w + 1)/(2k) of that ((${(CODE_WINNOW.w + 1) / (2 * CODE_WINNOW.k)} and ${(TEXT_WINNOW.w + 1) / (2 * TEXT_WINNOW.k)}: kept k-grams overlap) and only from ${SCORING.minFingerprints} shared on; an identical draw ${SCORING.drawBits} bits a file, an init sample ${SCORING.seedBits} when both notebooks set the same seed (no seed explains identical trained weights or histories); a shared uncommon seed at most ${SCORING.seedBits}.`,
      'Wrong answers are the values result.json marks wrong; a right answer is never evidence.',
    ],
    notes,
    pairs: listed.map(detail),
  };
}
