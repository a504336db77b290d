/**
 * Task 2, the FashionMNIST MLP: the reference as data. Pure: no TensorFlow.js, no I/O.
 *
 * - The baseline architecture as a layer list and its default hyper-parameters
 *   (`MLP_DEFAULTS`, what `hw2 train mlp` uses with no flags; src/train/mlp.ts re-uses them).
 * - Its parameter count by a plain formula per layer (`countLayers`, shared with Task 3):
 *   dense in·out + out, conv k·k·cin·cout + cout, pooling, flattening and dropout 0.
 * - The published baseline: the MLP that the `correct` example carries, as its card
 *   (solutions/correct/models/mlp/card.json) describes it.
 * - The thresholds and the partial-credit rule, with where their numbers come from.
 * - The evaluation protocol, one sentence a step, and which check grades each item of hw2.md.
 *
 * tests/reference/task2.test.ts checks the count against a hand calculation and against
 * TensorFlow.js's own count of the model `buildMlp` builds, and the items against the registry.
 */
import type { Rubric } from '../src/rubric/rubric.ts';

// ---------------------------------------------------------------- layers and their count

/** One layer of a sequential network, as data. Activations are part of dense and conv layers. */
export type Layer =
  | { kind: 'dense'; units: number; activation: 'relu' | 'softmax' }
  | { kind: 'dropout'; rate: number }
  /** k×k filters, stride 1, 'same' padding (the output keeps the input's height and width). */
  | { kind: 'conv'; kernel: number; filters: number; activation: 'relu' }
  /** k×k max pooling, stride k, sizes rounded down. */
  | { kind: 'maxpool'; size: number }
  | { kind: 'flatten' };

export interface CountedLayer {
  layer: string;
  /** Output shape without the batch axis: [n] or [height, width, channels]. */
  output: number[];
  params: number;
  /** The formula with its numbers, e.g. "784·256 + 256". */
  formula: string;
}

export class LayerError extends Error {}

function label(layer: Layer): string {
  switch (layer.kind) {
    case 'dense': return `Dense ${layer.units} ${layer.activation}`;
    case 'dropout': return `Dropout ${layer.rate}`;
    case 'conv': return `Conv ${layer.kernel}×${layer.kernel}×${layer.filters} ${layer.activation}`;
    case 'maxpool': return `MaxPool ${layer.size}`;
    case 'flatten': return 'Flatten';
  }
}

/** The parameters and output shape of one layer given its input shape. */
export function countLayer(layer: Layer, input: number[]): CountedLayer {
  const name = label(layer);
  switch (layer.kind) {
    case 'dense': {
      if (input.length !== 1) throw new LayerError(`${name} needs a flat input, got [${input.join(', ')}] (flatten first)`);
      const fanIn = input[0]!;
      return { layer: name, output: [layer.units], params: fanIn * layer.units + layer.units, formula: `${fanIn}·${layer.units} + ${layer.units}` };
    }
    case 'conv': {
      if (input.length !== 3) throw new LayerError(`${name} needs an h×w×c input, got [${input.join(', ')}]`);
      const [h, w, c] = input as [number, number, number];
      const k = layer.kernel;
      return { layer: name, output: [h, w, layer.filters], params: k * k * c * layer.filters + layer.filters, formula: `${k}·${k}·${c}·${layer.filters} + ${layer.filters}` };
    }
    case 'maxpool': {
      if (input.length !== 3) throw new LayerError(`${name} needs an h×w×c input, got [${input.join(', ')}]`);
      const [h, w, c] = input as [number, number, number];
      return { layer: name, output: [Math.floor(h / layer.size), Math.floor(w / layer.size), c], params: 0, formula: '0' };
    }
    case 'flatten':
      return { layer: name, output: [input.reduce((a, b) => a * b, 1)], params: 0, formula: '0' };
    case 'dropout':
      return { layer: name, output: [...input], params: 0, formula: '0' };
  }
}

/** Every layer's output and parameters from the input shape on, and the total. */
export function countLayers(input: number[], layers: readonly Layer[]): { rows: CountedLayer[]; total: number; output: number[] } {
  const rows: CountedLayer[] = [];
  let shape = input;
  for (const layer of layers) {
    const row = countLayer(layer, shape);
    rows.push(row);
    shape = row.output;
  }
  return { rows, total: rows.reduce((a, r) => a + r.params, 0), output: shape };
}

/** "784 → Dense 256 relu → Dropout 0.1 → … → Dense 10 softmax" */
export function describeLayers(input: number[], layers: readonly Layer[]): string {
  return [input.join('×'), ...layers.map(label)].join(' → ');
}

// ---------------------------------------------------------------- the baseline

/** What `hw2 train mlp` takes besides where to save: the architecture's sizes and the training's hyper-parameters. */
export interface MlpHyperparameters {
  /** Units of each hidden ReLU layer (each followed by dropout when `dropout` > 0). */
  hidden: number[];
  dropout: number;
  epochs: number;
  batchSize: number;
  /** Adam's learning rate. */
  learningRate: number;
  /** Share of the 60,000 training images held out for validation. */
  validationFraction: number;
  seed: number;
  /** Kernel initializer of the dense layers (Task 2 item 3 changes it). */
  init: 'glorotUniform' | 'heNormal' | 'randomNormal';
}

