/**
 * The vocabulary of grading: questions, what a check returns, and what a graded submission
 * looks like. A leaf: it imports nothing of the project, so every layer can speak it, and
 * everything here is plain, serializable data that the console, JSON, HTML, PDF and grade
 * sheets all read the same way. Words are made from it only by renderers.
 */

/** The homework's questions and tasks, in report order, each with the title reports show. */
export const QUESTION_TITLES = {
  q1: 'Q1 Generalization (teacher–student)',
  q2: 'Q2 Backpropagation by hand',
  q3: 'Q3 Deep double descent',
  q4: 'Q4 Initialization',
  q5: 'Q5 MLP and invariance',
  q6: 'Q6 VGG architecture',
  task1: 'Task 1 Activation and initialization',
  task2: 'Task 2 FashionMNIST MLP',
  task3: 'Task 3 SVHN CNN',
  rules: 'Submission rules',
} as const;
export type QuestionId = keyof typeof QUESTION_TITLES;
export const QUESTIONS = Object.keys(QUESTION_TITLES) as QuestionId[];

export type Status = 'pass' | 'partial' | 'fail' | 'error' | 'manual' | 'hidden';
export type Visibility = 'public' | 'hidden';
export type CheckKind = 'auto' | 'manual';
/** Why a check that did not run is not the student's fault: its points are held back. */
export type HeldBackCause = 'environment' | 'harness';

export type Verdict = 'right' | 'carried' | 'wrong' | 'missing';

/**
 * A named misconception that explains a wrong answer. `code` is stable (the summary counts
 * by it; "q6.no-biases"), `text` is what a student reads, `path` the answer it is about.
 */
export interface Diagnosis {
  code: string;
  text: string;
  path?: string;
}

/** Something wrong with an input (hw2.json, a file): where it is and what was expected. */
export interface Issue {
  code: string;
  /** The file and JSON path, as the submission names them ("hw2.json answers.q2.forward.E"). */
  path?: string;
  text: string;
}

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

/** A claim that the harness's own measurement contradicts. */
export interface IntegrityWarning {
  what: string;
  claimed: number;
  measured: number;
}

/** What a check saw besides its verdict: shown to the student, and to a TA. */
interface Shown {
  message: string;
  expected?: unknown;
  actual?: unknown;
  /** Replay information for random checks. */
  seed?: number;
  evidence?: Evidence;
}

/**
 * What a check returns. Never thrown. Exactly one kind, so what a result means is decided
 * where the check decides it, not read back from flags afterwards:
 * - graded: the answer was judged; `fraction` of the points (0..1);
 * - notSubmitted: the answer is absent: 0, "not submitted";
 * - inputError: the answer is there but cannot be read (a broken part, a file that does not
 *   parse, a module that throws): 0, status error;
 * - manual: a TA gives the points; `text` is the pair's own words for the TA to read;
 * - harnessError: the check could not run through no fault of the submission (the grading
 *   machine lacked something, or the harness failed): its points are held back.
 */
export type Outcome =
  | (Shown & { kind: 'graded'; fraction: number; diagnoses?: Diagnosis[]; integrity?: IntegrityWarning[] })
  | (Shown & { kind: 'notSubmitted' })
  | (Shown & { kind: 'inputError'; issues?: Issue[] })
  | (Shown & { kind: 'manual'; text?: string })
  | (Shown & { kind: 'harnessError'; cause: HeldBackCause });

/** What the sandbox put around a solution module as it ran (result.json's `solution.isolation`). */
export interface Isolation {
  /**
   * 'bubblewrap': own user, PID, mount, IPC, UTS and network namespaces, only the runtime and
   * the child's read paths mounted, read-only. 'unshare-net': a network namespace only.
   * 'none': no OS wall; the permission model and in-process seals alone.
   */
  os: 'bubblewrap' | 'unshare-net' | 'none';
  /** 'nobody': uid/gid 65534 (inside bubblewrap's namespace, or set by a root grader); 'same': the grader's. */
  user: 'nobody' | 'same';
  permissionModel: true;
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
  diagnoses?: Diagnosis[];
  /** What could not be read, for an input error (the message says it in words). */
  issues?: Issue[];
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
  cause?: HeldBackCause;
}

export interface SubmissionResult {
  contract: 1;
  /** The shape of this record (src/core/result-schema.ts); merge and the cache refuse others. */
  resultVersion: number;
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
  solution?: { file: string; isolation?: Isolation; ms: number; exports: string[]; output?: string; error?: string };
  checks: CheckResult[];
}

/** The words of a row's diagnoses, for renderers that show them on one line. */
export const diagnosisText = (c: Pick<CheckResult, 'diagnoses'>): string | undefined =>
  c.diagnoses?.length ? c.diagnoses.map((d) => d.text).join('; ') : undefined;
