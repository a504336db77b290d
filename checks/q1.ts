/** Q1 is a proof: graded by a TA, with the pair's text carried into the result. */
import { manual } from '../src/core/outcomes.ts';
import { defineCheck } from '../src/registry/define.ts';

const proof = defineCheck({
  id: 'q1.proof',
  question: 'q1',
  title: 'Q1 proof that R(w) = ‖w − w_t‖²',
  kind: 'manual',
  points: 6,
  visibility: 'public',
  needs: [],
  run: (input) => manual(input.answers.q1?.proof, 'answers.q1.proof'),
});

export const q1Checks = [proof] as const;
