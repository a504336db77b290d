/**
 * A generated course for `hw2 similarity`'s tests and bench: `size` submissions written
 * independently from a seeded random process (alternative implementations of each task, names
 * of their own, lines of their own, explanations built from phrases and words of their own,
 * the usual mistakes and slips of their own, draws from the homework's seed or one of theirs),
 * and copies planted on top, each of one kind. Every submission has its folder (hw2.json, the
 * notebook, an .npy init sample, sometimes model weights and a history) and a result.json in
 * an output folder, as `hw2 grade` writes them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RESULT_VERSION } from '../../src/core/result-schema.ts';
import type { CheckResult, SubmissionResult } from '../../src/core/vocabulary.ts';
import { drawOf, type ProfileInput } from '../../src/similarity/evidence.ts';
import { makeRng, type Rng } from '../../src/util/random.ts';

export type Plant = 'code' | 'wrong-q2' | 'npy' | 'text' | 'weights';
export const PLANTS: Plant[] = ['code', 'wrong-q2', 'npy', 'text', 'weights'];

interface Cell { type: 'code' | 'markdown'; source: string }

export interface Submission {
  id: string;
  ids: [string, string];
  seed: string;
  cells: Cell[];
  q2: Record<string, number>;
  q6Total: number;
  npy: Buffer;
  weights?: Buffer;
  history?: string;
}

export interface Course {
  submissions: Submission[];
  planted: { kind: Plant; a: string; b: string }[];
  /** The course's template notebook (its cells are in every submission). */
  template: string;
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)]!;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng.next() * (hi - lo + 1));

/** The template's cells: what the course hands out, in every notebook. */
export const TEMPLATE_CELLS: Cell[] = [
  { type: 'markdown', source: '# EE 046211 Deep Learning — HW2: Multilayer NNs and Convolutional NNs\nMaximal grade: 100. Submissions are by pairs.' },
  { type: 'code', source: 'import numpy as np\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nimport matplotlib.pyplot as plt\nfrom torchvision import datasets, transforms\n' },
  { type: 'code', source: 'def plot_curves(train_losses, val_losses, title):\n    plt.figure(figsize=(6, 4))\n    plt.plot(train_losses, label="train")\n    plt.plot(val_losses, label="validation")\n    plt.xlabel("epoch")\n    plt.ylabel("loss")\n    plt.title(title)\n    plt.legend()\n    plt.show()\n' },
  { type: 'markdown', source: '### Task 1 The importance of activation and initialization\nx ∈ R^512; a network of 100 layers of 512 units (matrix products, no bias).\n1. Weights from a unit normal: run, explain what happens; locate (torch.isnan) and print the layer at which it happens.' },
  { type: 'code', source: 'train_set = datasets.FashionMNIST("./data", train=True, download=True, transform=transforms.ToTensor())\ntest_set = datasets.FashionMNIST("./data", train=False, download=True, transform=transforms.ToTensor())\n' },
];

const NAMES = ['x', 'y', 'z', 'h', 'out', 'res', 'tmp', 'val', 'data', 'vec', 'mat', 'layer', 'inp', 'acc', 'arr', 'sig', 'mu', 'std_v', 'w', 'a', 'b', 'm', 'act', 'feat', 'prev', 'cur', 'nxt', 'buf'];
const FNS = ['randn', 'rand', 'zeros', 'ones', 'matmul', 'mean', 'std', 'sum', 'max', 'min', 'abs', 'sqrt', 'exp', 'log', 'tanh', 'relu', 'sigmoid', 'clamp', 'norm', 'var',
  'reshape', 'flatten', 'transpose', 'cat', 'stack', 'argmax', 'softmax', 'linspace', 'arange', 'empty', 'full', 'isnan', 'isinf', 'where', 'cumsum', 'prod', 'sign', 'floor', 'ceil', 'round'];
const LIBS = ['torch', 'np', 'F'];

