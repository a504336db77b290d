/**
 * The rubric: points and visibility per check, tolerances, thresholds, the Q3 key and the
 * homework's instances. A TA edits the JSON file; this module validates it once, at the
 * boundary, into a complete object the checks can trust.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DD_TYPES, Q5_INVARIANCES, Q5_SCALE_EFFECTS } from '../contract/schema.ts';
import { RubricError } from '../core/errors.ts';
import { formatIssue } from '../intake/issues.ts';
import { DEFAULT_SANDBOX_LIMITS } from '../sandbox/types.ts';
import { DEFAULT_ZIP_LIMITS } from '../sandbox/zip.ts';
import { DEFAULT_LOAD_LIMITS } from '../contract/load.ts';
import { DEFAULT_STAGE_LIMITS } from '../intake/stage.ts';
import { DEFAULT_MODEL_LIMITS } from '../models/limits.ts';

/** Longest string a result keeps (src/engine/bound.ts): a message, a text, printed output. */
export const DEFAULT_MAX_STRING_CHARS = 20_000;
/** Ids, names and file names: one line of a table, not a paragraph. */
export const DEFAULT_MAX_NAME_CHARS = 200;

/** Time and memory of a child process: the solution sandbox's and the model evaluator's. */
const childLimits = {
  loadTimeoutMs: z.number().int().positive(),
  callTimeoutMs: z.number().int().positive(),
  submissionTimeoutMs: z.number().int().positive(),
  heapMb: z.number().int().min(16),
  rssMb: z.number().int().min(64),
};

const range = z.strictObject({ min: z.number(), max: z.number() });
/** Accepted printed values: the std within [min, max] and |mean| at most meanAbs (or mean in a range). */
const printedRange = z.strictObject({ std: range, meanAbs: z.number().positive().optional(), mean: range.optional() });

const q3Plot = z.strictObject({
  type: z.enum(DD_TYPES),
  critical: z.strictObject({ min: z.number(), max: z.number(), axis: z.string() }),
});

/** Judging hand-computed numbers at the precision they were written at (src/util/numeric.ts). */
const precision = z.strictObject({
  $comment: z.string().optional(),
  /** The fewest significant digits a number is judged at: JSON drops trailing zeros (0.5000 arrives as 0.5). */
  minSignificantDigits: z.number().int().min(1).max(17).default(4),
  /** Relative slack for a number written with many digits: a notebook computes in float32 (about 6e-8 per operation). */
  floatRelTolerance: z.number().nonnegative().max(0.001).default(1e-5),
});

