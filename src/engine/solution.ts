/**
 * The I/O step before grading for a pair with a solution module: bundle it, load it in the
 * sandbox, ask it every probe the checks declared, read its `answers` export, and hand the
 * checks plain data. Every failure here is a value in SolutionData, never an exception.
 */
import { bundleSolution, childReadPaths, findSolution } from '../sandbox/transpile.ts';
import { ChildProcessSession } from '../sandbox/process.ts';
import type { SandboxLimits } from '../sandbox/types.ts';
import type { Probe } from '../registry/define.ts';
import { exportsFunction, NO_SOLUTION, type SolutionData } from '../registry/solution-data.ts';
import { rm } from 'node:fs/promises';
import { basename, resolve } from 'node:path';

export async function probeSolution(dir: string, probes: Probe[], limits: SandboxLimits): Promise<SolutionData> {
  const entry = findSolution(dir);
  if (!entry) return NO_SOLUTION;
  const started = Date.now();
  const file = basename(entry);
  const bundled = await bundleSolution(dir);
  if (!bundled.ok) return { file, loadError: { code: 'transpile', message: bundled.message }, exports: [], results: {}, ms: Date.now() - started };
  const session = new ChildProcessSession(bundled.file, childReadPaths(bundled.dir, dir), resolve(dir), limits);
  try {
    const loaded = await session.start();
    if (!loaded.ok) {
      return { file, loadError: { ...loaded.error, message: `${file}: ${loaded.error.message}` }, exports: [], results: {}, isolation: session.isolation, output: session.output(), ms: Date.now() - started };
    }
    const data: SolutionData = { file, exports: loaded.exports, results: {}, isolation: session.isolation, ms: 0 };
    if (loaded.exports.some((e) => e.name === 'answers')) {
      const answers = await session.get('answers');
      if (answers.ok) data.answers = answers.value;
      else data.results.answers = answers;
    }
    for (const probe of probes) {
      if (exportsFunction(data, probe.name)) data.results[probe.key] = await session.call(probe.name, probe.args);
    }
    data.output = session.output();
    data.ms = Date.now() - started;
    return data;
  } finally {
    await session.close();
    await rm(bundled.dir, { recursive: true, force: true });
  }
}
