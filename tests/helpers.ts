/** Shared test helpers: a rubric, answers built from the correct example, and a grader. */
import { readFileSync } from 'node:fs';
import { CHECK_IDS, RUBRIC_DEFAULTS, REGISTRY } from '../checks/index.ts';
import type { Answers } from '../src/contract/schema.ts';
import { DEFAULT_RUBRIC_PATH, loadRubric, type Rubric } from '../src/rubric/rubric.ts';
import type { Evidence, IntegrityWarning, Outcome } from '../src/core/vocabulary.ts';
import type { CheckInput, Need } from '../src/registry/define.ts';
import { NO_SOLUTION } from '../src/registry/solution-data.ts';

export const RUBRIC: Rubric = loadRubric(DEFAULT_RUBRIC_PATH, RUBRIC_DEFAULTS);

/** The correct example's answers (solutions/correct, written by an independent Python script). */
export function correctAnswers(): Answers {
  return JSON.parse(readFileSync(new URL('../solutions/correct/hw2.json', import.meta.url), 'utf8')).answers;
}

/** Every input a check may declare, empty: tests fill in the ones they exercise. */
export function fullInput(answers: Answers, rubric: Rubric = RUBRIC, seed = 211): CheckInput<Need> {
  return { answers, rubric, seed, solution: NO_SOLUTION, arrays: {}, files: [], notebook: undefined, models: {}, histories: {} };
}

/** An outcome flattened for assertions: the fraction of any kind (0 unless graded), diagnoses as one text. */
export interface Judged {
  kind: Outcome['kind'];
  fraction: number;
  message: string;
  diagnosis?: string;
  codes: string[];
  notSubmitted: boolean;
  text?: string;
  evidence?: Evidence;
  expected?: unknown;
  actual?: unknown;
  seed?: number;
  integrity?: IntegrityWarning[];
}

export function judged(outcome: Outcome): Judged {
  const diagnoses = outcome.kind === 'graded' ? outcome.diagnoses ?? [] : [];
  return {
    ...outcome,
    fraction: outcome.kind === 'graded' ? outcome.fraction : 0,
    ...(diagnoses.length ? { diagnosis: diagnoses.map((d) => d.text).join('; ') } : {}),
    codes: diagnoses.map((d) => d.code),
    notSubmitted: outcome.kind === 'notSubmitted',
  };
}

export function runCheck(id: string, answers: Answers, rubric: Rubric = RUBRIC, seed = 211): Judged {
  const check = REGISTRY.find((c) => c.id === id);
  if (!check) throw new Error(`no check ${id}`);
  return judged(check.run(fullInput(answers, rubric, seed)));
}
