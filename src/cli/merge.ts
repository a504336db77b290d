/** `hw2 merge`, where tests/cli/merge.test.ts finds it: the command is commands/merge.ts. */
export { mergeCommand, type MergeOptions } from './commands/merge.ts';
