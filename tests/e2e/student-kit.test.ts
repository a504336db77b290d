/**
 * The students' side for real: tests/fixtures/student-kit/make_submission.py trains a small
 * MLP and a small CNN for a few batches with PyTorch (Debian's python3-torch), hands every part
 * to kit/python/hw2kit.py, exports the models to ONNX and packs the course's zip. The zip is
 * then checked by the student build (outside the repository) and graded by the full harness.
 *
 * The expected accuracy is torch's own, measured by the script on the same 10,000 FashionMNIST
 * test images the harness is given (read there with gzip and numpy, no harness code): the
 * harness's ONNX measurement must equal it to the image.
 */
import { execFile, spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStudent } from '../../scripts/build-student.mjs';
import { hw2, ROOT } from '../helpers-cli.ts';
import { RUBRIC } from '../helpers.ts';

const exec = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const torch = spawnSync(PYTHON, ['-c', 'import torch, numpy, onnx'], { encoding: 'utf8' }).status === 0;
const skipped = torch ? '' : ' (skipped: needs Debian\'s python3-torch, python3-numpy and python3-onnx for /usr/bin/python3)';

interface Made { zip: string; correct: number; total: number; accuracy: number; cnnParams: number; refusals: string[] }
interface Row { id: string; status: string; score: number; visibility: string; message: string; actual?: unknown; diagnoses?: unknown }
interface Result { score: number; checks: Row[] }

let work: string;
let made: Made;
let checked: Result;
let graded: Result;
let checkRun: { code: number; stdout: string; stderr: string };

function zipNames(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const names: string[] = [];
      zip.on('entry', (e: yauzl.Entry) => {
        names.push(e.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names.sort()));
      zip.readEntry();
    });
  });
}

describe.skipIf(!torch)(`a PyTorch pair with hw2kit.py, checked by the student build and graded by the harness${skipped}`, () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'hw2-student-kit-'));
    // The test split both sides read: the harness from --data-dir, the script from the same files.
    const data = join(work, 'data', 'fashion-mnist');
    await mkdir(data, { recursive: true });
    for (const f of ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) await copyFile(join(ROOT, 'vendor/fashion-mnist', f), join(data, f));
    const pair = join(work, 'pair');
    await mkdir(pair);
    const [python, build] = await Promise.all([
      exec(PYTHON, [join(ROOT, 'tests/fixtures/student-kit/make_submission.py'), join(ROOT, 'kit/python'), pair, data], { maxBuffer: 16 << 20, env: { ...process.env, OMP_NUM_THREADS: '1' } }),
      buildStudent(join(work, 'hw2-student')),
    ]);
    made = JSON.parse(python.stdout.trim().split('\n').at(-1)!) as Made;
    await symlink(join(ROOT, 'node_modules'), join(build.outDir, 'node_modules'), 'dir');
    const dataArgs = ['--data-dir', join(work, 'data'), '--reporter', 'json'];
    const student = exec(process.execPath, [join(build.outDir, 'hw2.mjs'), 'check', made.zip, '--out', join(work, 'checked'), ...dataArgs], { cwd: work })
      .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }));
    const [fromStudent, fromHarness] = await Promise.all([student, hw2(['grade', made.zip, '--out', join(work, 'graded'), '--quiet', ...dataArgs])]);
    checkRun = fromStudent;
    expect(fromHarness.stderr).toBe('');
    const id = 'ee046211_hw2_123456782_234567891';
    checked = JSON.parse(await readFile(join(work, 'checked', id, 'result.json'), 'utf8')) as Result;
    graded = JSON.parse(await readFile(join(work, 'graded', id, 'result.json'), 'utf8')) as Result;
  }, 240_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  const row = (r: Result, id: string) => r.checks.find((c) => c.id === id)!;

  it('packs the zip the course asks for, of file types the rubric allows', async () => {
    expect(made.zip.endsWith('ee046211_hw2_123456782_234567891.zip')).toBe(true);
    const names = await zipNames(made.zip);
    expect(names).toEqual([
      'ee046211_hw2_123456782_234567891.ipynb', 'history/cnn.json', 'history/mlp.json', 'hw2.json',
      'kaiming_512_256.npy', 'models/cnn.onnx', 'models/mlp.onnx', 'xavier_512_256.npy',
    ]);
    const forbidden = names.filter((n) => RUBRIC.rules.forbiddenExtensions.includes(n.split('.').pop()!.toLowerCase()));
    expect(forbidden).toEqual([]);
  });

  it('refuses a wrong value at once, naming the field in the contract\'s words', () => {
    expect(made.refusals).toEqual([
      'answers.q2.gradients.w11: unknown field (expected w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, b1, b2)',
      'answers.q2.forward.E: expected number, found str \'0.59\'',
      'answers.task2.claimed.testAccuracy: expected an accuracy in [0, 1], found 89.5 (a percentage? divide by 100)',
    ]);
  });

  it('measures the exported MLP as torch does, to the image', () => {
    expect(made.total).toBe(10_000);
    for (const result of [checked, graded]) {
      const accuracy = row(result, 'task2.accuracy');
      expect((accuracy.actual as { measured: number }).measured).toBe(made.correct / made.total);
      expect(accuracy.message).toContain('onnxruntime-node');
    }
  });

  it('grades every part the kit wrote, in the student build as in the full harness', () => {
    expect(checkRun.stderr).toBe('');
    const passing = ['q4.expectation', 'q4.sigma', 'task1.nanLayer', 'task1.products', 'task1.scaled', 'task1.xavierInit', 'task1.kaimingInit',
      'task2.description', 'task2.curves', 'task3.params', 'task3.dims', 'task3.curves', 'rules.fileName', 'rules.executed', 'rules.fileTypes'];
    for (const id of passing) {
      expect(`${id} ${row(graded, id).status}: ${row(graded, id).message}`).toMatch(new RegExp(`^${id.replace('.', '\\.')} pass`));
    }
    // The claimed parameter count is the model's (5,538 by hand: 3·9·4+4 + 4·9·8+8 + 512·10+10).
    expect(made.cnnParams).toBe(5538);
    // Public rows the same in both; hidden rows only "graded later" in the student build.
    for (const r of graded.checks) {
      const s = row(checked, r.id);
      if (r.visibility === 'hidden') expect(s.status).toBe('hidden');
      else expect({ id: s.id, status: s.status, score: s.score }).toEqual({ id: r.id, status: r.status, score: r.score });
    }
  });
});