export const RubricSchema = z.strictObject({
  $comment: z.string().optional(),
  rubricVersion: z.literal(1),
  total: z.number().positive(),
  /**
   * Overrides of the checks' own rubric entries (points and visibility, each optional): a
   * check the rubric does not name keeps the entry its definition gives (checks/*.ts).
   */
  checks: z.record(z.string(), z.strictObject({
    points: z.number().nonnegative().optional(),
    visibility: z.enum(['public', 'hidden']).optional(),
  })).default({}),
  /** How Q2's, Q4's and Q6's hand-computed numbers and the constants of Q4's σ are judged (README, "Judging at the written precision"). */
  precision: precision.prefault({}),
  q2: z.strictObject({
    instance: z.strictObject({
      x: z.array(z.number()).length(3),
      t: z.array(z.number()).length(2),
      weights: z.strictObject({
        w1: z.number(), w2: z.number(), w3: z.number(), w4: z.number(), w5: z.number(),
        w6: z.number(), w7: z.number(), w8: z.number(), w9: z.number(), w10: z.number(),
        b1: z.number(), b2: z.number(),
      }),
      alpha: z.number().positive(),
      activation: z.enum(['sigmoid', 'tanh']),
      loss: z.enum(['half-sse', 'sse']),
    }),
    /** Share of a value's credit when it follows from the pair's own earlier wrong values. */
    carriedForwardCredit: z.number().min(0).max(1),
  }),
  q3: z.strictObject({ key: z.strictObject({ a: q3Plot, b: q3Plot, c: q3Plot }) }),
  q4: z.strictObject({ sigmaCheckDims: z.array(z.number().int().positive()).min(2) }),
  q5: z.strictObject({
    invariancesKey: z.array(z.enum(Q5_INVARIANCES)).min(1),
    scaleEffectKey: z.enum(Q5_SCALE_EFFECTS),
    trials: z.number().int().min(4).max(10_000),
    relTolerance: z.number().positive(),
    /** Share of q5.reversal / q5.complement for invariant parameters that tie more weights than the constraint needs. */
    overConstrainedCredit: z.number().min(0).max(1).default(0.5),
  }),
  q6: z.strictObject({
    input: z.array(z.number().int().positive()).length(3),
    layers: z.array(z.string()).min(1),
    /**
     * What each cell of the table is worth (README, Q6): an output dimension, the parameter count
     * of a row with parameters (CONV, FC), and the 0 of a row without (INPUT, ReLU, POOL, SOFTMAX).
     */
    cellWeights: z.strictObject({
      $comment: z.string().optional(),
      output: z.number().nonnegative(),
      params: z.number().nonnegative(),
      zeroParams: z.number().nonnegative(),
    }).default({ output: 1, params: 1, zeroParams: 0.25 }),
    /**
     * A parameter count off by at least `share` of the network's total (and not carried forward)
     * weighs `weight` instead of its cell's weight: a count off by 100 M is not a slip of one cell.
     */
    largeCountError: z.strictObject({
      $comment: z.string().optional(),
      share: z.number().positive().max(1),
      weight: z.number().nonnegative(),
    }).default({ share: 0.01, weight: 10 }),
    carriedForwardCredit: z.number().min(0).max(1),
  }),
  task1: z.strictObject({
    $comment: z.string().optional(),
    nanLayer: range,
    products: z.strictObject({ stdRelTolerance: z.number().positive(), meanAbs: z.number().positive() }),
    scaled: printedRange,
    tanh: printedRange,
    xavierTanh: printedRange,
    kaimingRelu: printedRange,
    /** False-failure probability of each init check for a correct implementation. */
    initFalseFailure: z.number().positive().max(0.01),
    /**
     * The power each init check must have: a sample of any mistake the check names passes with
     * probability at most this, at the submitted size and fans; smaller samples fail as "too
     * small to test" (README, Task 1).
     */
    initMissProbability: z.number().positive().max(0.01).default(1e-6),
    /** (fanIn, fanOut) pairs drawn by fast-check for a solution module's init functions. */
    initPairs: z.number().int().min(1).max(10),
  }),
  task2: z.strictObject({
    pass: z.number().min(0).max(1),
    full: z.number().min(0).max(1),
    /** Share of the accuracy check's points at exactly `pass`, rising linearly to 1 at `full`. */
    passCredit: z.number().min(0).max(1),
    /** How far a claimed accuracy may be from the measured one before it is flagged. */
    claimTolerance: z.number().min(0).max(1),
  }),
  task3: z.strictObject({
    pass: z.number().min(0).max(1),
    full: z.number().min(0).max(1),
    passCredit: z.number().min(0).max(1),
    claimTolerance: z.number().min(0).max(1),
    /** The noise levels a of item 4: image + a·N(0,1), the image in [0, 1]. */
    noise: z.array(z.number().positive()).min(1).max(10),
  }),
  rules: z.strictObject({
    /** File extensions the course forbids in a submission (hw2.md, "Submission rules"). */
    forbiddenExtensions: z.array(z.string().regex(/^[a-z0-9]+$/)),
  }),
  /** Limits on what a submission may cost; each breach is reported as the check's error. */
  limits: z.strictObject({
    // Each field has its default, so a rubric may set only the limits it changes.
    maxManifestBytes: z.number().int().positive().default(DEFAULT_LOAD_LIMITS.maxManifestBytes),
    sandbox: z.strictObject({
      ...childLimits,
      maxReturnBytes: z.number().int().positive(),
      maxOutputBytes: z.number().int().positive(),
      /** Refuse to run student code without bubblewrap; see SandboxLimits. */
      requireOsIsolation: z.boolean().default(false),
    }).default(DEFAULT_SANDBOX_LIMITS),
    zip: z.strictObject({
      maxEntries: z.number().int().positive(),
      maxTotalBytes: z.number().int().positive(),
      maxRatio: z.number().positive(),
    }).default(DEFAULT_ZIP_LIMITS),
    /** What staging copies of a folder or zip (src/intake/stage.ts); checked before any read. */
    intake: z.strictObject({
      maxFiles: z.number().int().positive(),
      maxDepth: z.number().int().positive(),
      maxFileBytes: z.number().int().positive(),
      maxTotalBytes: z.number().int().positive(),
    }).default(DEFAULT_STAGE_LIMITS),
    /** Model evaluation (Tasks 2–3): its own limits, and one budget for all of a submission's models. */
    models: z.strictObject(childLimits).default(DEFAULT_MODEL_LIMITS),
    /** Longest string a result keeps (messages, texts, printed output...); the rest is cut with a marker. */
    maxStringChars: z.number().int().min(100).default(DEFAULT_MAX_STRING_CHARS),
    /** Longest id or name a result keeps (submission id, group ids and names, file names). */
    maxNameChars: z.number().int().min(20).default(DEFAULT_MAX_NAME_CHARS),
  }).prefault({}),
});
/** A check's entry in a rubric: its points and whether `hw2 check` shows it to students. */
export interface RubricEntry {
  points: number;
  visibility: 'public' | 'hidden';
}