function personalLines(rng: Rng, count: number): string[] {
  const name = () => pick(rng, NAMES) + (rng.next() < 0.3 ? String(int(rng, 1, 9)) : '');
  const arg = () => pick(rng, [() => name(), () => String(int(rng, 1, 999)), () => `${name()}.${pick(rng, FNS)}()`, () => `${name()}[${int(rng, 0, 9)}]`])();
  const stmt = () => pick(rng, [
    () => `${name()} = ${pick(rng, LIBS)}.${pick(rng, FNS)}(${arg()}, ${arg()})`,
    () => `${name()} = ${name()}.${pick(rng, FNS)}(${arg()})`,
    () => `print(${name()}.${pick(rng, FNS)}(), ${arg()})`,
    () => `${name()} ${pick(rng, ['+=', '-=', '*='])} ${pick(rng, LIBS)}.${pick(rng, FNS)}(${arg()})`,
  ])();
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = rng.next();
    if (r < 0.15) lines.push(`for ${name()} in range(${int(rng, 2, 50)}):\n    ${stmt()}`);
    else if (r < 0.25) lines.push(`if ${name()}.${pick(rng, FNS)}() > ${int(rng, 1, 9)}:\n    ${stmt()}`);
    else lines.push(stmt());
  }
  return lines;
}

// Alternative implementations of each task: many pairs write one of these.
const NAN_LOOP = [
  'x = torch.randn(512)\nfor i in range(100):\n    x = torch.randn(512, 512) @ x\n    if torch.isnan(x).any():\n        break\nprint(i)',
  'x = np.random.randn(512)\nfor layer in range(100):\n    a = np.random.randn(512, 512)\n    x = a.dot(x)\n    if np.isnan(x).any():\n        print("nan at", layer)\n        break',
  'h = torch.randn(512, 1)\nlayers = [torch.randn(512, 512) for _ in range(100)]\nfor idx, W in enumerate(layers):\n    h = W.matmul(h)\n    if torch.isnan(h).sum() > 0:\n        print(idx)\n        break',
  'def run(n_layers=100):\n    x = torch.randn(512)\n    for l in range(n_layers):\n        x = torch.mm(torch.randn(512, 512), x.unsqueeze(1)).squeeze()\n        if torch.any(torch.isnan(x)):\n            return l\n    return None\nprint(run())',
];
const XAVIER = [
  'def xavier_init(fan_in, fan_out):\n    b = np.sqrt(6 / (fan_in + fan_out))\n    return np.random.uniform(-b, b, size=(fan_in, fan_out))',
  'def xavier_init(fan_in, fan_out):\n    bound = (6.0 / (fan_in + fan_out)) ** 0.5\n    return torch.empty(fan_out, fan_in).uniform_(-bound, bound)',
  'def xavier_init(fan_in, fan_out):\n    limit = torch.sqrt(torch.tensor(6.0 / (fan_in + fan_out)))\n    return (torch.rand(fan_in, fan_out) * 2 - 1) * limit',
  'def xavier_init(fan_in, fan_out):\n    w = torch.zeros(fan_out, fan_in)\n    nn.init.xavier_uniform_(w)\n    return w',
];
const KAIMING = [
  'def kaiming_init(fan_in, fan_out):\n    return np.random.randn(fan_in, fan_out) * np.sqrt(2 / fan_in)',
  'def kaiming_init(fan_in, fan_out):\n    std = (2.0 / fan_in) ** 0.5\n    return torch.randn(fan_out, fan_in) * std',
  'def kaiming_init(fan_in, fan_out):\n    return torch.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))',
];
const TRAIN = [
  'model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))\nopt = torch.optim.Adam(model.parameters(), lr=1e-3)\nfor epoch in range(10):\n    for xb, yb in loader:\n        opt.zero_grad()\n        loss = F.cross_entropy(model(xb), yb)\n        loss.backward()\n        opt.step()',
  'class MLP(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc1 = nn.Linear(784, 512)\n        self.fc2 = nn.Linear(512, 10)\n    def forward(self, x):\n        return self.fc2(F.relu(self.fc1(x.view(-1, 784))))\nnet = MLP()\noptimizer = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)',
  'net = nn.Sequential(nn.Linear(784, 300), nn.Tanh(), nn.Dropout(0.2), nn.Linear(300, 100), nn.Tanh(), nn.Linear(100, 10))\ncriterion = nn.CrossEntropyLoss()\noptimizer = torch.optim.Adam(net.parameters())\nhistory = []',
];

