/**
 * The action's `check` mode: it builds the key-free student build in the action's copy of the
 * harness (`npm run build:student`) and runs it on a pair's repository, as GitHub would
 * (tests/repository/action-steps.ts). Apart from action.test.ts so that the build, the slow
 * part, runs beside the other test files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionSandbox, read } from './action-steps.ts';

const studentBuild = Boolean(JSON.parse(read('package.json')).scripts?.['build:student']);
const noStudentBuild = ': skipped, package.json has no build:student script (the key-free student build, issue 16)';
if (!studentBuild) console.warn(`the action's check mode${noStudentBuild}`);

describe.skipIf(!studentBuild)(`the action's check mode${studentBuild ? '' : noStudentBuild}`, () => {
  let sandbox: ActionSandbox;
  beforeAll(() => {
    sandbox = new ActionSandbox();
  });
  afterAll(() => sandbox?.remove());

  it('builds the key-free student build and runs it on the pair\'s repository: summary, outputs, annotations; hidden checks hidden', () => {
    const workspace = join(sandbox.pairWorkspace(), 'submissions', 'pair');
    const { steps, summary } = sandbox.run(workspace, { mode: 'check', out: 'checked' });
    const run = steps.hw2!;
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(join(sandbox.harness, 'dist', 'student', 'hw2.mjs'))).toBe(true);
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
