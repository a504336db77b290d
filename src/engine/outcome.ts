/** Small constructors for the outcomes checks return most often. */
import type { CheckInput, Outcome, QuestionId } from './types.ts';

export function notSubmitted(what: string): Outcome {
  return { fraction: 0, notSubmitted: true, message: `Not submitted: hw2.json has no ${what}.` };
}

/** The question's part of hw2.json did not validate: the check reports why and scores 0. */
export function partError(input: CheckInput, question: QuestionId): Outcome | undefined {
  const errors = input.partErrors[question];
  if (!errors?.length) return undefined;
  return { fraction: 0, inputError: true, message: `This part of hw2.json could not be read: ${errors.join('; ')}` };
}

export function manual(text: string | undefined, what: string): Outcome {
  if (!text?.trim()) return { fraction: 0, manual: true, notSubmitted: true, message: `Graded by a TA. Not submitted: hw2.json has no ${what}.` };
  return { fraction: 0, manual: true, message: 'Graded by a TA from the text below.', text };
}
