/**
 * The evaluator child's own judgement of whose fault a failure is. Called in-process here (the
 * sandboxed child runs this same function): a file the grading machine wrote for it and cannot
 * read is the machine's fault, held back, never the model's.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { evaluate } from '../../src/models/evaluate-child.ts';
import { ROOT } from '../helpers-cli.ts';

const dir = await mkdtemp(join(tmpdir(), 'hw2-child-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

it('a noise field shorter than its rows is the environment\'s fault, named, before any image is measured', async () => {
  const short = join(dir, 'noise.f32');
  await writeFile(short, new Uint8Array(40)); // 10 floats, where 5,000 rows of 32×32×3 are due
  const r = await evaluate({
    format: 'onnx', model: join(ROOT, 'solutions/pytorch-onnx-pair/models/cnn.onnx'), dataset: 'svhn', data: { kind: 'synthetic' },
    preprocessing: { scale: 1 / 255, layout: 'NCHW' }, noise: [0.05], seed: 211, noiseFile: { file: short, rows: 5000 }, threads: 1, limit: 100,
  });
  expect(r).toEqual({ environment: `the run's noise field could not be read: ${short} is shorter than 5000 rows` });
}, 60_000);
