/**
 * Task 3 end to end with a small CNN built here (untrained: seeded weights), saved as a pair
 * would hand it in. SVHN's files are not on this machine (nor in CI), so the accuracy, noise
 * and augmentation checks run on the synthetic SVHN-like set and go to a TA, labelled; the
 * parameter count and the dimensions are graded outright.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { gradePath } from '../../src/engine/pipeline.ts';
import { saveLayersModelToDisk } from '../../src/models/tfjs-io.ts';
import { tensorflow } from '../../src/tf/runtime.ts';
import { RUBRIC } from '../helpers.ts';
import { REGISTRY } from '../../checks/index.ts';

// conv 3·3·3·8 + 8 = 224; pooled 16·16·8 = 2,048 → dense 2,048·10 + 10 = 20,490; 20,714 in all (by hand)
const PARAMS = 20_714;

async function cnnSubmission(claimedParams: number): Promise<string> {
  await tensorflow();
  const model = tfl.sequential({ layers: [
    tfl.layers.conv2d({ inputShape: [32, 32, 3], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
    tfl.layers.maxPooling2d({ poolSize: 2 }),
    tfl.layers.flatten(),
    tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
  ] });
  const dir = join(await mkdtemp(join(tmpdir(), 'hw2-cnn-')), 'cnn-pair');
  await saveLayersModelToDisk(model, join(dir, 'models', 'cnn'));
  await mkdir(join(dir, 'history'));
  await writeFile(join(dir, 'history', 'cnn.csv'), 'epoch,loss,val_loss\n1,2.1,2.0\n2,1.2,1.3\n3,0.8,1.0\n');
  await writeFile(join(dir, 'hw2.json'), JSON.stringify({
    contract: 1, group: { ids: ['123456782'] },
    answers: { task3: {
      model: { path: 'models/cnn/model.json', preprocessing: { scale: 1 / 255, layout: 'NHWC' } },
      claimed: { testAccuracy: 0.91, params: claimedParams, noise: [{ a: 0.05, accuracy: 0.9 }, { a: 0.01, accuracy: 0.91 }, { a: 0.005, accuracy: 0.91 }] },
      inputShape: [32, 32, 3], outputShape: [10], augmentation: 'Random crops of 28 px, padded back to 32.', history: 'history/cnn.csv',
    } },
  }));
  return dir;
}

describe('Task 3 with a CNN, on this machine without SVHN', () => {
  it('grades the parameter count and the dimensions, and leaves the data-dependent checks to a TA, labelled synthetic', async () => {
    const { result } = await gradePath(await cnnSubmission(PARAMS), REGISTRY, RUBRIC, { mode: 'grade', seed: 211 });
    const c = Object.fromEntries(result.checks.map((x) => [x.id, x]));
    expect(c['task3.params']).toMatchObject({ status: 'pass', score: 2, expected: PARAMS });
    expect(c['task3.dims']).toMatchObject({ status: 'pass', message: 'Input [32, 32, 3], output [10].' });
    expect(c['task3.curves']!.status).toBe('pass');
    for (const id of ['task3.accuracy', 'task3.noise']) {
      expect(c[id]).toMatchObject({ status: 'manual', score: 0, message: expect.stringMatching(/synthetic SVHN-like images \(labelled synthetic\)/) });
    }
    // the three noise levels were measured and are shown beside the claims
    const noise = c['task3.noise']!.evidence as { rows: { cells: unknown[] }[] };
    expect(noise.rows.map((r) => r.cells[0])).toEqual([0.05, 0.01, 0.005]);
    for (const r of noise.rows) expect(r.cells[2]).toBeGreaterThanOrEqual(0);
    // described but no augmented model: a third of the check
    expect(c['task3.augmentation']!.score).toBe(1);
    // the synthetic checks wait for a TA, so they count as pending
    expect(result.pendingManual).toBeGreaterThanOrEqual(5 + 3);
  }, 120_000);

  it('flags a printed parameter count that the model file contradicts', async () => {
    const { result } = await gradePath(await cnnSubmission(21_000), REGISTRY, RUBRIC, { mode: 'grade', seed: 211 });
    expect(result.checks.find((x) => x.id === 'task3.params')).toMatchObject({ status: 'fail', message: '21,000 printed; the model file has 20,714 trainable parameters.' });
    expect(result.integrity).toEqual([{ what: 'task3 parameter count', claimed: 21_000, measured: PARAMS }]);
  }, 120_000);
});
