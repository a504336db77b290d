import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChildProcessSession } from '../../src/sandbox/process.ts';
import { bundleSolution, childReadPaths } from '../../src/sandbox/transpile.ts';
import { typecheckSolution } from '../../src/sandbox/typecheck.ts';
import { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from '../../src/sandbox/types.ts';
import { extractZip } from '../../src/sandbox/zip.ts';
import { writeZip } from '../zip-writer.ts';

async function solution(source: string, files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hw2-sb-'));
  // Readable to uid 65534, the child's user where a root grader has no bubblewrap.
  await chmod(dir, 0o755);
  await writeFile(join(dir, 'solution.ts'), source);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

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

  it('refuses packages the harness does not provide, naming them', async () => {
    const bundled = await bundleSolution(await solution("import _ from 'lodash';\nexport const x = _;"));
    expect(bundled).toMatchObject({ ok: false, message: expect.stringMatching(/solution\.ts:1:\d+: imports the package lodash; a solution may import only/) });
  });
});

describe('typecheckSolution', () => {
  it('explains an export whose type does not match types/solution.d.ts', async () => {
    const dir = await solution('export function xavierInit(fanIn: number, fanOut: number): string { return "no"; }');
    const messages = typecheckSolution(join(dir, 'solution.ts'));
    expect(messages.join('\n')).toMatch(/solution exports do not match types\/solution\.d\.ts: .*xavierInit/s);
  });

  it('is silent for a well-typed solution', async () => {
    const dir = await solution('export function xavierInit(a: number, b: number): number[][] { return [[a, b]]; }');
    expect(typecheckSolution(join(dir, 'solution.ts'))).toEqual([]);
  });
});

describe('extractZip', () => {
  it('refuses more entries than allowed, and grades a zip of one folder from that folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hw2-zip-'));
    const many = join(dir, 'many.zip');
    await writeFile(many, writeZip(Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from('x') }))));
    expect(await extractZip(many, { maxEntries: 10, maxTotalBytes: 1e6, maxRatio: 100 })).toEqual({ ok: false, message: `${many}: has 11 entries, more than the limit of 10` });
    const one = join(dir, 'one.zip');
    await writeFile(one, writeZip([{ name: 'pair/hw2.json', data: Buffer.from('{}') }]));
    const r = await extractZip(one);
    expect(r.ok && r.dir.endsWith('/pair')).toBe(true);
  });

  it('counts inflated bytes instead of trusting the headers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hw2-zip-'));
    const file = join(dir, 'big.zip');
    await writeFile(file, writeZip([{ name: 'a.bin', data: Buffer.alloc(600_000, 7), deflate: true }, { name: 'b.bin', data: Buffer.alloc(600_000, 7), deflate: true }]));
    expect(await extractZip(file, { maxEntries: 10, maxTotalBytes: 1_000_000, maxRatio: 1e9 })).toMatchObject({ ok: false, message: expect.stringMatching(/expands to more than 1000000 bytes/) });
  });
});
