/**
 * Content keys: a result is reused only when everything that can change it is the same as
 * when it was made: the submission's bytes (and the names and kinds of its entries: links,
 * files with other names (hard links), names that are not UTF-8 and other non-files
 * included, since intake refuses those), the rubric, the seed, the mode, the harness's own
 * sources and installed backends, and the data it was measured on.
 */
import { createHash } from 'node:crypto';
import { hashContent } from '../intake/digest.ts';
import type { Rubric } from '../rubric/rubric.ts';
import { harnessFingerprint } from './fingerprint.ts';

export interface KeyContext {
  rubric: Rubric;
  seed: number;
  mode: string;
  /** Which data the checks measure on, by content (src/data/plan.ts planFingerprint). */
  data: string;
  /** Why intake refused the upload, if it did (a limit, the roster): a changed reason regrades. */
  problem?: string;
}

export async function cacheKey(path: string, context: KeyContext): Promise<string> {
  const hash = createHash('sha256');
  const { rubric: { manual: _notesForTas, ...rubric }, seed, mode, data, problem } = context;
  // The rubric's manual section (a TA's notes and rubric items, hw2 review) changes no check: no regrade.
  hash.update(JSON.stringify({ harness: harnessFingerprint(), rubric, seed, mode, data, problem: problem ?? null }));
  await hashContent(hash, path, context.rubric.limits.intake);
  return hash.digest('hex');
}
