/**
 * Running action.yml's shell steps without GitHub, for tests/repository/action*.test.ts: each
 * `run:` step as GitHub runs it (`bash --noprofile --norc -eo pipefail <script>`, with its own
 * $GITHUB_OUTPUT), the GITHUB_* and RUNNER_* variables pointing at a temporary folder, and the
 * action's copy of the harness in another. The `uses:` steps (setup-node, cache,
 * upload-artifact) are GitHub's own and are not run, and the install step is not either: it
 * runs `npm ci` only on a cache miss, and the copy's packages are this checkout's, as on a hit.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { parse } from 'yaml';

export const ROOT = join(import.meta.dirname, '..', '..');
export const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

export interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
export interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

export const action = parse(read('action.yml')) as Action;

/** A step's `${{ inputs.x }}` from the inputs given, else the defaults; any other expression is not for a shell step. */
function expand(value: string, inputs: Record<string, string>): string {
  return value.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, name: string) => inputs[name] ?? action.inputs[name]?.default ?? '').replace(/\$\{\{.*?\}\}/g, (e) => {
    throw new Error(`a shell step's environment holds ${e}, which this test cannot evaluate`);
  });
}

export interface StepRun {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

/** A temporary folder with a copy of the harness in it, as GitHub checks the action out: a build it makes lands in the copy, not here. */
export class ActionSandbox {
  readonly root = mkdtempSync(join(tmpdir(), 'hw2-action-'));
  readonly harness = join(this.root, 'harness');

  constructor() {
    const skip = new Set(['node_modules', '.git', 'out', 'dist', 'solutions', 'tests', 'bench']);
    cpSync(ROOT, this.harness, { recursive: true, filter: (src) => !skip.has(relative(ROOT, src).split('/')[0]!) });
    symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(this.harness, 'node_modules'));
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  /** Runs the action's shell steps in order in `workspace`, as GitHub would on a cache hit; stops at the first that fails. */
  run(workspace: string, inputs: Record<string, string>): { steps: Record<string, StepRun>; summary: string; temp: string } {
    const temp = mkdtempSync(join(this.root, 'runner-'));
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
        GITHUB_ACTION_PATH: this.harness, GITHUB_WORKSPACE: workspace, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary,
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
   * A workspace with one pair under submissions/pair whose hw2.json gives Q2's h1 as a string
   * (line 6: four spaces, `"forward": { ` is 13 characters, so `"h1"` starts at column 18) and
   * names a part whose key holds a line break and a workflow command.
   */
  pairWorkspace(): string {
    const workspace = mkdtempSync(join(this.root, 'ws-'));
    mkdirSync(join(workspace, 'submissions', 'pair'), { recursive: true });
    writeFileSync(join(workspace, 'submissions', 'pair', 'hw2.json'), PAIR_JSON);
    return workspace;
  }
}

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