/** The defaults of `hw2 train mlp` (src/train/mlp.ts re-exports them); flags override each. */
export const MLP_DEFAULTS: MlpHyperparameters = {
  hidden: [512, 256], dropout: 0.2, epochs: 15, batchSize: 128, learningRate: 1e-3, validationFraction: 0.1, seed: 211, init: 'glorotUniform',
};

/** FashionMNIST images flattened: 28·28·1 = 784 inputs, 10 classes. */
export const MLP_INPUT = [784];
export const CLASSES = 10;

/** The network `buildMlp` builds: 784 → hidden ReLU layers (each with dropout when > 0) → 10 softmax. */
export function mlpLayers(h: Pick<MlpHyperparameters, 'hidden' | 'dropout'>): Layer[] {
  return [
    ...h.hidden.flatMap((units): Layer[] => [{ kind: 'dense', units, activation: 'relu' }, ...(h.dropout > 0 ? [{ kind: 'dropout', rate: h.dropout } as const] : [])]),
    { kind: 'dense', units: CLASSES, activation: 'softmax' },
  ];
}

/**
 * The published baseline: the MLPs the `correct` example carries, trained by `hw2 train mlp`
 * with these flags (their cards, solutions/correct/models/mlp{,-he}/card.json, record them;
 * tests/reference/task2.test.ts reads the cards back). Accuracies are the harness's
 * measurement on the 10,000 FashionMNIST test images.
 */
export const MLP_PUBLISHED = {
  card: 'solutions/correct/models/mlp/card.json',
  flags: 'hw2 train mlp --hidden 256,128 --dropout 0.1 --batch-size 256 --epochs 20, then --resume --lr 0.0003 --epochs 4',
  hyperparameters: { ...MLP_DEFAULTS, hidden: [256, 128], dropout: 0.1, batchSize: 256, epochs: 24 } satisfies MlpHyperparameters,
  phases: '20 epochs at learning rate 1e-3, then 4 at 3e-4',
  /** As the card states it (TensorFlow.js's count when it was trained); `referenceTask2` adds the formula's. */
  paramsOnCard: 235_146,
  testAccuracy: 0.8978,
  /** Item 3: the same network and flags with He-normal init, 8 epochs. */
  reinit: { card: 'solutions/correct/models/mlp-he/card.json', init: 'heNormal' as const, epochs: 8, paramsOnCard: 235_146, testAccuracy: 0.8816 },
};

// ---------------------------------------------------------------- thresholds

/** An accuracy difference in percentage points, as words: 0.005 → "0.5 points", 0.01 → "1 point". */
export function inPoints(difference: number): string {
  const n = Number((100 * difference).toFixed(4));
  return `${n} point${n === 1 ? '' : 's'}`;
}

export interface AccuracyRule { pass: number; full: number; passCredit: number }

/**
 * The accuracy checks' share of their points (task2.accuracy, task3.accuracy use this): 0
 * below `pass`; `passCredit` at `pass`, rising linearly to 1 at `full`; 1 from `full` on.
 */
export function accuracyCredit(acc: number, r: AccuracyRule): number {
  if (acc >= r.full) return 1;
  if (acc < r.pass) return 0;
  return r.passCredit + ((1 - r.passCredit) * (acc - r.pass)) / (r.full - r.pass);
}

/** The thresholds as the rubric sets them, with where each number comes from, and the credit at a few accuracies. */
export function thresholds(r: Rubric['task2'] | Rubric['task3'], task: 'Task 2' | 'Task 3', homework: { pass: number; full: number }, tolerance: string) {
  const mid = (r.pass + r.full) / 2;
  return {
    pass: r.pass,
    full: r.full,
    passCredit: r.passCredit,
    claimTolerance: r.claimTolerance,
    rationale: {
      pass: `hw2.md, ${task}: "at least ${Number((100 * homework.pass).toFixed(2))}% test accuracy" — the course's number, copied into the rubric (reference/rubric.json, ${task === 'Task 2' ? 'task2' : 'task3'}.pass).`,
      full: `hw2.md, ${task}: "${Number((100 * homework.full).toFixed(2))}% for the full grade" — the course's number (rubric ${task === 'Task 2' ? 'task2' : 'task3'}.full).`,
      passCredit: `The harness's choice, not the homework's (hw2.md gives no rule between the two; README, "Task 2", Scoring): at exactly the pass threshold ${r.passCredit} of the accuracy check's points, rising linearly to all of them at the full threshold, so each point of accuracy between the two earns an equal share. TAs may change it in the rubric.`,
      claimTolerance: tolerance,
    },
    rule: 'credit(acc) = 0 below pass; passCredit + (1 − passCredit)·(acc − pass)/(full − pass) between; 1 from full on (accuracyCredit, used by task2.accuracy and task3.accuracy)',
    examples: [r.pass - 0.001, r.pass, mid, r.full].map((acc) => ({ accuracy: Number(acc.toFixed(4)), credit: Number(accuracyCredit(acc, r).toFixed(4)) })),
    rubricDiffersFromHomework: r.pass !== homework.pass || r.full !== homework.full,
  };
}

