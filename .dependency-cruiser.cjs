/**
 * The layers of hw2-harness, written once. A module may import from its own layer and the
 * layers below it; `tests/repository/layering.test.ts` runs this in `npm test`, so an arrow against the
 * layers, or a circle, fails the tests. `npx depcruise src checks reference bench bin` runs it
 * by hand. Lowest first:
 */
const LAYERS = [
  ['core', '^src/core/'], // the vocabulary: Outcome, results, scoring, harness errors; imports nothing of ours
  ['util', '^src/util/'],
  ['machinery', '^src/(sandbox|stats|tf)/'], // the sandbox, statistics, TensorFlow.js
  ['intake', '^src/intake/'], // taking in what a pair handed in: staging, files, bounded JSON, zips, Moodle
  ['contract', '^src/contract/'], // hw2.json: its schema, and a submission loaded against it
  ['data', '^src/(data|models)/'], // datasets, model evaluation
  ['similarity', '^src/similarity/'], // similarity across a course: fingerprints, an inverted index, scoring
  ['rubric', '^src/rubric/'],
  ['reference', '^reference/'], // the homework's answers, computed
  ['train', '^src/train/'], // training the baselines: their architectures and defaults come from reference
  ['registry', '^src/registry/'], // what a check is
  ['checks', '^checks/'], // the checks themselves: pure
  ['engine', '^src/engine/'], // grading: given the registry, imports no check
  ['report', '^src/report/'], // renderers of results: core in, files out
  ['review', '^src/review/'], // hw2 review: reads results, writes the manual CSV and the rubric's manual section, re-renders reports
  ['cli', '^(src/cli/|bin/|bench/)'],
];

const below = (i) => LAYERS.slice(0, i).map(([, path]) => path);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other cannot be understood, tested or loaded one at a time.',
      from: {},
      to: { circular: true },
    },
    // Each layer imports nothing above itself.
    ...LAYERS.map(([name, path], i) => ({
      name: `${name}-imports-only-below`,
      severity: 'error',
      comment: `${name} may import ${i ? LAYERS.slice(0, i).map(([n]) => n).join(', ') : 'nothing of ours'} and itself.`,
      from: { path },
      to: { path: '^(src|checks|reference|bench|bin)/', pathNot: [path, ...below(i)] },
    })),
    {
      name: 'engine-imports-no-check-reference-or-report',
      severity: 'error',
      comment: 'The engine receives the registry as a parameter and emits results; checks, reference answers and reporters are plugged in by the CLI.',
      from: { path: '^src/engine/' },
      to: { path: '^(checks|reference|src/report)/' },
    },
    {
      name: 'report-reads-only-results',
      severity: 'error',
      comment: 'A renderer is a function of result.json: it imports the vocabulary and small utilities, nothing that grades.',
      from: { path: '^src/report/' },
      to: { path: '^(src|checks|reference)/', pathNot: '^src/(core|util|report)/' },
    },
    {
      name: 'checks-are-pure',
      severity: 'error',
      comment: 'A check is a function of data: no sandbox, no evaluation, no I/O. Types of what the pipeline measured may be named.',
      from: { path: '^checks/' },
      to: {
        path: '^src/',
        pathNot: '^src/(core|util|stats|contract/schema|registry|rubric|data/history|intake/(notebook|issues))[./]',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'core-is-a-leaf',
      severity: 'error',
      comment: 'The vocabulary imports no module of the project (npm packages such as zod are allowed).',
      from: { path: '^src/core/' },
      to: { path: '^(src|checks|reference)/', pathNot: '^src/core/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are arrows too: a type from a higher layer couples as much as a value.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(tests|node_modules|vendor|solutions)/' },
  },
};
