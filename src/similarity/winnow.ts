/**
 * Winnowing (Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms for document
 * fingerprinting", SIGMOD 2003): hash every k-gram of a sequence, slide a window of w
 * consecutive hashes over them, and keep the minimum of each window (the rightmost one when
 * several tie), each position once. The guarantee it gives, and that tests/similarity/winnow.test.ts
 * checks directly: two sequences that share a run of at least w + k − 1 symbols share a
 * fingerprint, because that run holds w whole k-grams, a full window, whose minimum both keep.
 * Pure; the sequences are of normalised tokens or words (normalize.ts), not characters.
 */

export interface Fingerprint {
  /** The k-gram's hash (52 bits, exact in a double). */
  hash: number;
  /** Index of the k-gram's first symbol in the sequence. */
  pos: number;
}

export interface WinnowSettings {
  /** Symbols per k-gram: matches shorter than k are noise and are never seen. */
  k: number;
  /** k-grams per window: any match of w + k − 1 symbols or more is certain to be seen. */
  w: number;
}

/** A 52-bit hash of a string: FNV-1a (32 bits) beside a 20-bit djb2, so collisions among a course's millions of k-grams are negligible. */
export function hashString(text: string): number {
  let fnv = 0x811c9dc5;
  let djb = 5381;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    fnv = Math.imul(fnv ^ c, 0x01000193);
    djb = (Math.imul(djb, 33) + c) | 0;
  }
  return (fnv >>> 0) * 0x100000 + (djb & 0xfffff);
}

/** The hash of every k-gram of `symbols`, in order (empty when there are fewer than k). */
export function kgramHashes(symbols: readonly string[], k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i + k <= symbols.length; i++) out.push(hashString(symbols.slice(i, i + k).join('\u0001')));
  return out;
}

/**
 * The fingerprints winnowing keeps of `hashes`: in each window of w, the minimum, the
 * rightmost on ties, recorded once however many windows select it. A sequence with fewer
 * than w hashes is one window.
 */
export function winnow(hashes: readonly number[], w: number): Fingerprint[] {
  if (!hashes.length) return [];
  const width = Math.min(w, hashes.length);
  const kept: Fingerprint[] = [];
  let last = -1;
  for (let start = 0; start + width <= hashes.length; start++) {
    let min = start;
    for (let i = start + 1; i < start + width; i++) if (hashes[i]! <= hashes[min]!) min = i;
    if (min !== last) {
      kept.push({ hash: hashes[min]!, pos: min });
      last = min;
    }
  }
  return kept;
}

/** The fingerprints of a symbol sequence. */
export const fingerprints = (symbols: readonly string[], settings: WinnowSettings): Fingerprint[] => winnow(kgramHashes(symbols, settings.k), settings.w);
