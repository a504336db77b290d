/**
 * Training and evaluation throughput, TensorFlow.js (each backend installed here) against
 * PyTorch on CPU, side by side in one run, with the same architectures, batch sizes, optimiser
 * (Adam 1e-3) and data sizes:
 *   - MLP (Task 2 baseline, 784-256-128-10, dropout 0.1, batch 256) on the first 12,000
 *     FashionMNIST training images, evaluated on the 10,000 test images;
 *   - CNN (Task 3 baseline, conv 16 → pool → conv 32 → pool → dense 64 → 10, batch 64) on
 *     uniform random 32×32×3 images: throughput does not depend on pixel values, and both sides
 *     then need no SVHN.
 * One warm-up pass (a few batches) precedes each timed pass and is not counted. PyTorch runs
 * with 1 thread (TF.js wasm runs on 1 here) and with every core; Debian's python3-torch is
 * installed by this bench when missing (root and apt-get needed), else its rows say skipped.
 * The last tables profile one MLP and one CNN training step on wasm by kernel: where the time goes.
 * Run: npm run bench -- train
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { loadFashionMnist } from '../src/data/datasets.ts';
import { buildCnn, CNN_DEFAULTS } from '../src/train/cnn.ts';
import { buildMlp, MLP_DEFAULTS, toTensors } from '../src/train/mlp.ts';
import { backendInUse, tensorflow, type BackendName } from '../src/tf/runtime.ts';
import { makeRng } from '../src/util/random.ts';

const PYTHON = '/usr/bin/python3';
const MLP = { hidden: [256, 128], dropout: 0.1, batch: 256, train: 12_000, evaluate: 10_000 };
const CNN = { filters: CNN_DEFAULTS.filters, dense: CNN_DEFAULTS.dense, batch: 64, train: 1_280, evaluate: 2_000 };
/** The cpu backend is pure JavaScript and slow (2 CNN samples/s): it gets fewer images, same batches. */
const ON_CPU = { mlpTrain: 2_560, cnnTrain: 128, cnnEval: 500 };

interface Row { engine: string; mlpTrain: number; mlpEval: number; cnnTrain: number; cnnEval: number }