/** hw2.md, Task 2 item 2. */
export const HOMEWORK_THRESHOLDS = { pass: 0.85, full: 0.89 };

/** Why a printed accuracy may differ from the measurement by `tolerance` and no more. */
export function claimToleranceRationale(tolerance: number): string {
  return `The harness's choice (hw2.md sets none; rubric task2.claimTolerance): the harness measures the model on the same 10,000 images the notebook used, so a faithful print differs only by rounding or by the few images another framework classifies differently (each image is 0.01 points); ${inPoints(tolerance)} is ${Math.round(tolerance * 10_000)} images. A claim in percent (89.3) is read as 0.893.`;
}

// ---------------------------------------------------------------- evaluation protocol

/** How the harness measures a Task 2 model: one sentence a step. */
export function protocol(r: Rubric['task2']) {
  return {
    split: {
      dataset: 'FashionMNIST', split: 't10k', images: 10_000,
      sentence: 'All 10,000 official test images (t10k), read from --data-dir, $HW2_DATA, /usr/share/datasets/fashion-mnist, or last the copy committed in vendor/fashion-mnist (used only when its sha256 matches); where none can be read the Task 2 model checks are held back as the grading machine\'s fault, never scored 0.',
    },
    preprocessing: {
      baseline: { scale: 1 / 255, layout: 'flat', inputShape: MLP_INPUT },
      sentence: 'As the pair declares it in answers.task2.model.preprocessing: each pixel (0–255) times scale, minus mean and over std per channel (defaults 0 and 1), laid out flat [N, 784], NHWC [N, 28, 28, 1] or NCHW [N, 1, 28, 28]; the baseline uses scale 1/255, flat.',
    },
    accuracy: {
      sentence: 'The predicted class is the argmax of the model\'s output; accuracy is the share of the 10,000 images whose prediction equals the label, measured in a sandboxed child (TF.js on wasm, or onnxruntime for ONNX) in batches of 500.',
    },
    parameters: {
      sentence: 'Counted from the model file: the trainable weights of a TF.js model, the initializers of an ONNX graph.',
    },
    claims: {
      claimTolerance: r.claimTolerance,
      sentence: `A printed accuracy more than ${inPoints(r.claimTolerance)} from the measurement is an integrity warning with both numbers: task2.accuracy still scores the measurement; task2.reinit gives half its points.`,
    },
  };
}

// ---------------------------------------------------------------- items → checks

export interface Item {
  item: number;
  asks: string;
  /** The registry's ids of the checks that grade it (checks/index.ts). */
  checks: string[];
  /** What the item asks that no check grades, if anything. */
  unchecked?: string;
}

/** hw2.md, Task 2: each item and the checks that grade it. */
export const ITEMS: Item[] = [
  { item: 1, asks: 'Load FashionMNIST; display 6 images with their labels.', checks: ['task2.display'] },
  { item: 2, asks: 'An MLP with at least 85% test accuracy (89% for full marks); the architecture and every hyper-parameter written down; loss curves plotted; the test accuracy printed.', checks: ['task2.accuracy', 'task2.description', 'task2.curves'] },
  { item: 3, asks: 'Change the init of the linear layers, retrain, print the change in accuracy.', checks: ['task2.reinit'] },
];

/** A layer list with its description and its count, row by row, as `hw2 reference` prints it (Tasks 2 and 3). */
export function countedArchitecture(input: number[], layers: Layer[]) {
  const counted = countLayers(input, layers);
  return { description: describeLayers(input, layers), layers, rows: counted.rows, params: counted.total, output: counted.output };
}

/** The baseline, counted, and everything above as one JSON-able object (`hw2 reference task2`). */
export function referenceTask2(rubric: Rubric) {
  const architecture = (h: MlpHyperparameters) => countedArchitecture(MLP_INPUT, mlpLayers(h));
  return {
    baseline: {
      defaults: { hyperparameters: MLP_DEFAULTS, optimizer: 'adam', loss: 'categorical cross-entropy', ...architecture(MLP_DEFAULTS), note: 'what hw2 train mlp builds with no flags' },
      published: { ...MLP_PUBLISHED, ...architecture(MLP_PUBLISHED.hyperparameters), note: 'the MLP the correct example carries; params is the formula\'s count, paramsOnCard what its card states' },
    },
    thresholds: thresholds(rubric.task2, 'Task 2', HOMEWORK_THRESHOLDS, claimToleranceRationale(rubric.task2.claimTolerance)),
    protocol: protocol(rubric.task2),
    // each check's points in the rubric; a check may grade parts of several items (task3.written)
    items: ITEMS.map((i) => ({ ...i, checkPoints: Object.fromEntries(i.checks.map((id) => [id, rubric.checks[id]?.points ?? null])) })),
  };
}
