/**
 * A course as it will look: N pairs (default 20; `--pairs 300` for a whole course), each with
 * its two MLPs and two CNNs — half the pairs TensorFlow.js (copies of `correct`), half ONNX
 * (copies of `pytorch-onnx-pair`), every model file with bytes of its own — graded by the CLI
 * with `--jobs` (default 2) and PDFs, on test sets of the real size: FashionMNIST's 10,000 and
 * SVHN's 26,032 (the real test split where present, else 26,032 synthetic images written as
 * svhn/test_32x32.mat and labelled synthetic). Prints pairs/min and the peak memory of the
 * largest process; then one pair of each format stage by stage in this process (intake, the
 * solution module, Task 1, each model, the checks, report.html, report.pdf); then the same
 * models' evaluation through PyTorch on CPU (Debian's python3-torch under /usr/bin/python3), in
 * the same run, as the peer. `--baseline DIR` also grades the same batch with the checkout in
 * DIR (say, the main branch before this change) for a before/after on the same machine.
 * Run: npm run bench -- course [--pairs N] [--jobs N] [--no-pdf] [--baseline DIR]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSvhn, loadSvhnFile } from '../src/data/datasets.ts';
import type { ImageSet } from '../src/data/image-set.ts';
import { SVHN_TEST_IMAGES } from '../src/data/noise.ts';
import { planGradingData } from '../src/data/plan.ts';
import { syntheticSvhn } from '../src/data/synthetic-svhn.ts';
import { gradePath } from '../src/engine/pipeline.ts';
import { disposeEvaluator } from '../src/models/evaluate.ts';
import { Reporters } from '../src/report/reporters.ts';
import { loadRubric, registry, withTotals } from '../src/cli/harness.ts';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const pairs = Number(flag('--pairs') ?? 20);
const jobs = Number(flag('--jobs') ?? 2);
const pdf = !args.includes('--no-pdf');
const baseline = flag('--baseline');
if (!Number.isInteger(pairs) || pairs < 2) throw new Error('--pairs takes a whole number, at least 2');

const work = await mkdtemp(join(tmpdir(), 'hw2-bench-course-'));
const line = (s = '') => console.log(s);
/** The machine's 1-minute load average: on a shared machine, how busy it was while a phase ran. */
const load = () => `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`;

// ---- the test sets ------------------------------------------------------------------------
/** MAT v5, uncompressed, as scipy.io.savemat writes it: X 32×32×3×N uint8 column-major, y N×1 double (10 for the digit 0). */
function matFile(set: ImageSet): Buffer {
  const element = (type: number, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32LE(type, 0);
    head.writeUInt32LE(data.length, 4);
    return Buffer.concat([head, data, Buffer.alloc((8 - (data.length % 8)) % 8)]);
  };
  const int32s = (values: number[]) => Buffer.from(Int32Array.from(values).buffer);
  const matrix = (name: string, mxClass: number, dims: number[], type: number, data: Buffer) => element(14, Buffer.concat([
    element(6, int32s([mxClass, 0])), element(5, int32s(dims)), element(1, Buffer.from(name, 'latin1')), element(type, data),
  ]));
  const n = set.count;
  const x = Buffer.alloc(n * 32 * 32 * 3);
  for (let k = 0; k < n; k++) for (let ch = 0; ch < 3; ch++) for (let col = 0; col < 32; col++) for (let row = 0; row < 32; row++) {
    x[row + 32 * (col + 32 * (ch + 3 * k))] = set.images[((k * 32 + row) * 32 + col) * 3 + ch]!;
  }
  const y = Buffer.from(Float64Array.from(set.labels, (l) => (l === 0 ? 10 : l)).buffer);
  const header = Buffer.alloc(128, ' ');
  header.write('MATLAB 5.0 MAT-file, written by hw2-harness bench/course.ts (synthetic SVHN-like images)', 0, 'latin1');
  header.writeUInt16LE(0x0100, 124);
  header.write('IM', 126, 'latin1');
  return Buffer.concat([header, matrix('X', 9, [32, 32, 3, n], 2, x), matrix('y', 6, [n, 1], 9, y)]);
}