/** Ensures torch under /usr/bin/python3; returns why not when it cannot. */
function torchReady(): string | undefined {
  const probe = () => spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
  if (probe()) return undefined;
  if (process.getuid?.() !== 0) return 'python3-torch is not installed and this is not root (apt-get install python3-torch libopenblas0-openmp)';
  console.log('installing python3-torch and libopenblas0-openmp with apt-get (once)…');
  const apt = spawnSync('apt-get', ['install', '-y', '-q', 'python3-torch', 'libopenblas0-openmp'], { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (apt.status !== 0) return `apt-get install python3-torch failed: ${(apt.stderr || apt.stdout || String(apt.error)).trim().split('\n').at(-1)}`;
  return probe() ? undefined : 'python3-torch installed but "import torch" still fails';
}

const TORCH_SCRIPT = String.raw`
import gzip, json, sys, time, torch, torch.nn as nn
threads, mlp, cnn = int(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
torch.set_num_threads(threads); torch.manual_seed(211)
def fashion(name, n):
    raw = gzip.open('/usr/share/datasets/fashion-mnist/' + name + '-images-idx3-ubyte.gz').read()[16:16 + 784 * n]
    labels = gzip.open('/usr/share/datasets/fashion-mnist/' + name + '-labels-idx1-ubyte.gz').read()[8:8 + n]
    return torch.frombuffer(bytearray(raw), dtype=torch.uint8).float().reshape(n, 784) / 255, torch.tensor(list(labels))
def rate_train(model, x, y, batch):
    opt, loss = torch.optim.Adam(model.parameters(), 1e-3), nn.CrossEntropyLoss()
    model.train()
    def epoch(n):
        for i in range(0, n, batch):
            opt.zero_grad(); l = loss(model(x[i:i + batch]), y[i:i + batch]); l.backward(); opt.step()
    epoch(4 * batch)
    t = time.perf_counter(); epoch(len(x)); return len(x) / (time.perf_counter() - t)
def rate_eval(model, x):
    model.eval()
    with torch.no_grad():
        model(x[:1000]); t = time.perf_counter()
        for i in range(0, len(x), 1000): torch.softmax(model(x[i:i + 1000]), 1)
        return len(x) / (time.perf_counter() - t)
h = mlp['hidden']
m = nn.Sequential(nn.Linear(784, h[0]), nn.ReLU(), nn.Dropout(mlp['dropout']), nn.Linear(h[0], h[1]), nn.ReLU(), nn.Dropout(mlp['dropout']), nn.Linear(h[1], 10))
x, y = fashion('train', mlp['train']); xt, _ = fashion('t10k', mlp['evaluate'])
out = {'mlpTrain': rate_train(m, x, y, mlp['batch']), 'mlpEval': rate_eval(m, xt)}
f = cnn['filters']
c = nn.Sequential(nn.Conv2d(3, f[0], 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(f[0], f[1], 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                  nn.Flatten(), nn.Linear(f[1] * 64, cnn['dense']), nn.ReLU(), nn.Linear(cnn['dense'], 10))
g = torch.Generator().manual_seed(211)
x = torch.rand(cnn['train'], 3, 32, 32, generator=g); y = torch.randint(0, 10, (cnn['train'],), generator=g)
out.update(cnnTrain=rate_train(c, x, y, cnn['batch']), cnnEval=rate_eval(c, torch.rand(cnn['evaluate'], 3, 32, 32, generator=g)))
out['threads'] = torch.get_num_threads(); out['version'] = torch.__version__
print(json.dumps(out))
`;

function torchRow(threads: number): Row | string {
  const r = spawnSync(PYTHON, ['-c', TORCH_SCRIPT, String(threads), JSON.stringify(MLP), JSON.stringify(CNN)], { encoding: 'utf8' });
  if (r.status !== 0) return `PyTorch failed: ${r.stderr.trim().split('\n').at(-1)}`;
  const o = JSON.parse(r.stdout) as Row & { threads: number; version: string };
  return { ...o, engine: `PyTorch ${o.version} CPU, ${o.threads} thread${o.threads > 1 ? 's' : ''}` };
}

/** Samples per second of `work(n)` after one untimed warm-up call. */
async function rate(n: number, warmUp: () => Promise<unknown>, work: () => Promise<unknown>): Promise<number> {
  await warmUp();
  const t = performance.now();
  await work();
  return n / ((performance.now() - t) / 1000);
}

async function tfjsRow(backend: BackendName): Promise<Row> {
  const tf = await tensorflow(backend);
  const train = loadFashionMnist('train');
  const test = loadFashionMnist('test');
  const trainSet = toTensors(tf, train, Array.from({ length: MLP.train }, (_, i) => i));
  const testSet = toTensors(tf, test, Array.from({ length: MLP.evaluate }, (_, i) => i));
  const mlp = buildMlp({ ...MLP_DEFAULTS, hidden: MLP.hidden, dropout: MLP.dropout });
  mlp.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  type AnyTensor = Parameters<typeof tf.dispose>[0] & ReturnType<typeof tf.tensor>;
  const first = (x: AnyTensor, n: number) => tf.slice(x, 0, n);
  const fit = async (model: typeof mlp, x: AnyTensor, y: AnyTensor, batch: number, n: number) => {
    const [xs, ys] = [first(x, n), first(y, n)];
    await model.fit(xs, ys, { epochs: 1, batchSize: batch, shuffle: false, verbose: 0 });
    tf.dispose([xs, ys]);
  };
  const predict = (model: typeof mlp, x: AnyTensor) => tf.tidy(() => (model.predict(x, { batchSize: 1000 }) as AnyTensor).dataSync());
  const cpu = backend === 'cpu';
  const mlpTrainCount = cpu ? ON_CPU.mlpTrain : MLP.train;
  const mlpTrain = await rate(mlpTrainCount, () => fit(mlp, trainSet.x, trainSet.y, MLP.batch, 4 * MLP.batch), () => fit(mlp, trainSet.x, trainSet.y, MLP.batch, mlpTrainCount));
  const mlpEval = await rate(MLP.evaluate, async () => predict(mlp, first(testSet.x, 1000)), async () => predict(mlp, testSet.x));

  const rng = makeRng(211);
  const cnnTrainCount = cpu ? ON_CPU.cnnTrain : CNN.train;
  const cnnEvalCount = cpu ? ON_CPU.cnnEval : CNN.evaluate;
  const images = (n: number) => tf.tensor4d(Float32Array.from({ length: n * 3072 }, () => rng.next()), [n, 32, 32, 3]);
  const xCnn = images(cnnTrainCount);
  const yCnn = tf.oneHot(tf.tensor1d(Array.from({ length: cnnTrainCount }, () => Math.floor(rng.next() * 10)), 'int32'), 10);
  const xCnnTest = images(cnnEvalCount);
  const cnn = buildCnn({ ...CNN_DEFAULTS, filters: CNN.filters, dense: CNN.dense });
  cnn.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const cnnTrain = await rate(cnnTrainCount, () => fit(cnn, xCnn, yCnn, CNN.batch, 2 * CNN.batch), () => fit(cnn, xCnn, yCnn, CNN.batch, cnnTrainCount));
  const cnnEval = await rate(cnnEvalCount, async () => predict(cnn, first(xCnnTest, Math.min(1000, cnnEvalCount))), async () => predict(cnn, xCnnTest));
  tf.dispose([trainSet.x, trainSet.y, testSet.x, testSet.y, xCnn, yCnn, xCnnTest]);
  return { engine: `TensorFlow.js 4.22 ${backendInUse()}`, mlpTrain, mlpEval, cnnTrain, cnnEval };
}

/** Milliseconds by kernel of one training step on wasm (after one unprofiled step), largest first, and the step's wall time. */
async function profileStep(which: 'mlp' | 'cnn'): Promise<string[]> {
  const tf = await tensorflow('wasm');
  const rng = makeRng(7);
  const batch = which === 'mlp' ? MLP.batch : CNN.batch;
  const shape: [number, ...number[]] = which === 'mlp' ? [batch, 784] : [batch, 32, 32, 3];
  const x = tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next()), shape);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, () => Math.floor(rng.next() * 10)), 'int32'), 10);
  const model = which === 'mlp' ? buildMlp({ ...MLP_DEFAULTS, hidden: MLP.hidden, dropout: MLP.dropout }) : buildCnn({ ...CNN_DEFAULTS, filters: CNN.filters, dense: CNN.dense });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  await model.trainOnBatch(x, y);
  const t = performance.now();
  await model.trainOnBatch(x, y);
  const wall = performance.now() - t;
  const profile = await tf.profile(() => model.trainOnBatch(x, y) as unknown as ReturnType<typeof tf.scalar>);
  const byKernel = new Map<string, number>();
  for (const k of profile.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  const total = [...byKernel.values()].reduce((a, b) => a + b, 0);
  tf.dispose([x, y]);
  return [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 8)
    .map(([name, ms]) => `| ${name} | ${ms.toFixed(1)} | ${((100 * ms) / total).toFixed(0)}% |`)
    .concat(`| all ${byKernel.size} kernels (${profile.kernels.length} calls) | ${total.toFixed(1)} | 100% |`, `| the step's wall time, unprofiled | ${wall.toFixed(1)} | |`);
}

