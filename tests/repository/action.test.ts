/**
 * The GitHub Action (action.yml) and the workflow templates (examples/workflows/, also in the
 * README), without GitHub. Both are validated against GitHub's published schemas by
 * @action-validator/core (SchemaStore's github-action and github-workflow schemas, compiled
 * into its WebAssembly: it runs offline). Then the action's shell steps run with bash as
 * GitHub runs them (tests/repository/action-steps.ts) and the files they write are checked;
 * `check` mode, which builds the student build, is in action-check.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateAction, validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { action, ActionSandbox, read, ROOT, type Step } from './action-steps.ts';

const TEMPLATES = readdirSync(join(ROOT, 'examples', 'workflows')).filter((f) => f.endsWith('.yml')).map((f) => `examples/workflows/${f}`);

describe('action.yml and the workflow templates', () => {
  it('are valid against GitHub\'s schemas (a step with a misspelt key is not, so the validator reads them)', () => {
    expect(validateAction(read('action.yml')).errors).toEqual([]);
    for (const file of TEMPLATES) expect(validateWorkflow(read(file)).errors, file).toEqual([]);
    expect(validateAction(read('action.yml').replace('    - name: Run hw2\n', '    - name: Run hw2\n      bogus: 1\n')).errors).not.toEqual([]);
    expect(TEMPLATES).toEqual(['examples/workflows/hw2-check.yml', 'examples/workflows/hw2-grade.yml']);
  });

  it('are in the README as they are in examples/workflows/', () => {
    const readme = read('README.md');
    for (const file of TEMPLATES) expect(readme, file).toContain(`\`\`\`yaml\n${read(file)}\`\`\``);
  });

  it('give the action only inputs it has, and take only outputs it has', () => {
    for (const file of TEMPLATES) {
      const workflow = parse(read(file)) as { jobs: Record<string, { steps: Step[] }> };
      const steps = Object.values(workflow.jobs).flatMap((j) => j.steps).filter((s) => /\/hw2-(harness|check)@v1$/.test(s.uses ?? ''));
      expect(steps.length, file).toBeGreaterThan(0);
      for (const s of steps) for (const key of Object.keys(s.with ?? {})) expect(Object.keys(action.inputs), `${file}: ${key}`).toContain(key);
      for (const [, name] of read(file).matchAll(/steps\.hw2\.outputs\.([\w-]+)/g)) expect(Object.keys(action.outputs)).toContain(name);
    }
  });

  it('pass inputs to scripts through the environment only, so no input can rewrite a script', () => {
    for (const step of action.runs.steps.filter((s) => s.run)) {
      expect(step.run, step.name).not.toContain('${{');
      expect(step.shell, step.name).toBe('bash');
    }
  });
});

describe('the action\'s shell steps', () => {
  let sandbox: ActionSandbox;
  beforeAll(() => {
    sandbox = new ActionSandbox();
  });
  afterAll(() => sandbox?.remove());

  it('key the packages by the harness\'s lockfile and runner, and name the folder the cache restores', () => {
    const { steps } = sandbox.run(sandbox.pairWorkspace(), { mode: 'nonsense' });
    // The lockfile's sha256 by a second method, sha256sum.
    const hash = execFileSync('sha256sum', [join(ROOT, 'package-lock.json')], { encoding: 'utf8' }).split(' ')[0];
    expect(steps.key!.outputs).toEqual({ key: `hw2-harness-Linux-X64-node${process.versions.node.split('.')[0]}-${hash}`, modules: join(sandbox.harness, 'node_modules') });
    // A mode the action does not know stops the step, before anything runs, with an annotation.
    expect(steps.hw2!.status).toBe(2);
    expect(steps.hw2!.stdout).toBe('::error title=hw2-harness::the input mode must be check, grade or merge\n');
  });

  it('grade: run the full harness on the submissions named by a glob, with the shard, and write the summary, outputs, annotations and artifact', () => {
    const workspace = sandbox.pairWorkspace();
    const { steps, summary, temp } = sandbox.run(workspace, { mode: 'grade', path: 'submissions/*', shard: '1/1', reporter: 'json' });
    const run = steps.hw2!;
    expect(run.status, run.stderr).toBe(0);
    // The artifact: its default name says the shard; its folder, in the runner's temporary
    // folder, holds the pair's result and only the files of the reporters asked for.
    expect(run.outputs).toMatchObject({ out: join(temp, 'hw2-out'), artifact: 'hw2-grade-shard-1-of-1' });
    const result = JSON.parse(readFileSync(join(temp, 'hw2-out', 'pair', 'result.json'), 'utf8'));
    expect(readdirSync(join(temp, 'hw2-out', 'pair'))).toEqual(['result.json']);
    // One submission: its score for later steps, as result.json has it.
    expect(run.outputs).toMatchObject({ score: String(result.score), 'max-score': String(result.maxScore) });
    expect(summary.startsWith(`## hw2 grade: pair\n\n**Score: ${result.score} of ${result.maxScore}**`)).toBe(true);
    expect(summary).toContain('| q2&#46;forward | 0 of 4 |');
    // Workflow commands stop while hw2 prints, under a token, so the key's injected line is
    // inert; the annotations come after, escaped, the wrong type on its line.
    const lines = run.stdout.split('\n');
    const stop = lines.findIndex((l) => l.startsWith('::stop-commands::'));
    const token = lines[stop]!.slice('::stop-commands::'.length);
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    const resume = lines.indexOf(`::${token}::`);
    expect(resume).toBeGreaterThan(stop);
    // hw2 itself prints the key's line break escaped (terminalLine), so the injected command
    // never starts a line; stopping commands is the second wall.
    expect(lines.findIndex((l) => l.trimStart().startsWith('::error file=x::injected'))).toBe(-1);
    expect(run.stdout).toContain('\\n::error file=x::injected');
    expect(lines.slice(resume + 1).filter(Boolean)).toContain(
      '::error file=submissions/pair/hw2.json,line=6,col=18,title=hw2 grade%3A pair::hw2.json answers.q2.forward.h1: expected number, found string "0.98"');
    for (const line of lines.slice(resume + 1)) expect(line === '' || line.startsWith('::error ') || line.startsWith('::warning ')).toBe(true);

    // merge: the shard's folder, named by its absolute path, joined into the run's files.
    const merged = sandbox.run(workspace, { mode: 'merge', path: join(temp, 'hw2-out'), out: 'grades', reporter: 'scores' }).steps.hw2!;
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.outputs).toEqual({ out: 'grades', artifact: 'hw2-merge' });
    const scores = readFileSync(join(workspace, 'grades', 'scores.csv'), 'utf8').trim().split(/\r?\n/);
    expect(scores).toHaveLength(2);
    expect(scores[1]!.startsWith('pair,123456782 234567891,')).toBe(true);
  }, 240_000);
});
