/**
 * The sandbox without OS isolation (HW2_ISOLATION=none, as on a machine without bubblewrap):
 * it says so, refuses to run when the rubric requires OS isolation, and what remains still
 * holds: uid 65534 for a root grader, the permission model, the runner's seals.
 */
import { spawnSync } from 'node:child_process';
import { chmod, readdir } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { sandboxWall } from '../../src/sandbox/process.ts';
import { alive, started, submission } from './sandbox-helpers.ts';

// Read once, on the first session of this file (vitest gives each file its own modules).
process.env.HW2_ISOLATION = 'none';
const ROOT = process.getuid?.() === 0;
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

describe('without OS isolation (HW2_ISOLATION=none)', () => {
  it('says what ran: no OS wall, uid nobody when the grader is root, the permission model', () => {
    expect(sandboxWall().isolation).toEqual({ os: 'none', user: ROOT ? 'nobody' : 'same', permissionModel: true });
  });

  it('refuses to run student code when the rubric requires OS isolation, naming what is missing', async () => {
    const dir = await submission('export function one() { return 1; }');
    const { session, loaded } = await started(dir, { requireOsIsolation: true });
    closers.push(() => session.close());
    const error = { code: 'isolation', message: 'the rubric requires OS isolation (limits.sandbox.requireOsIsolation), but HW2_ISOLATION=none turned bubblewrap off; student code was not run' };
    expect(loaded).toEqual({ ok: false, error });
    expect(await session.call('one', [])).toEqual({ ok: false, error });
  });

  it('still carries values, seals signals and file-writing features, and writes nothing', async () => {
    const dir = await submission(`
      import { createTracing } from 'node:trace_events';
      import { writeFileSync } from 'node:fs';
      export function facts() { return { uid: process.getuid!(), samples: Float32Array.of(0.5, 1.5), nested: { a: [1, 'x', null] } }; }
      export function killParent() { process.kill(process.ppid, 'SIGKILL'); }
      export function trace() { createTracing({ categories: ['node'] }).enable(); }
      export function write() { writeFileSync('pwned.txt', 'x'); }`);
    const { session, loaded } = await started(dir);
    closers.push(() => session.close());
    expect(loaded).toMatchObject({ ok: true });
    expect(session.isolation.os).toBe('none');
    expect(await session.call('facts', [])).toMatchObject({ ok: true, value: { uid: ROOT ? 65534 : process.getuid!(), samples: new Float32Array([0.5, 1.5]), nested: { a: [1, 'x', null] } } });
    expect(await session.call('killParent', [])).toMatchObject({ ok: false, error: { code: 'threw', message: 'Error: process.kill is not allowed in the grading sandbox' } });
    expect(await session.call('trace', [])).toMatchObject({ ok: false, error: { code: 'threw', message: 'Error: node:trace_events is not allowed in the grading sandbox' } });
    expect(await session.call('write', [])).toMatchObject({ ok: false, error: { code: 'threw', message: expect.stringMatching(/the sandbox refused writing/) } });
    expect(await readdir(dir)).toEqual(['solution.ts']);
    expect(alive(process.pid)).toBe(true);
  });

  it.skipIf(!ROOT)('keeps the grader\'s uid, and says so, where uid 65534 could not read what the child needs (a 0700 folder)', async () => {
    // A checkout or a folder under /root is 0700: as uid 65534 the child could not even start.
    const dir = await submission('export function uid() { return process.getuid(); }');
    await chmod(dir, 0o700);
    const { session, loaded } = await started(dir);
    closers.push(() => session.close());
    expect(loaded).toMatchObject({ ok: true });
    expect(session.isolation).toEqual({ os: 'none', user: 'same', permissionModel: true });
    expect(await session.call('uid', [])).toMatchObject({ ok: true, value: 0 });
  });

  it.skipIf(!ROOT)('as uid 65534, a process without the seals cannot signal the root grader (runs only as root)', () => {
    const r = spawnSync(process.execPath, ['-e', `try { process.kill(${process.pid}, 0); console.log('reached'); } catch (e) { console.log(e.code); }`], { uid: 65534, gid: 65534, encoding: 'utf8', cwd: '/' });
    expect(r.stdout.trim()).toBe('EPERM');
  });
});