// Explanations: phrases many pairs use, words of their own.
const PHRASES: Record<string, string[][]> = {
  q1: [['Let v = w - w_t.', 'Write the difference as v = w - w_t.', 'Define v as w minus w_t.'],
    ['Then the risk is the expectation of (v^T x)^2,', 'The risk becomes E[(v^T x)^2],', 'So R(w) equals E of the squared projection,'],
    ['which is v^T E[x x^T] v = ||v||^2 since the covariance is the identity.', 'and since E[x x^T] = I it equals the squared norm of v.', 'and the identity covariance gives ||w - w_t||^2.']],
  q3: [['Plot a is model-wise double descent:', 'In plot a the error peaks as the model grows:', 'The first plot shows model-wise behaviour:'],
    ['the peak sits where the model first fits the training set.', 'the critical point is the interpolation threshold.', 'test error is worst at the interpolation threshold.'],
    ['Plot b is epoch-wise and plot c sample-wise.', 'b shows epoch-wise descent, c sample-wise.', 'The other two are epoch-wise (b) and sample-wise (c).']],
  q4: [['For ReLU, E[max(0,z)^2] = 1/2 by symmetry of z.', 'Half of the mass of z is positive, so E[phi(z)^2] = 1/2.', 'By symmetry E[ReLU(z)^2] = E[z^2]/2 = 1/2.'],
    ['Substituting gives sigma = sqrt(2/d).', 'Hence sigma_l = sqrt(2 / d_{l-1}).', 'Plugging in, the optimal sigma is sqrt(2/d).']],
  task1: [['Each product scales the activations by about sqrt(512),', 'The norm grows by a factor near 22.6 per layer,', 'Unit-normal weights multiply the scale by sqrt(N) each layer,'],
    ['so float32 overflows near layer 28 and inf - inf gives NaN.', 'which overflows to inf around layer 28, then NaN.', 'and after about 28 layers the values are inf and then NaN.']],
};
const WORDS = ('the a this that we our result value layer network weight gradient loss error sample variance mean scale input output unit hidden '
  + 'activation function because since therefore however also then first second when where which grows shrinks stays large small '
  + 'equal close near above below each every one two many few often rarely clearly roughly exactly approximately observe notice find '
  + 'see expect compute measure print plot train test data model fit converge diverge stable unstable faster slower random normal uniform '
  + 'bound limit range interval zero infinity overflow underflow precision float tensor matrix vector product sum norm square root factor').split(' ');

function personalSentence(rng: Rng): string {
  const n = int(rng, 10, 16);
  const words = Array.from({ length: n }, () => pick(rng, WORDS));
  return `${words.join(' ')}.`.replace(/^./, (c) => c.toUpperCase());
}

function answer(rng: Rng, key: string): string {
  const sentences = PHRASES[key]!.map((options) => pick(rng, options));
  sentences.splice(int(rng, 0, sentences.length), 0, personalSentence(rng));
  return sentences.join(' ');
}

// Q2: the reference values (to the checks' precision) and the usual mistakes.
const Q2_FIELDS = ['forward h1', 'forward h2', 'forward o1', 'forward o2', 'forward E',
  ...['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'w9', 'w10', 'b1', 'b2'].flatMap((w) => [`gradients ${w}`, `update ${w}`])];
const REF_Q2: Record<string, number> = Object.fromEntries(Q2_FIELDS.map((f, i) => [f, Number((Math.sin(i + 1) * 0.9).toPrecision(6))]));
const MISTAKES: { share: number; values: Record<string, number> }[] = [
  { share: 0.05, values: { 'gradients w3': -REF_Q2['gradients w3']!, 'update w3': Number((REF_Q2['update w3']! + 0.0001).toPrecision(6)) } },
  { share: 0.04, values: { 'forward E': 2 * REF_Q2['forward E']!, 'gradients w7': 2 * REF_Q2['gradients w7']!, 'gradients w8': 2 * REF_Q2['gradients w8']! } },
  { share: 0.03, values: Object.fromEntries(['w1', 'w2', 'w5'].map((w) => [`update ${w}`, Number((REF_Q2[`update ${w}`]! * 1.5).toPrecision(6))])) },
];
const Q6_TOTAL = 132863336;

function slip(rng: Rng, field: string): number {
  return Number((REF_Q2[field]! * (1 + (rng.next() < 0.5 ? -1 : 1) * (0.01 + rng.next() * 0.5))).toPrecision(6));
}

/** An .npy file (version 1.0, little-endian float32, 128×64) of Xavier draws from (seed, implementation). */
export function npyOf(seed: number, variant: number): Buffer {
  const rng = makeRng(seed * 16 + variant);
  const bound = Math.sqrt(6 / (128 + 64));
  const values = new Float32Array(128 * 64).map(() => (rng.next() * 2 - 1) * bound);
  let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (128, 64), }";
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(values.buffer)]);
}

