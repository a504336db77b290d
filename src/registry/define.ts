/**
 * What a check is. A check is a definition: its id, the question it grades, its title, whether
 * a TA grades it, the inputs it reads (`needs`), and a pure `run` from those inputs to an
 * Outcome. The registry (checks/index.ts) is the list of them; the engine receives that list
 * as a parameter and imports no check.
 *
 * `needs` is a contract in both directions: `run` is typed to see only the inputs it declares
 * (reading another is a type error), and the pipeline reads from disk, runs in the sandbox or
 * evaluates only what some enabled check declared.
 */
import type { Answers } from '../contract/schema.ts';
import type { CheckKind, Outcome, QuestionId, Visibility } from '../core/vocabulary.ts';
import type { LoadedArray } from '../data/attachments.ts';
import type { ParsedHistory } from '../data/history.ts';
import type { ParsedNotebook } from '../intake/notebook.ts';
import type { Evaluated } from '../models/evaluate.ts';
import type { Rubric } from '../rubric/rubric.ts';
import type { SolutionData } from './solution-data.ts';

/** Every input a check may declare, beyond hw2.json's answers, the rubric and the seed. */
export interface Inputs {
  /** What the pair's solution module answered to the probes (empty without a module). */
  solution: SolutionData;
  /** Arrays the submission's files hold (Task 1's .npy samples), keyed by file name. */
  arrays: Record<string, LoadedArray>;
  /** The submission's files, names and sizes (the rules checks). */
  files: { name: string; bytes: number }[];
  /** The pair's notebook, parsed, when there is one. */
  notebook: ParsedNotebook | undefined;
  /** Models measured by the harness (Tasks 2–3), keyed by their answer path (task2.model, ...). */
  models: Record<string, Evaluated>;
  /** Training histories, keyed by file name. */
  histories: Record<string, ParsedHistory>;
}
export type Need = keyof Inputs;
export const NEEDS: readonly Need[] = ['solution', 'arrays', 'files', 'notebook', 'models', 'histories'];

/** What every check sees. */
export interface BaseInput {
  answers: Answers;
  rubric: Rubric;
  seed: number;
  /** The manifest's group ids, when hw2.json could be read. */
  groupIds?: string[];
}

/** What a check that declared `N` sees; `CheckInput` alone is what every check sees. */
export type CheckInput<N extends Need = never> = BaseInput & Pick<Inputs, N>;

/** A call a check wants made in the pair's module, if the module exports `name`. */
export interface Probe {
  key: string;
  name: string;
  args: unknown[];
}

export interface CheckDef<Id extends string = string, N extends Need = Need> {
  /** `<question>.<name>`, unique and stable: rubric.json, result.json and TA sheets use it. */
  id: Id;
  question: QuestionId;
  title: string;
  kind: CheckKind;
  /**
   * The course's rubric entry for the check: its points and whether students see it in
   * `hw2 check`. reference/rubric.json may override them; a rubric that does not name the
   * check gives it these.
   */
  points: number;
  visibility: Visibility;
  needs: readonly N[];
  /** Calls to make in the pair's module before grading (needs 'solution'). */
  probes?(rubric: Rubric, seed: number): Probe[];
  /**
   * Pure: the same input gives the same outcome. Throwing is a harness fault, held back.
   * What it may read comes from `needs` alone (NoInfer), and `run` is a property, not a
   * method, so its parameter is checked strictly: annotating it with an input `needs` does
   * not declare is a type error rather than a silent `undefined` at run time.
   */
  run: (input: CheckInput<NoInfer<N>>) => Outcome;
}

/** Any check of the registry, whatever it needs. */
export type AnyCheck = CheckDef<string, any>;
export type Registry = readonly AnyCheck[];

/**
 * A check's definition, with its id kept as a literal type so that the registry's ids form a
 * union (`CheckId` in checks/index.ts) and `needs` narrows what `run` may read.
 */
export function defineCheck<const Id extends string, const N extends Need = never>(def: CheckDef<Id, N>): CheckDef<Id, N> {
  return def;
}

/** What is wrong with a registry: ids repeated or not named for their question, probes without the module. */
export function registryProblems(registry: Registry): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const c of registry) {
    if (seen.has(c.id)) problems.push(`${c.id}: defined twice`);
    seen.add(c.id);
    if (!c.id.startsWith(`${c.question}.`)) problems.push(`${c.id}: the id must start with its question, "${c.question}."`);
    if (c.probes && !c.needs.includes('solution')) problems.push(`${c.id}: has probes but does not declare needs: ['solution']`);
    for (const n of c.needs) if (!NEEDS.includes(n)) problems.push(`${c.id}: unknown need "${String(n)}" (known: ${NEEDS.join(', ')})`);
    if (!(Number.isFinite(c.points) && c.points >= 0)) problems.push(`${c.id}: points must be a number ≥ 0, got ${String(c.points)}`);
  }
  return problems;
}

/** The inputs the enabled checks declare: the pipeline reads, runs and measures only these. */
export function neededInputs(checks: Registry): Set<Need> {
  return new Set(checks.flatMap((c) => c.needs as Need[]));
}