/** A validated rubric: every check of the registry has its entry, overridden or not. */
export type Rubric = Omit<z.infer<typeof RubricSchema>, 'checks'> & { checks: Record<string, RubricEntry> };

export const DEFAULT_RUBRIC_PATH = fileURLToPath(new URL('../../reference/rubric.json', import.meta.url));

/**
 * Validates a rubric against the schema, and its `checks` against the registry's own entries
 * (`defaults`, one per check: src/registry/describe.ts rubricDefaults): an unknown id is an
 * error, a check the rubric leaves out keeps its default, and the points must add up to total.
 */
export function parseRubric(raw: unknown, file: string, defaults: Readonly<Record<string, RubricEntry>>): Rubric {
  const parsed = RubricSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    throw new RubricError(file, parsed.error.issues.map((i) => formatIssue('', [], i).trim()).join('; '));
  }
  const unknown = Object.keys(parsed.data.checks).filter((id) => !Object.hasOwn(defaults, id));
  if (unknown.length) throw new RubricError(file, `checks: unknown check ${unknown.join(', ')} (known: see \`hw2 rubric\`)`);
  const checks = Object.fromEntries(Object.entries(defaults).map(([id, entry]) => [id, { ...entry, ...parsed.data.checks[id] }]));
  const rubric: Rubric = { ...parsed.data, checks };
  const sum = Object.values(rubric.checks).reduce((a, c) => a + c.points, 0);
  if (Math.abs(sum - rubric.total) > 1e-9) {
    throw new RubricError(file, `checks: points add up to ${sum}, but total is ${rubric.total}; change a check's points or the total`);
  }
  for (const [plot, entry] of Object.entries(rubric.q3.key)) {
    if (entry.critical.min > entry.critical.max) throw new RubricError(file, `q3.key.${plot}.critical: min is above max`);
  }
  return rubric;
}

export function loadRubric(file: string, defaults: Readonly<Record<string, RubricEntry>>): Rubric {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RubricError(file, `cannot read the rubric (${(error as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new RubricError(file, `not valid JSON: ${(error as Error).message}`);
  }
  return parseRubric(raw, file, defaults);
}
