/**
 * The GitHub Action (action.yml) and the workflow templates (examples/workflows/, also in the
 * README), without GitHub. Both are validated against GitHub's published schemas by
 * @action-validator/core (SchemaStore's github-action and github-workflow schemas, compiled
 * into its WebAssembly: it runs offline). Then the action's shell steps run as GitHub runs
 * them (`bash --noprofile --norc -eo pipefail <script>`, each with its own $GITHUB_OUTPUT),
 * with the GITHUB_* and RUNNER_* variables pointing at a temporary folder, on a real
 * submission and a copy of the harness; the `uses:` steps (setup-node, cache, upload-artifact)
 * are GitHub's own and are not run, and the install step is not either: it runs `npm ci` only
 * on a cache miss, and the copy's packages are those of this checkout, as on a cache hit.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { validateAction, validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(read('action.yml')) as Action;
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

/** A step's `${{ inputs.x }}` from the inputs given, else the defaults; any other expression is not for a shell step. */
function expand(value: string, inputs: Record<string, string>): string {
  return value.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, name: string) => inputs[name] ?? action.inputs[name]?.default ?? '').replace(/\$\{\{.*?\}\}/g, (e) => {
    throw new Error(`a shell step's environment holds ${e}, which this test cannot evaluate`);
  });
}

interface StepRun {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

let root: string;
let harness: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'hw2-action-'));
  // A copy of the harness, as GitHub checks the action out: a build it makes lands in the copy, not here.
  harness = join(root, 'harness');
  const skip = new Set(['node_modules', '.git', 'out', 'dist', 'solutions', 'tests', 'bench']);
  cpSync(ROOT, harness, { recursive: true, filter: (src) => !skip.has(relative(ROOT, src).split('/')[0]!) || relative(ROOT, src) === '' });
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(harness, 'node_modules'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the action's shell steps in order in `workspace`, as GitHub would on a cache hit. */
function runAction(workspace: string, inputs: Record<string, string>): { steps: Record<string, StepRun>; summary: string; temp: string } {
  const temp = mkdtempSync(join(root, 'runner-'));
  const summary = join(temp, 'step-summary.md');
  writeFileSync(summary, '');
  const steps: Record<string, StepRun> = {};
  for (const [i, step] of action.runs.steps.entries()) {
    if (!step.run) continue;
    if (step.if !== undefined) {
      expect(step.if).toBe('steps.cache.outputs.cache-hit != \'true\'');
      expect(step.run).toContain('npm ci');
      continue;
    }
    const output = join(temp, `output-${i}`);
    writeFileSync(output, '');
    const script = join(temp, `step-${i}.sh`);
    writeFileSync(script, step.run);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true', GITHUB_ACTIONS: 'true',
      GITHUB_ACTION_PATH: harness, GITHUB_WORKSPACE: workspace, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: temp, RUNNER_OS: 'Linux', RUNNER_ARCH: 'X64',
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(String(v), inputs)])),
    };
    const ran = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: workspace, env, encoding: 'utf8', timeout: 240_000 });
    const outputs = Object.fromEntries(readFileSync(output, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    steps[step.id ?? String(i)] = { status: ran.status, stdout: ran.stdout, stderr: ran.stderr, outputs };
    if (ran.status !== 0) break;
  }
  return { steps, summary: readFileSync(summary, 'utf8'), temp };
}

/**
 * A pair whose hw2.json gives Q2's h1 as a string (line 6: four spaces, `"forward": { ` is 13
 * characters, so `"h1"` starts at column 18) and names a part whose key holds a line break
 * and a workflow command.
 */
const PAIR_JSON = [
  '{',
  '  "contract": 1,',
  '  "group": { "ids": ["123456782", "234567891"] },',
  '  "answers": {',
  '    "q2": {',
  '    "forward": { "h1": "0.98", "h2": 0.995033, "o1": 0.889551, "o2": 0.8004, "E": 0.593245 }',
  '    },',
  '    "q9\\n::error file=x::injected": 1',
  '  }',
  '}',
  '',
].join('\n');

