/**
 * Evaluation throughput of the Task 2 MLP (784-256-128-10) on the 10,000 FashionMNIST test
 * images and of the Task 3 CNN on 32×32×3 images, by path: a TensorFlow.js model (which the evaluator translates to ONNX), an ONNX export, both as the harness runs them (in
 * the sandboxed evaluator child, so start-up is included), and in-process; against PyTorch on
 * CPU (Debian's python3-torch under /usr/bin/python3), skipped with a line where it is absent.
 * Run: npm run bench -- models
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { evaluateModel } from '../src/models/evaluate.ts';
import { DEFAULT_MODEL_LIMITS } from '../src/models/limits.ts';
import { planGradingData } from '../src/data/plan.ts';

const root = new URL('..', import.meta.url).pathname;
const flat = { scale: 1 / 255, layout: 'flat' as const };
const rows: string[] = [];
const plan = await planGradingData();
if (plan.fashionTest.data.kind !== 'idx') throw new Error(plan.fashionTest.line);
const fashionFiles = plan.fashionTest.data;
let torchRate: number | undefined;

const py = spawnSync('/usr/bin/python3', ['-c', `
import gzip, time, torch, struct, json
spec = json.load(open('${join(root, 'solutions/correct/models/mlp/model.json')}'))
raw = open('${join(root, 'solutions/correct/models/mlp/weights.bin')}', 'rb').read()
ws, off = [], 0
for w in spec['weightsManifest'][0]['weights']:
    n = 1
    for d in w['shape']: n *= d
    ws.append(torch.tensor(struct.unpack_from('<%df' % n, raw, off)).reshape(w['shape'])); off += 4 * n
x = torch.tensor(list(gzip.open('${fashionFiles.images}').read()[16:]), dtype=torch.float32).reshape(-1, 784) / 255
def net(x):
    h = torch.relu(x @ ws[0] + ws[1]); h = torch.relu(h @ ws[2] + ws[3]); return torch.softmax(h @ ws[4] + ws[5], 1)
with torch.no_grad():
    net(x); t = time.perf_counter()
    for _ in range(5): net(x)
print(5 * len(x) / (time.perf_counter() - t), torch.get_num_threads(), torch.__config__.parallel_info().splitlines()[0])
`], { encoding: 'utf8' });
if (py.status === 0) {
  const [rate, threads] = py.stdout.trim().split(' ');
  torchRate = Number(rate);
  rows.push(`| PyTorch ${'(CPU, ' + threads + ' threads), in-process, 5 passes'} | ${torchRate.toFixed(0)} | 1.00 |`);
} else {
  rows.push(`| PyTorch | skipped: /usr/bin/python3 with torch not available (apt-get install python3-torch libopenblas0-openmp) | |`);
}

for (const [label, format, model] of [
  ['TensorFlow.js model (translated to ONNX there), evaluator child (start-up, load, 10,000 images)', 'tfjs', 'solutions/correct/models/mlp/model.json'],
  ['onnxruntime-node, evaluator child (start-up, load, 10,000 images)', 'onnx', 'solutions/pytorch-onnx-pair/models/mlp.onnx'],
] as const) {
  const t = performance.now();
  const r = await evaluateModel({ format, model: join(root, model), dataset: 'fashion-mnist', preprocessing: flat, noise: [], seed: 211 }, plan.fashionTest.data, model, DEFAULT_MODEL_LIMITS);
  const seconds = (performance.now() - t) / 1000;
  if (!r.ok) throw new Error(r.message);
  const rate = r.result.count / seconds;
  rows.push(`| ${label} | ${rate.toFixed(0)} | ${torchRate ? (rate / torchRate).toFixed(3) : '–'} |`);
}
// The same evaluation in this process, measured twice and the second kept: the engines warm.
const { evaluate } = await import('../src/models/evaluate-child.ts');
for (const [label, format, model] of [
  ['TensorFlow.js model (translated to ONNX), in-process (load + 10,000 images)', 'tfjs', 'solutions/correct/models/mlp/model.json'],
  ['onnxruntime-node, in-process (load + 10,000 images)', 'onnx', 'solutions/pytorch-onnx-pair/models/mlp.onnx'],
] as const) {
  let seconds = 0;
  for (let i = 0; i < 2; i++) {
    const t = performance.now();
    await evaluate({ format, model: join(root, model), dataset: 'fashion-mnist', preprocessing: flat, noise: [], seed: 211, data: fashionFiles });
    seconds = (performance.now() - t) / 1000;
  }
  const rate = 10_000 / seconds;
  rows.push(`| ${label} | ${rate.toFixed(0)} | ${torchRate ? (rate / torchRate).toFixed(3) : '–'} |`);
}
// The Task 3 CNN on 32×32×3 (SVHN where present, else the synthetic set): the same weights as
// TF.js (NHWC) and as the PyTorch pair's ONNX export (NCHW), against PyTorch running the same
// architecture (weights do not change its speed) on 5,000 random images in batches of 500, as
// the evaluator batches them.
const cnnRows: string[] = [];
let torchCnnRate: number | undefined;
const torchCnn = spawnSync('/usr/bin/python3', ['-c', `
import time, torch, torch.nn as nn
torch.manual_seed(211)
net = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Flatten(), nn.Linear(2048, 64), nn.ReLU(), nn.Linear(64, 10), nn.Softmax(dim=1)).eval()
x = torch.rand(5000, 3, 32, 32)
with torch.no_grad():
    net(x[:500]); t = time.perf_counter()
    for i in range(0, 5000, 500): net(x[i:i + 500])
print(5000 / (time.perf_counter() - t), torch.get_num_threads())
`], { encoding: 'utf8' });
if (torchCnn.status === 0) {
  const [rate, threads] = torchCnn.stdout.trim().split(' ');
  torchCnnRate = Number(rate);
  cnnRows.push(`| CNN, PyTorch (CPU, ${threads} threads), in-process, 5,000 images | ${torchCnnRate.toFixed(0)} | 1.00 |`);
}
const svhnRequest = (format: 'tfjs' | 'onnx', model: string) => ({
  format, model: join(root, model), dataset: 'svhn' as const, preprocessing: { scale: 1 / 255, layout: format === 'onnx' ? 'NCHW' as const : 'NHWC' as const }, noise: [], seed: 211,
});
const svhnData = plan.svhnTest.data.kind === 'mat' ? plan.svhnTest.data : { kind: 'synthetic' as const };
// Where SVHN is absent the synthetic test set is generated once per grading process; a one-image
// evaluation first, so that the rows below time what each further model costs.
await evaluateModel({ ...svhnRequest('onnx', 'solutions/pytorch-onnx-pair/models/cnn.onnx'), limit: 1 }, svhnData, 'warm-up', DEFAULT_MODEL_LIMITS);
for (const [label, format, model] of [
  ['CNN, TensorFlow.js model (translated to ONNX there), evaluator child', 'tfjs', 'solutions/correct/models/cnn/model.json'],
  ['CNN, onnxruntime-node, evaluator child', 'onnx', 'solutions/pytorch-onnx-pair/models/cnn.onnx'],
] as const) {
  const t = performance.now();
  const r = await evaluateModel(svhnRequest(format, model), svhnData, model, DEFAULT_MODEL_LIMITS);
  if (!r.ok) throw new Error(r.message);
  const seconds = (performance.now() - t) / 1000;
  const rate = r.result.count / seconds;
  cnnRows.push(`| ${label} (start-up, load, ${r.result.count} ${r.result.synthetic ? 'synthetic' : 'SVHN'} images) | ${rate.toFixed(0)} | ${torchCnnRate ? (rate / torchCnnRate).toFixed(3) : '–'} |`);
}
for (const [label, format, model] of [
  ['CNN, TensorFlow.js model (translated to ONNX), in-process (load + images)', 'tfjs', 'solutions/correct/models/cnn/model.json'],
  ['CNN, onnxruntime-node, in-process (load + images)', 'onnx', 'solutions/pytorch-onnx-pair/models/cnn.onnx'],
] as const) {
  // the test set is generated (or read) and cached on the first call; the second is timed
  await evaluate({ ...svhnRequest(format, model), data: svhnData });
  const t = performance.now();
  const r = await evaluate({ ...svhnRequest(format, model), data: svhnData });
  if ('environment' in r) throw new Error(r.environment);
  const rate = r.count / ((performance.now() - t) / 1000);
  cnnRows.push(`| ${label} | ${rate.toFixed(0)} | ${torchCnnRate ? (rate / torchCnnRate).toFixed(3) : '–'} |`);
}
console.log('MLP 784-256-128-10 on the 10,000 FashionMNIST test images:\n');
console.log('| path | images/s | ratio to PyTorch |');
console.log('|---|---|---|');
for (const r of rows) console.log(r);
console.log('\nCNN (Task 3 baseline) on 32×32×3 images:\n');
console.log('| path | images/s | ratio to PyTorch |');
console.log('|---|---|---|');
for (const r of cnnRows) console.log(r);
