/**
 * Harness faults: small classes with a stable code and a message that says what to do.
 * Faults of a submission are never thrown; they become check results.
 */
export class HarnessError extends Error {
  constructor(readonly code: string, message: string) {
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