const realSvhn = findSvhn('test');
const dataDir = join(work, 'data');
let svhnLabel: string;
if (realSvhn) {
  svhnLabel = `SVHN test, ${realSvhn}`;
} else {
  // Generated once per machine (about 20 s) and kept in the temporary folder between runs.
  const cached = join(tmpdir(), `hw2-bench-svhn-synthetic-${SVHN_TEST_IMAGES}.mat`);
  if (!existsSync(cached) || statSync(cached).size < SVHN_TEST_IMAGES * 3072) await writeFile(cached, matFile(syntheticSvhn('test', SVHN_TEST_IMAGES)));
  await mkdir(join(dataDir, 'svhn'), { recursive: true });
  await cp(cached, join(dataDir, 'svhn', 'test_32x32.mat'));
  svhnLabel = `${SVHN_TEST_IMAGES.toLocaleString('en-US')} SYNTHETIC SVHN-like images (real SVHN is absent), as svhn/test_32x32.mat`;
}
const dataArgs = realSvhn ? [] : ['--data-dir', dataDir];
const plan = await planGradingData(realSvhn ? undefined : dataDir);
if (plan.svhnTest.data.kind !== 'mat' || plan.fashionTest.data.kind !== 'idx') throw new Error(`test sets: ${plan.fashionTest.line}; ${plan.svhnTest.line}`);

// ---- the pairs ----------------------------------------------------------------------------
const pairsDir = join(work, 'pairs');
await mkdir(pairsDir);
/** A copy of `example` with new ids and model files whose bytes are its own. */
async function makePair(example: string, k: number): Promise<string> {
  const ids = [String(300_000_000 + 2 * k), String(300_000_001 + 2 * k)];
  const stem = `ee046211_hw2_${ids.join('_')}`;
  const dir = join(pairsDir, stem);
  await cp(join(root, 'solutions', example), dir, { recursive: true });
  const manifest = JSON.parse(await readFile(join(dir, 'hw2.json'), 'utf8'));
  manifest.group.ids = ids;
  await writeFile(join(dir, 'hw2.json'), JSON.stringify(manifest, null, 1));
  for (const f of readdirSync(dir)) if (f.endsWith('.ipynb') && f !== `${stem}.ipynb`) await rename(join(dir, f), join(dir, `${stem}.ipynb`));
  for (const model of readdirSync(join(dir, 'models'))) {
    const path = join(dir, 'models', model);
    if (model.endsWith('.onnx')) {
      // ModelProto.doc_string (field 6) appended: valid protobuf, a different file.
      const doc = Buffer.from(`bench pair ${k}`);
      await writeFile(path, Buffer.concat([readFileSync(path), Buffer.from([0x32, doc.length]), doc]));
    } else {
      const json = JSON.parse(await readFile(join(path, 'model.json'), 'utf8'));
      json.generatedBy = `${json.generatedBy ?? ''} (bench pair ${k})`;
      await writeFile(join(path, 'model.json'), JSON.stringify(json));
    }
  }
  return dir;
}
const made: string[] = [];
for (let k = 0; k < pairs; k++) made.push(await makePair(k % 2 === 0 ? 'correct' : 'pytorch-onnx-pair', k));

line(`${pairs} pairs (${Math.ceil(pairs / 2)} TensorFlow.js, ${Math.floor(pairs / 2)} ONNX; each an MLP and its re-initialized twin, a CNN and its augmented twin), --jobs ${jobs}, ${pdf ? 'PDFs on' : 'no PDFs'}, ${availableParallelism()} cores`);
line(`Test sets: FashionMNIST ${plan.fashionTest.line.replace(/^FashionMNIST test: /, '')}; ${svhnLabel}`);
line();

