/**
 * Task 1's init functions from a TypeScript pair, called in the sandbox for pairs drawn by
 * fast-check: the correct pair passes, and each flawed variant loses exactly that check's
 * points with the mistake named.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradePath } from '../../src/engine/pipeline.ts';
import { RUBRIC } from '../helpers.ts';
import { REGISTRY } from '../../checks/index.ts';

const PAIR = new URL('../../solutions/typescript-pair', import.meta.url).pathname;

async function variant(replace: [RegExp, string][]): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'hw2-ts-')), 'pair');
  await cp(PAIR, dir, { recursive: true });
  let source = await readFile(join(dir, 'solution.ts'), 'utf8');
  for (const [from, to] of replace) {
    if (!from.test(source)) throw new Error(`fixture: ${from} not found`);
    source = source.replace(from, to);
  }
  await writeFile(join(dir, 'solution.ts'), source);
  return dir;
}

const scores = async (dir: string) => {
  const { result } = await gradePath(dir, REGISTRY, RUBRIC, { mode: 'grade', seed: 211 });
  return Object.fromEntries(result.checks.map((c) => [c.id, c]));
};

describe('Task 1 init functions from solution.ts', () => {
  it('the TypeScript pair passes both, on 4 (fanIn, fanOut) pairs', async () => {
    const checks = await scores(PAIR);
    expect(checks['task1.xavierInit']).toMatchObject({ status: 'pass', message: expect.stringMatching(/^4 samples \(512×256, /) });
    expect(checks['task1.kaimingInit']!.status).toBe('pass');
  });

  it.each([
    ['Xavier from a normal', [[/\(2 \* Math\.random\(\) - 1\) \* b/, 'gauss() * Math.sqrt(2 / (fanIn + fanOut))']], 'task1.xavierInit', /Xavier from a normal/],
    ['Kaiming with fan_out', [[/Math\.sqrt\(2 \/ fanIn\)/, 'Math.sqrt(2 / fanOut)']], 'task1.kaimingInit', /fan_out instead of fan_in/],
    ['Kaiming with the variance as std', [[/Math\.sqrt\(2 \/ fanIn\)/, '(2 / fanIn)']], 'task1.kaimingInit', /Variance used as the standard deviation/],
  ] as const)('%s loses that check with the diagnosis', async (_name, replace, id, diagnosis) => {
    const checks = await scores(await variant(replace as unknown as [RegExp, string][]));
    for (const c of Object.values(checks)) {
      if (c.kind !== 'auto' || c.question === 'task2' || c.question === 'task3') continue; // the TypeScript pair carries no models
      if (c.id === id) expect(c).toMatchObject({ status: 'fail', score: 0, diagnoses: [{ text: expect.stringMatching(diagnosis) }] });
      else expect(c.status, c.id).toBe('pass');
    }
  });
});
