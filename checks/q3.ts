/** Q3 checks: the type of double descent and the critical point of each plot, against the rubric's key. */
import type { Outcome } from '../src/core/vocabulary.ts';
import { diagnosed, manual, notSubmitted } from '../src/core/outcomes.ts';
import { defineCheck, type CheckInput } from '../src/registry/define.ts';
import { show } from '../src/util/numeric.ts';

const PLOTS = ['a', 'b', 'c'] as const;

/** A rubric without the key (the student build's) cannot grade this check: held back, not a 0. */
const withheldKey = (field: string): Outcome => ({ kind: 'harnessError', cause: 'environment', message: `Not graded yet: the rubric has no ${field} (the student build's rubric leaves the key out); grade with the course's rubric` });

const AXIS_OF_TYPE = {
  'model-wise': 'model size',
  'epoch-wise': 'training epochs',
  'sample-wise': 'number of training samples',
} as const;

const types = defineCheck({
  id: 'q3.types',
  question: 'q3',
  title: 'Q3.2 type of double descent in plots a, b, c',
  kind: 'auto',
  points: 3,
  visibility: 'hidden',
  needs: [],
  run(input): Outcome {
    const answer = input.answers.q3;
    if (!answer || PLOTS.every((p) => answer[p]?.type === undefined)) return notSubmitted('answers.q3.{a,b,c}.type');
    const key = input.rubric.q3.key;
    if (key === undefined) return withheldKey('q3.key');
    const wrong: string[] = [];
    let right = 0;
    for (const plot of PLOTS) {
      const given = answer[plot]?.type;
      if (given === key[plot].type) right++;
      else wrong.push(`${plot}: ${given ?? 'missing'} (the plot's x-axis is ${AXIS_OF_TYPE[key[plot].type]}, so ${key[plot].type})`);
    }
    const given = PLOTS.map((p) => answer[p]?.type);
    const permuted = wrong.length > 0 && new Set(given).size === 3 && given.every((g) => g !== undefined);
    // The key names three different types: one type written for every plot is no reading of
    // the plots (it is right for one of them whatever they show), so it earns nothing.
    const oneForAll = given.every((g) => g !== undefined && g === given[0]) && new Set(PLOTS.map((p) => key[p].type)).size > 1;
    if (oneForAll) {
      return {
        kind: 'graded',
        fraction: 0,
        message: `The same type, ${given[0]}, for all three plots: each plot shows another kind of double descent (read its x-axis).`,
        diagnoses: diagnosed('q3.types-one-for-all', 'One type written for every plot'),
        expected: Object.fromEntries(PLOTS.map((p) => [p, key[p].type])),
        actual: Object.fromEntries(PLOTS.map((p) => [p, answer[p]?.type ?? null])),
      };
    }
    return {
      kind: 'graded',
      fraction: right / 3,
      message: `${right} of 3 correct.${wrong.length ? ` Wrong: ${wrong.join('; ')}.` : ''}`,
      diagnoses: diagnosed('q3.types-permuted', 'The three types are all named but matched to the wrong plots: read each plot\'s x-axis', permuted),
      expected: Object.fromEntries(PLOTS.map((p) => [p, key[p].type])),
      actual: Object.fromEntries(PLOTS.map((p) => [p, answer[p]?.type ?? null])),
    };
  },
});

const critical = defineCheck({
  id: 'q3.critical',
  question: 'q3',
  title: 'Q3.1 critical point of plots a, b, c',
  kind: 'auto',
  points: 3,
  visibility: 'hidden',
  needs: [],
  run(input): Outcome {
    const answer = input.answers.q3;
    if (!answer || PLOTS.every((p) => answer[p]?.criticalPoint === undefined)) return notSubmitted('answers.q3.{a,b,c}.criticalPoint');
    const key = input.rubric.q3.key;
    if (key === undefined) return withheldKey('q3.key');
    let right = 0;
    const wrong: string[] = [];
    for (const plot of PLOTS) {
      const given = answer[plot]?.criticalPoint;
      const { min, max, axis } = key[plot].critical;
      if (given !== undefined && given >= min && given <= max) right++;
      else wrong.push(`${plot}: ${given === undefined ? 'missing' : show(given)} (${axis} between ${show(min)} and ${show(max)})`);
    }
    return {
      kind: 'graded',
      fraction: right / 3,
      message: `${right} of 3 within the key's range.${wrong.length ? ` Outside: ${wrong.join('; ')}.` : ''}`,
      expected: Object.fromEntries(PLOTS.map((p) => [p, key[p].critical])),
      actual: Object.fromEntries(PLOTS.map((p) => [p, answer[p]?.criticalPoint ?? null])),
    };
  },
});

const explanations = defineCheck({
  id: 'q3.explanations',
  question: 'q3',
  title: 'Q3.2 explanations of the double-descent types',
  kind: 'manual',
  points: 2,
  visibility: 'public',
  needs: [],
  run(input) {
    const q3 = input.answers.q3;
    const texts = PLOTS.filter((p) => q3?.[p]?.explanation).map((p) => `(${p}) ${q3![p]!.explanation}`);
    return manual(texts.join('\n\n') || undefined, 'answers.q3.{a,b,c}.explanation');
  },
});

export const q3Checks = [types, critical, explanations] as const;