function independent(rng: Rng, index: number, templateOnly: boolean): Submission {
  const ids: [string, string] = [String(300000000 + index * 2), String(300000001 + index * 2)];
  const id = `ee046211_hw2_${ids[0]}_${ids[1]}`;
  const r = rng.next();
  const seed = r < 0.75 ? '211' : r < 0.85 ? pick(rng, ['0', '42', '1234']) : String(int(rng, 1000, 99999));
  const cells: Cell[] = [...TEMPLATE_CELLS];
  if (!templateOnly) {
    const withLines = (code: string) => [code, ...personalLines(rng, int(rng, 3, 6))].join('\n');
    cells.push(
      { type: 'code', source: `torch.manual_seed(${seed})\nnp.random.seed(${seed})` },
      { type: 'code', source: withLines(pick(rng, NAN_LOOP)) },
      { type: 'markdown', source: `## Task 1\n${answer(rng, 'task1')}` },
      { type: 'code', source: withLines(pick(rng, XAVIER)) },
      { type: 'code', source: withLines(pick(rng, KAIMING)) },
      { type: 'code', source: withLines(pick(rng, TRAIN)) },
      { type: 'markdown', source: `## Q1\n${answer(rng, 'q1')}` },
      { type: 'markdown', source: `## Q3\n${answer(rng, 'q3')}` },
      { type: 'markdown', source: `## Q4\n${answer(rng, 'q4')}` },
    );
  }
  const q2 = { ...REF_Q2 };
  let share = 0;
  const m = rng.next();
  for (const mistake of MISTAKES) {
    if (m >= share && m < share + mistake.share) Object.assign(q2, mistake.values);
    share += mistake.share;
  }
  if (rng.next() < 0.15) for (let i = int(rng, 1, 2); i > 0; i--) { const f = pick(rng, Q2_FIELDS); q2[f] = slip(rng, f); }
  const t = rng.next();
  const q6Total = t < 0.8 ? Q6_TOTAL : t < 0.9 ? 132851016 : int(rng, 100_000_000, 140_000_000);
  const numericSeed = Number(seed);
  // The template alone: every answer right, the homework's seed, the first implementation.
  if (templateOnly) return { id, ids, seed: '211', cells, q2: { ...REF_Q2 }, q6Total: Q6_TOTAL, npy: npyOf(211, 0) };
  const submission: Submission = { id, ids, seed, cells, q2, q6Total, npy: npyOf(numericSeed, int(rng, 0, 3)) };
  if (rng.next() < 0.3) {
    const wr = makeRng(numericSeed * 31 + index);
    submission.weights = Buffer.from(new Float32Array(1024).map(() => wr.normal() * 0.05).buffer);
    submission.history = JSON.stringify({ loss: Array.from({ length: 40 }, (_, e) => Number((2.3 * Math.exp(-e / 12) + wr.next() * 0.05).toFixed(5))) });
  }
  return submission;
}

/** Renames the names a pair chose (consistently), reorders the cells and changes the comments: a disguised copy. */
function disguise(rng: Rng, cells: Cell[]): Cell[] {
  const rename = new Map(NAMES.map((n) => [n, `${pick(rng, ['my', 'the', 'new', 'cur'])}_${n}${int(rng, 1, 9)}`]));
  const code = cells.map((c) => ({ ...c, source: c.source.replace(/\b[a-z_][a-z_0-9]*\b/g, (w) => rename.get(w) ?? w).split('\n').map((l, i) => (i === 0 ? `# our version\n${l}` : l)).join('\n') }));
  for (let i = code.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [code[i], code[j]] = [code[j]!, code[i]!];
  }
  return code;
}

