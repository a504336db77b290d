/**
 * The exit codes of `hw2`, and which harness error ends in which: the one table. `run()` in
 * main.ts uses it for every error, each command for its own result; --help (help.mjs) and the
 * README say the same in words (tests/cli/help.test.ts keeps --help in step).
 */
import { HarnessError, type ErrorCode } from '../core/errors.ts';

export const EXIT = {
  /** Every submission fully graded, or the command did its work. */
  graded: 0,
  /**
   * Not fully graded: points held back (the grading machine lacked something, or the harness
   * failed), an output not written; or a command that could not do its work (a download
   * failed, training data is missing). Also any error the harness did not expect.
   */
  notFullyGraded: 1,
  /** Bad usage: an unknown command or option, a bad value, rubric, manual CSV or roster. */
  usage: 2,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Each harness error's exit code, by its code. */
export const EXIT_CODE_OF: Readonly<Record<ErrorCode, ExitCode>> = {
  E_USAGE: EXIT.usage,
  E_RUBRIC: EXIT.usage,
  E_DATA: EXIT.notFullyGraded,
};

/** A harness error: thrown on purpose, with a code and a message for the user (no stack). */
export const isHarnessError = (error: unknown): error is HarnessError =>
  error instanceof HarnessError && Object.hasOwn(EXIT_CODE_OF, error.code);

/** The exit code a thrown value ends `hw2` with: a harness error's by its code; anything else is 1. */
export function exitCodeOf(error: unknown): ExitCode {
  return isHarnessError(error) ? EXIT_CODE_OF[error.code] : EXIT.notFullyGraded;
}
