/** Q1 is a proof: graded by a TA, with the pair's text carried into the result. */
import type { CheckDef } from '../src/engine/types.ts';
import { manual } from '../src/engine/outcome.ts';

export const q1Checks: CheckDef[] = [{
  id: 'q1.proof',
  question: 'q1',
  title: 'Q1 proof that R(w) = ‖w − w_t‖²',
  kind: 'manual',
  run: (input) => manual(input.answers.q1?.proof, 'answers.q1.proof'),
}];
