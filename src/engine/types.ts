/**
 * The vocabulary of grading: what a check is, what it returns, and what a graded
 * submission looks like. Everything here is plain data so that the console, JSON, HTML
 * and PDF renderers all read the same thing.
 */
import type { Rubric } from './rubric.ts';
import type { Answers } from '../contract/schema.ts';
import type { Probe, SolutionData } from './solution.ts';
import type { LoadedArray } from '../data/attachments.ts';
import type { ParsedNotebook } from '../intake/notebook.ts';
import type { Evaluated } from '../models/evaluate.ts';
import type { ParsedHistory } from '../data/history.ts';

export const QUESTIONS = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'task1', 'task2', 'task3', 'rules'] as const;
export type QuestionId = (typeof QUESTIONS)[number];

export type Status = 'pass' | 'partial' | 'fail' | 'error' | 'manual' | 'skipped' | 'hidden';
export type Visibility = 'public' | 'hidden';
export type CheckKind = 'auto' | 'manual';

export type Verdict = 'right' | 'carried' | 'wrong' | 'missing';

/** Data a check leaves for the reports to draw; plain and serializable. */
export type Evidence =
  | { type: 'table'; columns: string[]; rows: { cells: (string | number | null)[]; verdicts: (Verdict | null)[] }[] }
  | {
      type: 'histogram';
      label: string;
      /** Equal-width bins over [min, max]. */
      min: number;
      max: number;
      counts: number[];
      /** The expected count per bin under the correct distribution. */
      expected: number[];
      expectedName: string;
    }
  | { type: 'curves'; xLabel: string; yLabel: string; x: number[]; series: Record<string, number[]> }
  | { type: 'thresholds'; label: string; value: number; thresholds: { label: string; value: number }[] };

/** What a check function returns: a fraction of its points and why. Never thrown. */
export interface Outcome {
  /** Share of the check's points earned, 0..1. Ignored for manual outcomes. */
  fraction: number;
  message: string;
  /** A named misconception that explains a wrong answer ("VGG without biases"). */
  diagnosis?: string;
  expected?: unknown;
  actual?: unknown;
  /** The pair's own words for a manual check, carried for the TA to read. */
  text?: string;
  /** Set when the answer is missing: scored 0 as "not submitted". */
  notSubmitted?: boolean;
  /** Set for manual checks: a TA gives the points. */
  manual?: boolean;
  /** Set when the check could not be evaluated because the submission's input is broken. */
  inputError?: boolean;
  /**
   * Set when the check could not run because the grading machine lacks something (a dataset,
   * onnxruntime's binary, a child that cannot start): never the student's fault, so its points
   * are held back as "not graded yet" instead of being scored 0.
   */
  environmentError?: boolean;
  /** Replay information for random checks. */
  seed?: number;
  evidence?: Evidence;
  /** A claim that the harness's own measurement contradicts. */
  integrity?: IntegrityWarning[];
}

export interface IntegrityWarning {
  what: string;
  claimed: number;
  measured: number;
}

/** Everything a check may look at. Built once per submission, before any check runs. */
export interface CheckInput {
  answers: Answers;
  /** Problems found while reading each part of hw2.json, keyed by question. */
  partErrors: Partial<Record<QuestionId, string[]>>;
  rubric: Rubric;
  seed: number;
  /** What the pair's solution module answered to the probes (empty without a module). */
  solution: SolutionData;
  /** Arrays the submission's files hold (.npy samples), keyed by file name. */
  arrays: Record<string, LoadedArray>;
  /** The submission's files and notebook, for the submission-rules checks. */
  files: { name: string; bytes: number }[];
  notebook?: ParsedNotebook;
  /** The manifest's group ids, when hw2.json could be read. */
  groupIds?: string[];
  /** Models measured by the harness, keyed by their answer path (task2.model, ...). */
  models: Record<string, Evaluated>;
  /** Training histories, keyed by file name. */
  histories: Record<string, ParsedHistory>;
}

export interface CheckDef {
  id: string;
  question: QuestionId;
  title: string;
  kind: CheckKind;
  /** Calls to make in the pair's module before grading, if it exports the function. */
  probes?(rubric: Rubric, seed: number): Probe[];
  run(input: CheckInput): Outcome;
}

/** One row of result.json. */
export interface CheckResult {
  id: string;
  question: QuestionId;
  title: string;
  kind: CheckKind;
  visibility: Visibility;
  status: Status;
  score: number;
  points: number;
  message: string;
  diagnosis?: string;
  expected?: unknown;
  actual?: unknown;
  text?: string;
  seed?: number;
  evidence?: Evidence;
  /** A TA's points and comment for a manual check (hw2 grade --manual). */
  ta?: { points: number; comment: string };
  /**
   * Why a status error is not the student's: 'environment', the grading machine lacked
   * something; 'harness', the harness itself failed. Either way the points are held back.
   */
  cause?: 'environment' | 'harness';
}

export interface SubmissionResult {
  contract: 1;
  harness: { name: 'hw2-harness'; version: string };
  mode: 'grade' | 'check';
  /** sha256 of the submission's bytes, the rubric, the seed, the mode and the harness version. */
  cacheKey?: string;
  submission: { id: string; path: string; group?: { ids: string[]; names?: string[] }; hash: string; files?: { name: string; bytes: number }[] };
  score: number;
  maxScore: number;
  /** Points of manual checks that still wait for a TA. */
  pendingManual: number;
  /**
   * Points of checks that failed through no fault of the submission (status error with a
   * `cause`: the grading machine lacked something): not graded yet, and not part of `score`.
   */
  heldBack: number;
  /**
   * One line per held-back check, "task2.accuracy: <why it could not run>". Not empty means
   * the submission is incomplete: its score is not a grade yet.
   */
  incomplete: string[];
  problems: string[];
  /** Claims that the harness's measurements contradict, with both numbers. */
  integrity?: IntegrityWarning[];
  /** The solution module, when there was one: how it ran and what it printed. */
  solution?: { file: string; isolation?: import('../sandbox/types.ts').Isolation; ms: number; exports: string[]; output?: string; error?: string };
  checks: CheckResult[];
}
