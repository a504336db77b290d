/**
 * Harness faults: small classes with a stable code and a message that says what to do.
 * Faults of a submission are never thrown; they become check results.
 */

/**
 * Every code a harness error may carry. src/cli/exit-codes.ts maps each to the exit code it
 * ends `hw2` with (a new code does not compile until it has a row there).
 */
export type ErrorCode =
  /** Bad usage: an unknown command or option, a bad value, an unreadable manual CSV or roster. */
  | 'E_USAGE'
  /** A rubric that cannot be read or does not validate. */
  | 'E_RUBRIC'
  /** Data a command needs (a training set, a download) is not there; nothing was wrong with how it was asked. */
  | 'E_DATA';

export class HarnessError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
    this.name = 'HarnessError';
  }
}

export class UsageError extends HarnessError {
  constructor(message: string) {
    super('E_USAGE', message);
  }
}

export class RubricError extends HarnessError {
  constructor(file: string, message: string) {
    super('E_RUBRIC', `${file}: ${message}`);
  }
}

export class DataError extends HarnessError {
  constructor(message: string) {
    super('E_DATA', message);
  }
}
