/** The registry: every check of the homework, in report order. Ids are unique and stable. */
import type { CheckDef } from '../src/engine/types.ts';
import { q1Checks } from './q1.ts';
import { q2Checks } from './q2.ts';
import { q3Checks } from './q3.ts';
import { q4Checks } from './q4.ts';
import { q5Checks } from './q5.ts';
import { q6Checks } from './q6.ts';
import { task1Checks } from './task1.ts';
import { task3Checks } from './task3.ts';
import { task2Checks } from './task2.ts';
import { ruleChecks } from './rules.ts';

export const CHECKS: readonly CheckDef[] = [
  ...q1Checks, ...q2Checks, ...q3Checks, ...q4Checks, ...q5Checks, ...q6Checks, ...task1Checks, ...task2Checks, ...task3Checks, ...ruleChecks,
];
export const CHECK_IDS: readonly string[] = CHECKS.map((c) => c.id);
