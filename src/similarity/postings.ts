/**
 * An inverted index: each key (a fingerprint, a wrong value in a field, a draw's digest, a
 * seed) with the submissions that hold it. Pairs are found from the keys they share, never by
 * comparing every pair's texts: the work is the sum over keys of (submissions holding it)²,
 * and keys that more than `maxHolders` submissions hold (a course-wide idiom, the template, a
 * seed everyone uses) are set aside before any pair is formed. Pure.
 */

export class Postings<K> {
  private readonly holders = new Map<K, number[]>();

  /** Records that submission `who` (an index, added in increasing order) holds `key`; twice is once. */
  add(key: K, who: number): void {
    const list = this.holders.get(key);
    if (!list) this.holders.set(key, [who]);
    else if (list.at(-1) !== who) list.push(who);
  }

  /** How many submissions hold `key` (0 when none). */
  count(key: K): number {
    return this.holders.get(key)?.length ?? 0;
  }

  /** Keys held by more than `maxHolders` submissions, with their counts. */
  common(maxHolders: number): [K, number][] {
    return [...this.holders].filter(([, list]) => list.length > maxHolders).map(([key, list]) => [key, list.length]);
  }

  /**
   * Calls `visit(a, b, key, holders)` (a < b) for every pair of submissions that share a key
   * held by 2..maxHolders submissions.
   */
  forEachSharedPair(maxHolders: number, visit: (a: number, b: number, key: K, holders: number) => void): void {
    for (const [key, list] of this.holders) {
      if (list.length < 2 || list.length > maxHolders) continue;
      for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) visit(list[i]!, list[j]!, key, list.length);
    }
  }
}
