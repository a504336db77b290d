import { describe, expect, it } from 'vitest';
import { ChildProcessSession } from '../../src/sandbox/process.ts';
import { bundleSolution, childReadPaths } from '../../src/sandbox/transpile.ts';
import { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from '../../src/sandbox/types.ts';
import { submission as solution } from '../security/sandbox-helpers.ts';

async function session(dir: string, limits: Partial<SandboxLimits> = {}) {
  const bundled = await bundleSolution(dir);
  if (!bundled.ok) throw new Error(bundled.message);
  const s = new ChildProcessSession(bundled.file, childReadPaths(bundled.dir, dir), dir, { ...DEFAULT_SANDBOX_LIMITS, ...limits });
  const started = await s.start();
  return { s, started };
}

describe('the child-process sandbox', () => {
  it('returns numbers, typed arrays and objects intact, and reads the pair\'s own files', async () => {
    const dir = await solution(
      `import { readFileSync } from 'node:fs';
       export const table = { a: [1, 2.5], b: 'x' };
       export function samples(n: number) { return Float32Array.from({ length: n }, (_, i) => i / 2); }
       export function own() { return JSON.parse(readFileSync('weights.json', 'utf8')); }`,
      { 'weights.json': '[0.25, 0.5]' },
    );
    const { s, started } = await session(dir);
    expect(started).toMatchObject({ ok: true });
    expect(await s.get('table')).toMatchObject({ ok: true, value: { a: [1, 2.5], b: 'x' } });
    const r = await s.call('samples', [4]);
    expect(r.ok && r.value).toEqual(new Float32Array([0, 0.5, 1, 1.5]));
    expect(await s.call('own', [])).toMatchObject({ ok: true, value: [0.25, 0.5] });
    expect(await s.call('nothing', [])).toMatchObject({ ok: false, error: { code: 'not-exported' } });
    await s.close();
  });

  it('starts a fresh child after a call times out, and stops at the submission\'s budget', async () => {
    const dir = await solution('export function spin() { for (;;) {} }\nexport function one() { return 1; }');
    const { s } = await session(dir, { callTimeoutMs: 500, submissionTimeoutMs: 1800 });
    expect(await s.call('spin', [])).toMatchObject({ ok: false, error: { code: 'timeout', message: 'spin did not return within 500 ms' } });
    expect(await s.call('one', [])).toMatchObject({ ok: true, value: 1 });
    // Each spin costs 500 ms of the 1,800: within ten, the budget is spent, and then even a quick call is refused.
    let spun: Awaited<ReturnType<typeof s.call>> | undefined;
    for (let i = 0; i < 10 && !(spun && !spun.ok && spun.error.code === 'budget'); i++) spun = await s.call('spin', []);
    expect(spun).toMatchObject({ ok: false, error: { code: 'budget' } });
    expect(await s.call('one', [])).toMatchObject({ ok: false, error: { code: 'budget', message: 'the submission used up its 1800 ms of running time' } });
    await s.close();
  });

  it('gives the child none of the parent\'s environment', async () => {
    process.env.HW2_SECRET_TOKEN = 'hunter2';
    const { s } = await session(await solution('export function env() { return Object.keys(process.env); }'));
    const r = await s.call('env', []);
    expect(r.ok && (r.value as string[])).not.toContain('HW2_SECRET_TOKEN');
    await s.close();
  });
});
