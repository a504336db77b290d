/**
 * What `hw2 similarity` found, as plain data: made by src/similarity, written to
 * similarity.json and rendered by src/report/similarity.ts. Every string in it may come from a
 * submission (file names, code, answers): renderers escape all of it. Nothing here is a
 * verdict: pairs are ranked by evidence, and a person judges.
 */

export const SIMILARITY_VERSION = 1;

/** The kinds of evidence, each scored on its own (in bits: see SimilarityPair.kinds). */
export const EVIDENCE_KINDS = ['wrong', 'draws', 'seed', 'code', 'text'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const EVIDENCE_TITLES: Record<EvidenceKind, string> = {
  wrong: 'Same wrong answers',
  draws: 'Identical random draws',
  seed: 'Same seed',
  code: 'Notebook code',
  text: 'Written answers',
};

/** A piece of a document: `match` when it lies in a region both sides share. */
export interface Segment {
  text: string;
  match: boolean;
}

/** One document of each side (a code cell, a Markdown cell, an answer), with the shared regions marked. */
export interface SideBySide {
  a: { label: string; segments: Segment[] };
  b: { label: string; segments: Segment[] };
  /** Fingerprints the two documents share (base and course-wide ones left out). */
  shared: number;
}

export interface SharedWrongAnswer {
  /** `<check id> <field>`, e.g. "q2.gradients w3". */
  field: string;
  value: string;
  /** Submissions of the course that gave this value in this field. */
  sharedBy: number;
  bits: number;
}

export interface SharedDraw {
  fileA: string;
  fileB: string;
  /** sha256 of the values (an .npy file's data after its header; any other file's bytes). */
  digest: string;
  bytes: number;
  sharedBy: number;
  /** The seed both notebooks set, when one explains the identity (then it is weaker evidence). */
  seed?: string;
}

export interface SimilarityPair {
  a: string;
  b: string;
  /** The sum of `kinds`. */
  score: number;
  /** At or above the report's threshold. */
  flagged: boolean;
  /** Evidence per kind in bits: log2 of how much less likely an independent pair is to share it. */
  kinds: Record<EvidenceKind, number>;
  /** One sentence per kind that has any evidence. */
  reasons: string[];
  wrong: SharedWrongAnswer[];
  draws: SharedDraw[];
  seeds: { value: string; sharedBy: number }[];
  code: SideBySide[];
  text: SideBySide[];
}

export interface SimilarityReport {
  version: typeof SIMILARITY_VERSION;
  /** Submissions compared. */
  submissions: number;
  /** Pairs with any evidence at all (the rest of the n(n−1)/2 share nothing uncommon). */
  pairsWithEvidence: number;
  /** Score at and above which a pair is listed as flagged. */
  threshold: number;
  /** How the evidence was gathered, in sentences (the k-grams, windows, base, what was set aside). */
  method: string[];
  /** What could not be read, one line each. */
  notes: string[];
  /** Ranked, highest score first; the flagged ones and at most a few below them. */
  pairs: SimilarityPair[];
}
