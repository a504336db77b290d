/** Shared test helpers: a rubric, answers built from the correct example, and a grader. */
import { readFileSync } from 'node:fs';
import { CHECK_IDS, CHECKS } from '../checks/index.ts';
import type { Answers } from '../src/contract/schema.ts';
import { DEFAULT_RUBRIC_PATH, loadRubric, type Rubric } from '../src/engine/rubric.ts';
import type { CheckInput, Outcome } from '../src/engine/types.ts';
import { NO_SOLUTION } from '../src/engine/solution.ts';

export const RUBRIC: Rubric = loadRubric(DEFAULT_RUBRIC_PATH, CHECK_IDS);

/** The correct example's answers (solutions/correct, written by an independent Python script). */
export function correctAnswers(): Answers {
  return JSON.parse(readFileSync(new URL('../solutions/correct/hw2.json', import.meta.url), 'utf8')).answers;
}

export function runCheck(id: string, answers: Answers, rubric: Rubric = RUBRIC, seed = 211): Outcome {
  const check = CHECKS.find((c) => c.id === id);
  if (!check) throw new Error(`no check ${id}`);
  const input: CheckInput = { answers, partErrors: {}, rubric, seed, solution: NO_SOLUTION, arrays: {}, files: [], models: {}, histories: {} };
  return check.run(input);
}
