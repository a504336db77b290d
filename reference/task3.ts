/**
 * Task 3, the SVHN CNN: the reference as data. Pure: no TensorFlow.js, no I/O.
 *
 * - The baseline CNN as a layer list and its default hyper-parameters (`CNN_DEFAULTS`, what
 *   `hw2 train cnn` uses with no flags; src/train/cnn.ts re-uses them), counted by the same
 *   per-layer formula as Task 2 (`countLayers` in ./task2.ts).
 * - The published baseline: the two CNNs the `correct` example carries (their cards).
 * - The thresholds and their rationale, the evaluation protocol (SVHN's test split or the
 *   synthetic stand-in, the noise of item 4 exactly as src/models/preprocess.ts adds it), and
 *   which check grades each item of hw2.md.
 *
 * tests/reference/task3.test.ts checks the count against a hand calculation and against
 * TensorFlow.js's own count of the model `buildCnn` builds, and the items against the registry.
 */
import type { Rubric } from '../src/rubric/rubric.ts';
import { CLASSES, countedArchitecture, inPoints, thresholds, type Item, type Layer } from './task2.ts';

// ---------------------------------------------------------------- the baseline

/** What `hw2 train cnn` takes besides where to save. */
export interface CnnHyperparameters {
  /** Filters of the two 3×3 convolutions. */
  filters: [number, number];
  /** Units of the hidden dense layer. */
  dense: number;
  epochs: number;
  batchSize: number;
  /** Adam's learning rate. */
  learningRate: number;
  /** Shift every training image by up to 2 pixels, anew each epoch (item 5). */
  augment: boolean;
  seed: number;
}

/** The defaults of `hw2 train cnn` (src/train/cnn.ts re-exports them). */
export const CNN_DEFAULTS: CnnHyperparameters = { filters: [16, 32], dense: 64, epochs: 6, batchSize: 64, learningRate: 1e-3, augment: false, seed: 211 };

/** SVHN images: 32×32 RGB, channels last as the baseline takes them. */
export const CNN_INPUT = [32, 32, 3];

/** The network `buildCnn` builds: two 3×3 'same' conv + 2×2 max-pool stages, a dense ReLU layer, 10 softmax. */
export function cnnLayers(h: Pick<CnnHyperparameters, 'filters' | 'dense'>): Layer[] {
  return [
    { kind: 'conv', kernel: 3, filters: h.filters[0], activation: 'relu' },
    { kind: 'maxpool', size: 2 },
    { kind: 'conv', kernel: 3, filters: h.filters[1], activation: 'relu' },
    { kind: 'maxpool', size: 2 },
    { kind: 'flatten' },
    { kind: 'dense', units: h.dense, activation: 'relu' },
    { kind: 'dense', units: CLASSES, activation: 'softmax' },
  ];
}

/** How `hw2 train cnn` trains, beyond the hyper-parameters (src/train/cnn.ts). */
export const CNN_TRAINING = {
  optimizer: 'adam',
  loss: 'categorical cross-entropy',
  init: 'He normal for the convolutions and the hidden dense layer, Glorot uniform for the output',
  validation: 'the first 10% of the training images',
  data: 'all of SVHN\'s train split (73,257 images; --extra N appends N of the extra split), or 12,000 synthetic images where SVHN is absent (the card says which)',
  augmentation: 'with --augment, every training image shifted by (dy, dx) ∈ [−2, 2]², edge pixels repeated, drawn anew each epoch from the seed',
};

/**
 * The published baseline: the CNNs the `correct` example carries, trained by `hw2 train cnn`
 * with the defaults (their cards, solutions/correct/models/cnn{,-aug}/card.json). They were
 * trained and measured on the synthetic SVHN-like set (SVHN could not be downloaded where
 * they were made): those accuracies say nothing about real SVHN, where 86/90% apply.
 */
export const CNN_PUBLISHED = {
  card: 'solutions/correct/models/cnn/card.json',
  flags: 'hw2 train cnn (and hw2 train cnn --augment)',
  hyperparameters: CNN_DEFAULTS,
  /** As the card states it (TensorFlow.js's count when it was trained); `referenceTask3` adds the formula's. */
  paramsOnCard: 136_874,
  synthetic: true,
  testAccuracy: 0.9928,
  augmented: { card: 'solutions/correct/models/cnn-aug/card.json', paramsOnCard: 136_874, testAccuracy: 0.9456 },
  testImages: 5_000,
};

// ---------------------------------------------------------------- thresholds

/** hw2.md, Task 3 item 3. */
export const HOMEWORK_THRESHOLDS = { pass: 0.86, full: 0.9 };

/** Why a printed accuracy may differ from the measurement by `tolerance`. */
export function claimToleranceRationale(tolerance: number): string {
  return `The harness's choice (hw2.md sets none; rubric task3.claimTolerance); it must allow for item 4's accuracies depending on the noise drawn, which the pair's run and the harness's draw differently: over SVHN's ${SVHN_TEST.toLocaleString('en-US')} test images each image's correctness under noise is a Bernoulli trial, so two independent draws give accuracies whose difference has sd at most sqrt(2·0.25/${SVHN_TEST}) ≈ ${(100 * Math.sqrt(0.5 / SVHN_TEST)).toFixed(2)} points; ${inPoints(tolerance)} is ${(tolerance / Math.sqrt(0.5 / SVHN_TEST)).toFixed(1)} of those sd even in that worst case. The same tolerance serves the clean and the augmented accuracy. The parameter count has none: it must be exact.`;
}

// ---------------------------------------------------------------- evaluation protocol