// ---- the whole batch through the CLI ------------------------------------------------------
const timeTool = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
function gradeWith(checkout: string, label: string): { label: string; seconds: number; mb: number } {
  const out = join(work, `out-${label.replace(/\W+/g, '-')}`);
  const cli = [process.execPath, join(checkout, 'bin/hw2.mjs'), 'grade', pairsDir, '--out', out, '--jobs', String(jobs), '--quiet', ...dataArgs, ...(pdf ? [] : ['--no-pdf'])];
  const started = performance.now();
  const r = timeTool ? spawnSync(timeTool, ['-f', '%M', ...cli], { cwd: checkout, encoding: 'utf8' }) : spawnSync(cli[0]!, cli.slice(1), { cwd: checkout, encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  // Exit 1 is expected where Task 3's checks are held back (never here: SVHN's stand-in is a .mat), so only 2+ is a failure.
  if (r.status !== 0 && r.status !== 1) throw new Error(`${label}: hw2 grade failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const results = readdirSync(out).filter((d) => existsSync(join(out, d, 'result.json')));
  if (results.length !== pairs) throw new Error(`${label}: ${results.length} results for ${pairs} pairs: ${r.stderr.slice(-2000)}`);
  const kb = timeTool ? Number(r.stderr.trim().split('\n').pop()) : NaN;
  return { label: `${label} (ended at ${load()})`, seconds, mb: kb / 1024 };
}
const runs = [gradeWith(root, 'this checkout')];
if (baseline) runs.push(gradeWith(baseline, `baseline ${baseline}`));
line('| harness | wall time | pairs/min | s per pair | 300 pairs at this pace | peak RSS, largest process |');
line('|---|---|---|---|---|---|');
for (const r of runs) {
  const perPair = r.seconds / pairs;
  line(`| ${r.label} | ${r.seconds.toFixed(0)} s | ${(60 / perPair).toFixed(2)} | ${perPair.toFixed(1)} | ${((300 * perPair) / 60).toFixed(0)} min | ${Number.isFinite(r.mb) ? `${r.mb.toFixed(0)} MB` : 'n/a (no /usr/bin/time)'} |`);
}
line();

// ---- one pair of each format, stage by stage, in this process -----------------------------
const rubric = await loadRubric(undefined);
const checks = await registry();
const html = await Reporters.create(['html'], { jobs: 1, allowIncomplete: false, warn: () => {} });
const printer = pdf ? await Reporters.create(['pdf'], { jobs: 1, allowIncomplete: false, warn: (w) => line(`(pdf: ${w})`) }) : undefined;
const stageRows = new Map<string, number[]>();
const modelSeconds: number[] = [];
const engines: string[] = [];
for (const [i, dir] of made.slice(0, 2).entries()) {
  const stages: [string, number][] = [];
  const started = performance.now();
  const graded = await gradePath(dir, checks, rubric, { mode: 'grade', seed: 211, ...(realSvhn ? {} : { dataDir }), modelThreads: Math.max(1, Math.floor(availableParallelism() / jobs)), onStage: (stage, ms) => stages.push([stage, ms]) });
  const result = await withTotals(graded.result);
  engines.push([...new Set(JSON.stringify(result).match(/onnxruntime-node [\d.]+ \(cpu\)(, translated from TensorFlow\.js)?|TensorFlow\.js [^("]+\([^)"]*\) \(not translated to ONNX: [^"]*?\)\)/g) ?? [])].join('; ') || 'none named in result.json');
  const out = join(work, 'stages', String(i));
  await mkdir(out, { recursive: true });
  let t = performance.now();
  await html.submission(result, out);
  stages.push(['report.html', performance.now() - t]);
  if (printer) {
    t = performance.now();
    await printer.submission(result, out);
    stages.push(['report.pdf', performance.now() - t]);
  }
  stages.push(['whole pair', performance.now() - started]);
  line(`(pair ${i + 1} of the stage-by-stage run ended at ${load()})`);
  modelSeconds.push(stages.filter(([s]) => s.startsWith('models (all')).reduce((a, [, ms]) => a + ms, 0) / 1000);
  for (const [stage, ms] of stages) {
    const row = stageRows.get(stage) ?? [NaN, NaN];
    row[i] = ms / 1000;
    stageRows.set(stage, row);
  }
}
await printer?.close();
await html.close();
await disposeEvaluator();
line(`Stages of one pair in this process (one job's share of the cores: ${Math.max(1, Math.floor(availableParallelism() / jobs))} onnxruntime thread${availableParallelism() / jobs >= 2 ? 's' : ''}; the first pair also pays for the noise field and the synthetic or real test set's first read):`);
line();
line('| stage | TF.js pair (s) | ONNX pair (s) |');
line('|---|---|---|');
for (const [stage, [a, b]] of stageRows) line(`| ${stage} | ${a!.toFixed(2)} | ${b!.toFixed(2)} |`);
line();
line(`Engines: TF.js pair: ${engines[0]}. ONNX pair: ${engines[1]}.`);
line();

// ---- the peer: the same models through PyTorch on CPU -------------------------------------
const rawSvhn = join(work, 'svhn-test.u8');
const svhnSet = await loadSvhnFile(plan.svhnTest.data.file, 'test');
await writeFile(rawSvhn, Buffer.concat([svhnSet.images, svhnSet.labels]));
const torchThreads = Math.max(1, Math.floor(availableParallelism() / jobs));
const py = spawnSync('/usr/bin/python3', ['-c', `
import gzip, json, struct, sys, time
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(${torchThreads})
torch.manual_seed(211)
def tfjs(dir):
    spec = json.load(open(dir + '/model.json'))
    raw = b''.join(open(dir + '/' + p, 'rb').read() for g in spec['weightsManifest'] for p in g['paths'])
    ws, off = {}, 0
    for g in spec['weightsManifest']:
        for w in g['weights']:
            n = int(np.prod(w['shape']))
            ws[w['name']] = torch.from_numpy(np.frombuffer(raw, '<f4', n, off).reshape(w['shape']).copy()); off += 4 * n
    layers, shape = [], None
    act = {'relu': nn.ReLU(), 'softmax': nn.Softmax(dim=1), 'linear': nn.Identity()}
    for l in spec['modelTopology']['config']['layers']:
        c, name = l['config'], l['config']['name']
        if l['class_name'] == 'Conv2D':
            k = ws[name + '/kernel']; m = nn.Conv2d(k.shape[2], k.shape[3], tuple(k.shape[:2]), padding='same' if c['padding'] == 'same' else 0)
            m.weight.data = k.permute(3, 2, 0, 1).contiguous(); m.bias.data = ws[name + '/bias']; layers += [m, act[c['activation']]]
        elif l['class_name'] == 'MaxPooling2D': layers.append(nn.MaxPool2d(c['pool_size'][0]))
        elif l['class_name'] == 'Flatten': layers += [Perm((0, 2, 3, 1)), nn.Flatten()]  # TF flattens (h, w, c)
        elif l['class_name'] == 'Dense':
            k = ws[name + '/kernel']; m = nn.Linear(k.shape[0], k.shape[1]); m.weight.data = k.t().contiguous(); m.bias.data = ws[name + '/bias']; layers += [m, act[c['activation']]]
    return nn.Sequential(*layers).eval()
class Perm(nn.Module):
    def __init__(self, p): super().__init__(); self.p = p
    def forward(self, x): return x.permute(*self.p)
def accuracy(net, x, y, noise=None):
    correct = 0
    for i in range(0, len(x), 500):
        b = x[i:i + 500]
        if noise is not None: b = b + noise * torch.randn(b.shape)
        correct += (net(b).argmax(1) == y[i:i + 500]).sum().item()
    return correct / len(x)
f = gzip.open('${plan.fashionTest.data.images}').read()[16:]
fx = torch.from_numpy(np.frombuffer(f, np.uint8).astype(np.float32) / 255).reshape(-1, 784)
fy = torch.from_numpy(np.frombuffer(gzip.open('${plan.fashionTest.data.labels}').read()[8:], np.uint8).astype(np.int64))
raw = np.fromfile('${rawSvhn}', np.uint8); n = len(raw) // 3073
sx = torch.from_numpy(raw[:n * 3072].astype(np.float32) / 255).reshape(n, 32, 32, 3).permute(0, 3, 1, 2).contiguous()
sy = torch.from_numpy(raw[n * 3072:].astype(np.int64))
m = '${join(root, 'solutions/correct/models')}'
with torch.no_grad():
    accuracy(tfjs(m + '/mlp'), fx[:1000], fy[:1000]); accuracy(tfjs(m + '/cnn'), sx[:1000], sy[:1000])  # warm-up, untimed
    out = {}
    t = time.perf_counter()
    for name in ['mlp', 'mlp-he']: out[name] = accuracy(tfjs(m + '/' + name), fx, fy)
    net = tfjs(m + '/cnn'); out['cnn'] = accuracy(net, sx, sy)
    for a in [0.05, 0.01, 0.005]: out['cnn noise %g' % a] = accuracy(net, sx, sy, a)
    out['cnn-aug'] = accuracy(tfjs(m + '/cnn-aug'), sx, sy)
    print(json.dumps({'seconds': time.perf_counter() - t, 'threads': torch.get_num_threads(), 'version': torch.__version__, 'n': n, 'acc': out}))
`], { encoding: 'utf8' });
if (py.status !== 0) {
  line(`PyTorch peer: skipped (/usr/bin/python3 with torch and numpy: apt-get install python3-torch python3-numpy): ${py.stderr.trim().split('\n').pop()}`);
} else {
  const peer = JSON.parse(py.stdout.trim().split('\n').pop()!) as { seconds: number; threads: number; version: string; n: number; acc: Record<string, number> };
  const images = 2 * 10_000 + 5 * peer.n;
  line(`Model evaluation of one pair (2 MLPs on 10,000 images; a CNN on ${peer.n.toLocaleString('en-US')} images clean and at 3 noise levels; its augmented twin clean: ${images.toLocaleString('en-US')} images), same run:`);
  line();
  line('| engine | s per pair | images/s | ratio to PyTorch |');
  line('|---|---|---|---|');
  line(`(PyTorch ended at ${load()})`);
  line();
  line(`| PyTorch ${peer.version} CPU, ${peer.threads} thread${peer.threads > 1 ? 's' : ''}, in-process after a warm-up (no process start, no sandbox) | ${peer.seconds.toFixed(2)} | ${(images / peer.seconds).toFixed(0)} | 1.00 |`);
  for (const [i, label] of ['TF.js pair', 'ONNX pair'].entries()) {
    const s = modelSeconds[i]!;
    line(`| harness, ${label}: sandboxed evaluator child, start-up and model loads included | ${s.toFixed(2)} | ${(images / s).toFixed(0)} | ${(peer.seconds / s).toFixed(2)} |`);
  }
  line();
  line(`PyTorch's accuracies (a check that it measured the same models): ${Object.entries(peer.acc).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')}`);
}
await rm(work, { recursive: true, force: true });
