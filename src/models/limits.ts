/** Limits of model evaluation (rubric `limits.models`): a leaf, so the rubric can import it cheaply. */

export interface ModelLimits {
  /** Starting the evaluator child (its own code, not the model). */
  loadTimeoutMs: number;
  /** One model's evaluation: loading it and measuring it on the test set, with noise. */
  callTimeoutMs: number;
  /** All models of one submission together: a slow model spends its own pair's budget. */
  submissionTimeoutMs: number;
  heapMb: number;
  rssMb: number;
  /** The rubric's limits.sandbox.requireOsIsolation, which binds model evaluation too. */
  requireOsIsolation?: boolean;
}

/**
 * A CNN measured on SVHN's 26,032 test images clean and at 3 noise levels takes about 20 s in
 * the evaluator on one core of a busy 2-core machine (`npm run bench -- course`, README
 * "Grading a course"); four models fit in 300 s with room for a slower or busier machine.
 */
export const DEFAULT_MODEL_LIMITS: ModelLimits = {
  loadTimeoutMs: 30_000, callTimeoutMs: 120_000, submissionTimeoutMs: 300_000, heapMb: 2048, rssMb: 3072,
};