const rows: (Row | string)[] = [];
const why = torchReady();
let peer: Row | undefined;
if (why) rows.push(`PyTorch skipped: ${why}`);
else {
  for (const threads of [...new Set([1, availableParallelism()])]) {
    const r = torchRow(threads);
    rows.push(r);
    if (threads === 1 && typeof r !== 'string') peer = r;
  }
}
const backends: BackendName[] = ['wasm', 'cpu'];
try {
  (await import('node:module')).createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
  backends.unshift('tensorflow');
} catch {
  rows.push('TensorFlow.js node backend: not installed (its install downloads libtensorflow), no row');
}
// BENCH_BACKENDS=wasm,cpu (or empty for none) narrows the TF.js rows, e.g. to look at the profile alone.
const chosenBackends = process.env.BENCH_BACKENDS !== undefined ? (process.env.BENCH_BACKENDS.split(",").filter(Boolean) as BackendName[]) : backends;
for (const b of chosenBackends) rows.push(await tfjsRow(b));

const ratio = (r: Row, k: keyof Omit<Row, 'engine'>) => (peer ? ` (${(r[k] / peer[k]).toFixed(2)}×)` : '');
console.log(`MLP: ${MLP.train} FashionMNIST images, batch ${MLP.batch}; CNN: ${CNN.train} random 32×32×3 images, batch ${CNN.batch}; evaluation of ${MLP.evaluate} / ${CNN.evaluate} images in batches of 1,000 (TF.js cpu: ${ON_CPU.mlpTrain} MLP and ${ON_CPU.cnnTrain} CNN training images, ${ON_CPU.cnnEval} CNN evaluations). Ratios are to PyTorch on 1 thread.\n`);
console.log('| engine | MLP train samples/s | MLP eval images/s | CNN train samples/s | CNN eval images/s |');
console.log('|---|---|---|---|---|');
for (const r of rows) {
  if (typeof r === 'string') console.log(`| ${r} | | | | |`);
  else console.log(`| ${r.engine} | ${r.mlpTrain.toFixed(0)}${ratio(r, 'mlpTrain')} | ${r.mlpEval.toFixed(0)}${ratio(r, 'mlpEval')} | ${r.cnnTrain.toFixed(0)}${ratio(r, 'cnnTrain')} | ${r.cnnEval.toFixed(0)}${ratio(r, 'cnnEval')} |`);
}
for (const which of ['mlp', 'cnn'] as const) {
  console.log(`\nOne ${which.toUpperCase()} training step (batch ${which === 'mlp' ? MLP.batch : CNN.batch}) on TensorFlow.js wasm, by kernel:\n`);
  console.log('| kernel | ms | share |');
  console.log('|---|---|---|');
  for (const line of await profileStep(which)) console.log(line);
}