/** A copied answer, lightly edited: one word changed in every other sentence. */
function paraphrase(rng: Rng, text: string): string {
  return text.split(/(?<=\.) /).map((s, i) => (i % 2 ? s : s.replace(/\b(the|is|by|and|so|of)\b/, (w) => ({ the: 'this', is: 'was', by: 'from', and: 'plus', so: 'thus', of: 'for' })[w]!))).join(' ');
}

const studentCode = (s: Submission) => s.cells.filter((c) => c.type === 'code' && !TEMPLATE_CELLS.includes(c));

export function generateCourse(options: { size: number; seed: number; plants?: Plant[]; templateOnly?: boolean }): Course {
  const rng = makeRng(options.seed);
  const submissions = Array.from({ length: options.size }, (_, i) => independent(makeRng(options.seed * 100_003 + i), i, !!options.templateOnly));
  const planted: Course['planted'] = [];
  // Each plant takes two submissions no other plant uses, spread over the course.
  const free = submissions.map((_, i) => i).sort(() => rng.next() - 0.5);
  for (const kind of options.plants ?? []) {
    let source = submissions[free.pop()!]!;
    let copier = submissions[free.pop()!]!;
    if (kind === 'code') {
      // The copier keeps its own seed cell, which its own draws came from.
      const isSeed = (c: Cell) => /manual_seed/.test(c.source);
      const disguised = disguise(rng, studentCode(source).filter((c) => !isSeed(c)));
      copier.cells = [...copier.cells.filter((c) => c.type === 'markdown' || TEMPLATE_CELLS.includes(c) || isSeed(c)), ...disguised];
    } else if (kind === 'wrong-q2') {
      // The source slipped in five places; the copier's Q2 is right but for those same five values.
      const fields = [...Q2_FIELDS].sort(() => rng.next() - 0.5).slice(0, 5);
      source.q2 = { ...REF_Q2 };
      for (const f of fields) source.q2[f] = slip(rng, f);
      copier.q2 = { ...REF_Q2, ...Object.fromEntries(fields.map((f) => [f, source.q2[f]!])) };
    } else if (kind === 'npy') {
      // The source drew with a seed of its own; the copier handed in its file, and its notebook sets the homework's seed.
      source.seed = String(int(rng, 100_000, 999_999));
      source.cells = source.cells.map((c) => (/manual_seed/.test(c.source) ? { ...c, source: `torch.manual_seed(${source.seed})\nnp.random.seed(${source.seed})` } : c));
      source.npy = npyOf(Number(source.seed), 0);
      copier.npy = source.npy;
    } else if (kind === 'text') {
      const answers = source.cells.filter((c) => c.type === 'markdown' && c.source.startsWith('## '));
      copier.cells = [...copier.cells.filter((c) => !(c.type === 'markdown' && c.source.startsWith('## '))), ...answers.map((c) => ({ ...c, source: paraphrase(rng, c.source) }))];
    } else if (kind === 'weights') {
      const wr = makeRng(int(rng, 1, 1e9));
      source.weights = Buffer.from(new Float32Array(1024).map(() => wr.normal() * 0.05).buffer);
      source.history = JSON.stringify({ loss: Array.from({ length: 40 }, (_, e) => Number((2.3 * Math.exp(-e / 12) + wr.next() * 0.05).toFixed(5))) });
      copier.weights = source.weights;
      copier.history = source.history;
    }
    [source, copier] = [source, copier];
    planted.push({ kind, a: source.id < copier.id ? source.id : copier.id, b: source.id < copier.id ? copier.id : source.id });
  }
  const template = notebook(TEMPLATE_CELLS);
  return { submissions, planted, template };
}

export function notebook(cells: Cell[]): string {
  return JSON.stringify({
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: cells.map((c) => (c.type === 'code'
      ? { cell_type: 'code', metadata: {}, source: c.source, execution_count: 1, outputs: [] }
      : { cell_type: 'markdown', metadata: {}, source: c.source })),
  });
}

