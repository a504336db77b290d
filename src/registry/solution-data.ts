/**
 * What a pair's solution module answered, as plain data for the checks (the sandbox that
 * produced it is src/engine/solution.ts). Pure: a check that asks whether the module exports
 * a function pulls in nothing of the sandbox.
 */
import type { Isolation } from '../core/vocabulary.ts';
import type { CallResult, ExportInfo, SandboxError } from '../sandbox/types.ts';

export interface SolutionData {
  /** The module's file name, when the submission has one. */
  file?: string;
  /** Why the module could not be used at all (compile or load failure). */
  loadError?: SandboxError;
  exports: ExportInfo[];
  results: Record<string, CallResult>;
  /** The `answers` export, not yet validated. */
  answers?: unknown;
  /** What walled the child in (result.json's `solution.isolation`). */
  isolation?: Isolation;
  output?: string;
  /** Wall-clock time spent in the sandbox, ms. */
  ms: number;
}

export const NO_SOLUTION: SolutionData = { exports: [], results: {}, ms: 0 };

export function exportsFunction(data: SolutionData | undefined, name: string): boolean {
  return !!data?.exports.some((e) => e.name === name && e.kind === 'function');
}
