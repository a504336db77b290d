/** Constructors for the outcomes checks return most often. */
import type { Diagnosis, Outcome } from './vocabulary.ts';

export function notSubmitted(what: string): Outcome {
  return { kind: 'notSubmitted', message: `Not submitted: hw2.json has no ${what}.` };
}

/** A TA grades it; the pair's text (if any) is carried for the TA to read. */
export function manual(text: string | undefined, what: string): Outcome {
  if (!text?.trim()) return { kind: 'manual', message: `Graded by a TA. Not submitted: hw2.json has no ${what}.` };
  return { kind: 'manual', message: 'Graded by a TA from the text below.', text };
}

export function inputError(message: string): Outcome {
  return { kind: 'inputError', message };
}

/** A diagnosis, or none when `when` is false: `diagnoses: diagnosed(...)` reads as one line. */
export function diagnosed(code: string, text: string, when = true): Diagnosis[] | undefined {
  return when ? [{ code, text }] : undefined;
}
