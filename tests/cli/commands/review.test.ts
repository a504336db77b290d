/**
 * `hw2 review` on the command line: bad usage is exit 2 with a line saying what was expected;
 * a running server prints its address and stops on SIGINT, keeping what was saved.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hw2, ROOT } from '../../helpers-cli.ts';

describe('hw2 review', () => {
  it('wants one output folder of hw2 grade, and says so', async () => {
    const none = await hw2(['review']);
    expect([none.code, none.stderr]).toEqual([2, 'hw2: hw2 review: name one output folder of hw2 grade (hw2 review <out-dir>)\n']);
    const empty = mkdtempSync(join(tmpdir(), 'hw2-review-cli-'));
    const noResults = await hw2(['review', empty]);
    expect([noResults.code, noResults.stderr]).toEqual([2, `hw2: ${empty}: no result.json under it (run hw2 grade --out ${empty} first)\n`]);
  }, 60_000);

  it('prints an address with its token on 127.0.0.1 and stops on SIGINT, exit 0', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hw2-review-cli-'));
    const { stdout } = await hw2(['grade', 'solutions/half-empty', '--out', out, '--reporter', 'json', '--quiet']);
    expect(stdout).toContain('1 graded');
    copyFileSync(join(ROOT, 'reference/rubric.json'), join(out, 'rubric.json'));
    const child = spawn(process.execPath, [join(ROOT, 'bin/hw2.mjs'), 'review', out, '--ta', 'alice', '--rubric', join(out, 'rubric.json')], { cwd: ROOT });
    let text = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        text += c.toString();
        const m = /Open (http:\/\/127\.0\.0\.1:\d+\/[\w-]{32}\/)/.exec(text);
        if (m) resolve(m[1]!);
      });
      child.on('exit', () => reject(new Error(`exited: ${text}`)));
    });
    const page = await fetch(`${url}q/q1.proof`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('half-empty');
    expect((await fetch(url.replace(/\/[\w-]{32}\/$/, '/'))).status).toBe(403);
    child.kill('SIGINT');
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
  }, 90_000);
});