/** SVHN's test split (hw2.md: 73,257 train, 26,032 test, 531,131 extra). */
export const SVHN_TEST = 26_032;
/** Synthetic images that stand in where SVHN is absent (src/models/evaluate-child.ts SYNTHETIC_SVHN_TEST). */
export const SYNTHETIC_TEST = 5_000;

/** How the harness measures a Task 3 model: one sentence a step. */
export function protocol(r: Rubric['task3']) {
  return {
    split: {
      dataset: 'SVHN', split: 'test', images: SVHN_TEST, file: 'test_32x32.mat',
      sentence: `All ${SVHN_TEST.toLocaleString('en-US')} images of SVHN's test split, read from <data-dir>/svhn/test_32x32.mat (also $HW2_DATA, /usr/share/datasets; label 10 is the digit 0).`,
    },
    withoutSvhn: {
      dataset: 'synthetic SVHN-like set', images: SYNTHETIC_TEST,
      sentence: `Where SVHN's test file is absent, ${SYNTHETIC_TEST.toLocaleString('en-US')} deterministic synthetic SVHN-like images (src/data/synthetic-svhn.ts) stand in: task3.params and task3.dims are graded as usual, while task3.accuracy, task3.noise and task3.augmentation go to a TA (status manual, points pending) with the synthetic measurements shown and labelled.`,
    },
    preprocessing: {
      baseline: { scale: 1 / 255, layout: 'NHWC', inputShape: CNN_INPUT },
      sentence: 'As the pair declares it in answers.task3.model.preprocessing: each pixel (0–255) times scale, minus mean and over std per channel (one number or one per channel, as torchvision\'s Normalize), laid out NHWC [N, 32, 32, 3], NCHW [N, 3, 32, 32] or flat; the baseline uses scale 1/255, NHWC.',
    },
    noise: {
      levels: r.noise,
      formula: 'x = (pixel·scale + a·ε − mean) / std, ε ~ N(0, 1)',
      sentence: `Item 4's image + a·N(0,1) for a = ${r.noise.join(', ')} (rubric task3.noise): one ε per pixel and channel is added to the scaled image (in [0, 1] with scale 1/255, what ToTensor gives) before mean/std normalization, and the result is not clipped, so values may leave [0, 1] (src/models/preprocess.ts batch).`,
      seeded: 'ε comes from the harness\'s seeded generator (sfc32, Box–Muller) started from the grading run\'s --seed (default 211, the homework\'s), drawn image by image, then row, column, channel, whatever the layout; it is drawn once per grading run (src/data/noise.ts), so every level, every model and every pair scales the same ε.',
      images: 'the same test images as the clean accuracy (all of SVHN\'s test split, or the synthetic set)',
    },
    accuracy: {
      sentence: 'The predicted class is the argmax of the model\'s output; accuracy is the share of test images whose prediction equals the label, measured in a sandboxed child in batches of 500.',
    },
    parameters: {
      sentence: 'Counted from the model file (trainable weights of a TF.js model, initializers of an ONNX graph) and compared with the printed count exactly.',
    },
    claims: {
      claimTolerance: r.claimTolerance,
      sentence: `A printed accuracy (clean, each noise level, augmented) more than ${inPoints(r.claimTolerance)} from the measurement is an integrity warning with both numbers: task3.accuracy still scores the measurement; task3.noise counts the levels within the tolerance; task3.augmentation gives its two thirds for the measured model only when its claim is within it.`,
    },
  };
}

// ---------------------------------------------------------------- items → checks

/** hw2.md, Task 3: each item and the checks that grade it. */
export const ITEMS: Item[] = [
  { item: 1, asks: 'Load SVHN (train split); display 5 train images.', checks: ['task3.written'] },
  { item: 2, asks: 'Describe the CNN (layers, activations, filter sizes, FC sizes); input and output dimensions; compute and print the number of parameters.', checks: ['task3.params', 'task3.dims', 'task3.written'] },
  { item: 3, asks: 'Train; describe hyper-parameters and tuning; print the final test accuracy (at least 86%, 90% for full marks); plot loss curves.', checks: ['task3.accuracy', 'task3.curves', 'task3.written'] },
  { item: 4, asks: 'Test accuracy with noise image + a·N(0,1), a = 0.05, 0.01, 0.005; print each.', checks: ['task3.noise'] },
  {
    item: 5, asks: 'Retrain with data augmentation; explain it; did test accuracy improve? Print it; plot loss curves.', checks: ['task3.augmentation'],
    unchecked: 'the augmented run\'s loss curves: answers.task3 has one history, graded by task3.curves for item 3',
  },
];

/** The baseline, counted, and everything above as one JSON-able object (`hw2 reference task3`). */
export function referenceTask3(rubric: Rubric) {
  const architecture = (h: CnnHyperparameters) => countedArchitecture(CNN_INPUT, cnnLayers(h));
  return {
    baseline: {
      defaults: { hyperparameters: CNN_DEFAULTS, ...CNN_TRAINING, ...architecture(CNN_DEFAULTS), note: 'what hw2 train cnn builds with no flags; the published CNNs are this network' },
      published: { ...CNN_PUBLISHED, params: architecture(CNN_PUBLISHED.hyperparameters).params, note: 'params is the formula\'s count, paramsOnCard what the cards state; accuracies on the synthetic set, not SVHN' },
    },
    thresholds: thresholds(rubric.task3, 'Task 3', HOMEWORK_THRESHOLDS, claimToleranceRationale(rubric.task3.claimTolerance)),
    protocol: protocol(rubric.task3),
    // each check's points in the rubric; a check may grade parts of several items (task3.written)
    items: ITEMS.map((i) => ({ ...i, checkPoints: Object.fromEntries(i.checks.map((id) => [id, rubric.checks[id]?.points ?? null])) })),
  };
}