function q2Check(id: string, title: string, part: string, s: Submission): CheckResult {
  const fields = Q2_FIELDS.filter((f) => f.startsWith(`${part} `)).map((f) => f.slice(part.length + 1));
  const rows = fields.map((f) => {
    const yours = s.q2[`${part} ${f}`]!;
    const right = yours === REF_Q2[`${part} ${f}`];
    return { cells: [f, yours, REF_Q2[`${part} ${f}`]!], verdicts: [null, right ? 'right' as const : 'wrong' as const, null] };
  });
  const wrong = rows.filter((r) => r.verdicts[1] === 'wrong').length;
  return {
    id, question: 'q2', title, kind: 'auto', visibility: 'public', status: wrong ? 'partial' : 'pass', score: 5 - wrong / 2, points: 5,
    message: `${rows.length - wrong} of ${rows.length} correct.`, evidence: { type: 'table', columns: ['', 'yours', 'reference'], rows },
  };
}

export function resultOf(s: Submission, path: string): SubmissionResult {
  const checks: CheckResult[] = [
    q2Check('q2.forward', 'Q2.1 forward pass: the loss E', 'forward', s),
    q2Check('q2.gradients', 'Q2.2 backward pass: dE/dw', 'gradients', s),
    q2Check('q2.update', 'Q2.3 one SGD step', 'update', s),
    {
      id: 'q6.total', question: 'q6', title: 'Q6.1 total number of parameters', kind: 'auto', visibility: 'hidden',
      status: s.q6Total === Q6_TOTAL ? 'pass' : 'fail', score: s.q6Total === Q6_TOTAL ? 2 : 0, points: 2, message: '', expected: Q6_TOTAL, actual: s.q6Total,
    },
  ];
  return {
    contract: 1, resultVersion: RESULT_VERSION, harness: { name: 'hw2-harness', version: '0.1.0' }, mode: 'grade',
    submission: { id: s.id, path, hash: '', group: { ids: [...s.ids] } },
    score: checks.reduce((a, c) => a + c.score, 0), maxScore: 17, pendingManual: 0, heldBack: 0, incomplete: [], problems: [], checks,
  };
}

/** Writes the course: `<dir>/submissions/<id>/…` and `<dir>/out/<id>/result.json`; the template at `<dir>/template.ipynb`. */
export async function writeCourse(course: Course, dir: string): Promise<{ submissions: string; out: string; template: string }> {
  const submissions = join(dir, 'submissions');
  const out = join(dir, 'out');
  for (const s of course.submissions) {
    const folder = join(submissions, s.id);
    await mkdir(join(folder, 'models', 'mlp'), { recursive: true });
    await mkdir(join(folder, 'history'), { recursive: true });
    await mkdir(join(out, s.id), { recursive: true });
    const q1 = s.cells.find((c) => c.source.startsWith('## Q1'))?.source.slice(6);
    await writeFile(join(folder, 'hw2.json'), JSON.stringify({ contract: 1, group: { ids: s.ids }, answers: { ...(q1 ? { q1: { proof: q1 } } : {}) } }));
    await writeFile(join(folder, `${s.id}.ipynb`), notebook(s.cells));
    await writeFile(join(folder, 'xavier_128_64.npy'), s.npy);
    if (s.weights) await writeFile(join(folder, 'models', 'mlp', 'weights.bin'), s.weights);
    if (s.history) await writeFile(join(folder, 'history', 'mlp.json'), s.history);
    await writeFile(join(out, s.id, 'result.json'), JSON.stringify(resultOf(s, folder)));
  }
  const template = join(dir, 'template.ipynb');
  await writeFile(template, course.template);
  return { submissions, out, template };
}

/** What read.ts would gather from a written submission, made in memory (for tests of the scoring alone). */
export function profileInputOf(s: Submission): ProfileInput {
  const files: [string, Buffer | undefined][] = [['xavier_128_64.npy', s.npy], ['models/mlp/weights.bin', s.weights], ['history/mlp.json', s.history === undefined ? undefined : Buffer.from(s.history)]];
  return {
    id: s.id,
    result: resultOf(s, ''),
    cells: s.cells,
    draws: files.flatMap(([name, bytes]) => (bytes ? [drawOf(name, bytes)].filter((d) => d !== undefined) : [])),
  };
}

export { REF_Q2 };
