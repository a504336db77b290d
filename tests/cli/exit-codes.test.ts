/**
 * The one table of exit codes: 0 graded, 1 not fully graded (or a command could not do its
 * work), 2 bad usage or a bad rubric, as --help and the README document them; every error
 * code a harness error may carry has its row.
 */
import { describe, expect, it } from 'vitest';
import { DataError, HarnessError, RubricError, UsageError } from '../../src/core/errors.ts';
import { EXIT, EXIT_CODE_OF, exitCodeOf, isHarnessError } from '../../src/cli/exit-codes.ts';

describe('exit codes', () => {
  it('are the three the documentation names', () => {
    expect(EXIT).toEqual({ graded: 0, notFullyGraded: 1, usage: 2 });
  });

  it('map each harness error by its code: usage and rubric 2, missing data 1', () => {
    expect(exitCodeOf(new UsageError('--jobs: expected a positive integer'))).toBe(2);
    expect(exitCodeOf(new RubricError('r.json', 'not valid JSON'))).toBe(2);
    expect(exitCodeOf(new DataError('SVHN extra not found'))).toBe(1);
    expect(Object.keys(EXIT_CODE_OF).sort()).toEqual(['E_DATA', 'E_RUBRIC', 'E_USAGE']);
  });

  it('give 1 for anything the harness did not throw on purpose, with no message of its own for the user', () => {
    expect(exitCodeOf(new Error('boom'))).toBe(1);
    expect(exitCodeOf('a string')).toBe(1);
    expect(exitCodeOf(undefined)).toBe(1);
    expect(isHarnessError(new Error('boom'))).toBe(false);
    // A code nobody put in the table (say, from a newer module) is not trusted as a usage error.
    expect(exitCodeOf(new HarnessError('E_NEW' as never, 'new'))).toBe(1);
    expect(isHarnessError(new UsageError('x'))).toBe(true);
  });
});