function pairWorkspace(): string {
  const workspace = mkdtempSync(join(root, 'ws-'));
  mkdirSync(join(workspace, 'submissions', 'pair'), { recursive: true });
  writeFileSync(join(workspace, 'submissions', 'pair', 'hw2.json'), PAIR_JSON);
  return workspace;
}

describe('the action\'s shell steps', () => {
  it('key the packages by the harness\'s lockfile and runner, and name the folder the cache restores', () => {
    const { steps } = runAction(pairWorkspace(), { mode: 'nonsense' });
    // The lockfile's sha256 by a second method, sha256sum.
    const hash = execFileSync('sha256sum', [join(ROOT, 'package-lock.json')], { encoding: 'utf8' }).split(' ')[0];
    expect(steps.key!.outputs).toEqual({ key: `hw2-harness-Linux-X64-node${process.versions.node.split('.')[0]}-${hash}`, modules: join(harness, 'node_modules') });
    // A mode the action does not know stops the step, before anything runs, with an annotation.
    expect(steps.hw2!.status).toBe(2);
    expect(steps.hw2!.stdout).toBe('::error title=hw2-harness::the input mode must be check, grade or merge\n');
  });

  it('grade: run the full harness on the submissions named by a glob, with the shard, and write the summary, outputs, annotations and artifact', () => {
    const workspace = pairWorkspace();
    const { steps, summary, temp } = runAction(workspace, { mode: 'grade', path: 'submissions/*', shard: '1/1', reporter: 'json' });
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
    const injected = lines.findIndex((l) => l.startsWith('::error file=x::injected'));
    expect(injected).toBeGreaterThan(stop);
    expect(injected).toBeLessThan(resume);
    expect(lines.slice(resume + 1).filter(Boolean)).toContain(
      '::error file=submissions/pair/hw2.json,line=6,col=18,title=hw2 grade%3A pair::hw2.json answers.q2.forward.h1: expected number, found string "0.98"');
    for (const line of lines.slice(resume + 1)) expect(line === '' || line.startsWith('::error ') || line.startsWith('::warning ')).toBe(true);
  }, 240_000);

  const studentBuild = Boolean(JSON.parse(read('package.json')).scripts?.['build:student']);
  const noStudentBuild = ': skipped, package.json has no build:student script (the key-free student build, issue 16)';
  if (!studentBuild) console.warn(`the action's check mode${noStudentBuild}`);
  it.skipIf(!studentBuild)(`check: build the key-free student build and run it on the pair's repository${studentBuild ? '' : noStudentBuild}`, () => {
    const workspace = join(pairWorkspace(), 'submissions', 'pair');
    const { steps, summary } = runAction(workspace, { mode: 'check', out: 'checked' });
    const run = steps.hw2!;
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(join(harness, 'dist', 'student', 'hw2.mjs'))).toBe(true);
    // An out folder given: relative to the workspace, as the upload step reads it.
    const result = JSON.parse(readFileSync(join(workspace, 'checked', 'pair', 'result.json'), 'utf8'));
    expect(result.mode).toBe('check');
    expect(run.outputs).toMatchObject({ score: String(result.score), 'max-score': String(result.maxScore), out: 'checked', artifact: 'hw2-check' });
    expect(summary.startsWith(`## hw2 check: pair\n\n**Score: ${result.score} of ${result.maxScore}**`)).toBe(true);
    // No hidden check is among those that lost points: it shows only as points graded later.
    const hidden = (result.checks as { id: string; status: string }[]).filter((c) => c.status === 'hidden').map((c) => c.id.replace(/\./g, '&#46;'));
    expect(hidden.length).toBeGreaterThan(0);
    const lost = summary.slice(summary.indexOf('### Checks that lost points'));
    for (const id of hidden) expect(lost).not.toContain(`| ${id} |`);
    expect(summary).toContain('graded later by the course');
    expect(run.stdout).toContain('::error file=hw2.json,line=6,col=18,title=hw2 check%3A pair::hw2.json answers.q2.forward.h1: expected number, found string "0.98"');
  }, 240_000);
});
