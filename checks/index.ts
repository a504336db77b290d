/**
 * The registry: every check of the homework, in report order. It is the single source of
 * truth for what is graded: the rubric's skeleton, `hw2 rubric`, the question a check belongs
 * to, and the README's table of checks are all made from it (src/registry/describe.ts).
 * Adding a check is one definition in its question's file (its id, title, inputs, points and
 * visibility, and `run`), listed here, plus one flawed example under solutions/ and its line in
 * tests/e2e/cli.test.ts.
 */
import { registryProblems, type Registry } from '../src/registry/define.ts';
import { rubricDefaults } from '../src/registry/describe.ts';
import { q1Checks } from './q1.ts';
import { q2Checks } from './q2.ts';
import { q3Checks } from './q3.ts';
import { q4Checks } from './q4.ts';
import { q5Checks } from './q5.ts';
import { q6Checks } from './q6.ts';
import { task1Checks } from './task1.ts';
import { task2Checks } from './task2.ts';
import { task3Checks } from './task3.ts';
import { ruleChecks } from './rules.ts';

const ALL = [
  ...q1Checks, ...q2Checks, ...q3Checks, ...q4Checks, ...q5Checks, ...q6Checks,
  ...task1Checks, ...task2Checks, ...task3Checks, ...ruleChecks,
] as const;

/** Every check's id, as a type: a misspelt id in code is a compile error. */
export type CheckId = (typeof ALL)[number]['id'];

// A registry with a repeated id or a misplaced one is the harness's bug: refuse to grade with it.
const problems = registryProblems(ALL);
if (problems.length) throw new Error(`checks/index.ts: the registry is not well formed: ${problems.join('; ')}`);

export const REGISTRY: Registry = ALL;
export const CHECK_IDS: readonly CheckId[] = ALL.map((c) => c.id);
/** Each check's points and visibility from its definition: a rubric overrides only what it names. */
export const RUBRIC_DEFAULTS = rubricDefaults(REGISTRY);
