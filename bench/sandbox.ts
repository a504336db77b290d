/**
 * Sandbox overhead, measured against an in-process peer in the same run:
 *  - start a child under the permission model and get one value back, vs. importing the
 *    same bundle in this process and reading the value;
 *  - grade one whole submission (theory only) with its solution module in the sandbox, vs.
 *    the same submission with the module's answers already in hw2.json (no sandbox).
 * Run: npm run bench -- sandbox
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHECK_IDS, RUBRIC_DEFAULTS } from '../checks/index.ts';
import { gradePath } from '../src/engine/pipeline.ts';
import { DEFAULT_RUBRIC_PATH, loadRubric } from '../src/rubric/rubric.ts';
import { ChildProcessSession, sandboxWall } from '../src/sandbox/process.ts';
import { bundleSolution, childReadPaths } from '../src/sandbox/transpile.ts';
import { DEFAULT_SANDBOX_LIMITS } from '../src/sandbox/types.ts';
import { REGISTRY } from '../checks/index.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time(runs: number, f: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

const dir = await mkdtemp(join(tmpdir(), 'hw2-bench-'));
await writeFile(join(dir, 'solution.ts'), 'export const answer: number = 42;\n');
const bundled = await bundleSolution(dir);
if (!bundled.ok) throw new Error(bundled.message);

const sandboxed = await time(20, async () => {
  const s = new ChildProcessSession(bundled.file, childReadPaths(bundled.dir, dir), dir, DEFAULT_SANDBOX_LIMITS);
  await s.start();
  const r = await s.get('answer');
  if (!r.ok || r.value !== 42) throw new Error('bad value');
  await s.close();
});
let n = 0;
const inProcess = await time(20, async () => {
  const m = await import(`${pathToFileURL(bundled.file).href}?v=${n++}`);
  if (m.answer !== 42) throw new Error('bad value');
});
const bundleMs = await time(10, () => bundleSolution(dir));

const rubric = loadRubric(DEFAULT_RUBRIC_PATH, RUBRIC_DEFAULTS);
const root = new URL('..', import.meta.url).pathname;
const withModule = await time(10, () => gradePath(join(root, 'solutions/typescript-projections'), REGISTRY, rubric, { mode: 'grade', seed: 211 }));
const jsonOnly = await time(10, () => gradePath(join(root, 'solutions/correct'), REGISTRY, rubric, { mode: 'grade', seed: 211 }));

console.log(`sandbox overhead (median; isolation: ${JSON.stringify(sandboxWall().isolation)})`);
console.log('| measurement | sandboxed | peer | ratio |');
console.log('|---|---|---|---|');
console.log(`| start a child, get one value back, stop it | ${sandboxed.toFixed(1)} ms | in-process import ${inProcess.toFixed(2)} ms | ${(sandboxed / inProcess).toFixed(0)}× |`);
console.log(`| bundle solution.ts with esbuild | ${bundleMs.toFixed(1)} ms | | |`);
console.log(`| grade one submission, theory only | ${withModule.toFixed(1)} ms (solution.ts, 12 probe calls) | ${jsonOnly.toFixed(1)} ms (hw2.json only) | ${(withModule / jsonOnly).toFixed(1)}× |`);
