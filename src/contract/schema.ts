/**
 * Contract v1: the shape of a submission's hw2.json. The zod schemas here are the single
 * source of truth: validation, the exported JSON Schema (`hw2 schema`) and the TypeScript
 * types all come from them.
 *
 * Each question's part is validated on its own (see load.ts), so a typo in Q6 costs Q6 and
 * nothing else.
 */
import { z } from 'zod';

const num = z.number().finite();
const text = z.string().max(100_000);

/** Q2: hand-computed values for the 3-2-2 sigmoid network. */
export const Q2_PARAMS = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'w9', 'w10', 'b1', 'b2'] as const;
export type Q2Param = (typeof Q2_PARAMS)[number];
const q2Weights = z.strictObject({
  w1: num.optional(), w2: num.optional(), w3: num.optional(), w4: num.optional(), w5: num.optional(),
  w6: num.optional(), w7: num.optional(), w8: num.optional(), w9: num.optional(), w10: num.optional(),
  b1: num.optional().describe('only if your convention updates the shared bias'),
  b2: num.optional().describe('only if your convention updates the shared bias'),
});
export const Q2Answer = z.strictObject({
  forward: z.strictObject({
    h1: num.optional(), h2: num.optional(), o1: num.optional(), o2: num.optional(),
    E: num.describe('the loss after one forward pass'),
  }).optional(),
  gradients: q2Weights.describe('dE/dw for each weight (and bias, if you update biases)').optional(),
  updated: q2Weights.describe('the values after one SGD step with the homework\'s learning rate').optional(),
  work: text.optional().describe('your derivation, shown to the TA'),
});

export const DD_TYPES = ['model-wise', 'epoch-wise', 'sample-wise'] as const;
const q3Plot = z.strictObject({
  criticalPoint: num.optional().describe('x-axis value of the transition between the classical and modern regimes'),
  type: z.enum(DD_TYPES).optional(),
  explanation: text.optional(),
});
export const Q3Answer = z.strictObject({ a: q3Plot.optional(), b: q3Plot.optional(), c: q3Plot.optional() });

export const Q4Answer = z.strictObject({
  expectation: num.optional().describe('E[ReLU(z)^2] for z ~ N(0,1)'),
  sigma: z.union([z.string().max(200), num]).optional().describe('optimal sigma_l as an expression in d (d = d_{l-1})'),
  proof: text.optional(),
});

/** A 4-dimensional array W1[r][k][j][i] (r: 4, k: d, j: 4, i: d) and W2[r][k]. */
const matrix = z.array(z.array(num));
export const Q5Params = z.strictObject({
  W1: z.array(z.array(matrix)).describe('W1[r][k][j][i], shape 4 x d x 4 x d'),
  W2: matrix.describe('W2[r][k], shape 4 x d'),
});
export const Q5_INVARIANCES = ['hidden-permutation', 'positive-rescaling', 'sign-flip', 'input-permutation'] as const;
export const Q5_SCALE_EFFECTS = ['none', 'flips-sign', 'depends-on-c'] as const;
export const Q5Answer = z.strictObject({
  invariances: z.array(z.enum(Q5_INVARIANCES)).max(10).optional(),
  invariancesExplanation: text.optional(),
  reversal: Q5Params.optional().describe('parameters that satisfy your constraints for scan-direction reversal'),
  reversalConstraints: text.optional(),
  complement: Q5Params.optional().describe('parameters that satisfy your constraints for base pairing j -> (j+2) mod 4'),
  complementConstraints: text.optional(),
  scaleEffect: z.enum(Q5_SCALE_EFFECTS).optional().describe('4(a): effect of c > 0 on the classification'),
  scaleTraining: text.optional().describe('4(b)'),
  scaleImprovement: text.optional().describe('4(c)'),
});

/** An output dimension: [h, w, c] / [n] or a string such as "224x224x64". */
const dim = z.union([z.array(z.number().int().nonnegative()).min(1).max(4), z.string().max(40)]);
export const Q6Answer = z.strictObject({
  rows: z.array(z.strictObject({
    layer: z.string().max(40).optional(),
    output: dim,
    params: z.number().int().nonnegative(),
  })).max(100).optional(),
  total: z.number().int().nonnegative().optional(),
  fcWeightPercent: num.optional().describe('share of the parameters in FC layers, in percent'),
});

export const Q1Answer = z.strictObject({ proof: text.optional() });

/** Task 1: values the pair's notebook printed, and (Python pairs) init samples as .npy files. */
const meanStd = z.strictObject({ mean: num, std: num });
export const INITS = ['xavier', 'kaiming'] as const;
export const Task1Answer = z.strictObject({
  nanLayer: z.number().int().nonnegative().optional().describe('item 1: the layer at which the output first holds NaN'),
  products: z.strictObject({ mean: num, std: num, sqrtN: num.optional() }).optional().describe('item 2'),
  scaled: meanStd.optional().describe('item 3: unit normal scaled by 1/sqrt(N)'),
  tanh: meanStd.optional().describe('item 4: item 3 with tanh after each layer'),
  xavierTanh: meanStd.optional().describe('item 5: Xavier uniform with tanh'),
  kaimingRelu: meanStd.optional().describe('item 6: Kaiming normal with ReLU'),
  xavierRelu: meanStd.optional().describe('item 6: Xavier with ReLU'),
  samples: z.array(z.strictObject({
    init: z.enum(INITS),
    fanIn: z.number().int().positive(),
    fanOut: z.number().int().positive(),
    file: z.string().regex(/^[\w.-]+\.npy$/, 'a .npy file name in the submission folder, e.g. xavier_512_256.npy'),
  })).max(20).optional().describe('samples of xavier_init / kaiming_init saved with np.save'),
  explanations: z.strictObject({ item1: text.optional(), item4: text.optional(), item6: text.optional() }).optional(),
});

/** A trained model in the submission and how its input is prepared. */
export const ModelRef = z.strictObject({
  path: z.string().max(300).regex(/^[\w./-]+\.(json|onnx)$/, 'a relative path to model.json (TensorFlow.js) or a .onnx file'),
  preprocessing: z.strictObject({
    scale: num.describe('pixels are multiplied by this first: 1/255 for ToTensor'),
    // One number for every channel or one per channel, as torchvision's Normalize takes them.
    mean: z.union([num, z.array(num).min(1).max(3)]).optional().describe('subtracted after scaling: one number, or one per channel'),
    std: z.union([num.positive(), z.array(num.positive()).min(1).max(3)]).optional().describe('divided by after the mean: one number, or one per channel'),
    layout: z.enum(['flat', 'NHWC', 'NCHW']),
  }),
});
export type ModelRef = z.infer<typeof ModelRef>;

export const Task2Answer = z.strictObject({
  model: ModelRef.optional().describe('item 2: the trained MLP'),
  reinitModel: ModelRef.optional().describe('item 3: the same MLP retrained with another init'),
  reinitInit: z.string().max(200).optional().describe('item 3: which torch.nn.init was used'),
  claimed: z.strictObject({ testAccuracy: num.optional(), reinitTestAccuracy: num.optional() }).optional()
    .describe('accuracies as your notebook printed them, in [0, 1]'),
  architecture: text.optional(),
  hyperparameters: z.record(z.string(), z.union([num, z.string().max(200), z.boolean()])).optional(),
  history: z.string().max(300).regex(/^[\w./-]+\.(json|csv)$/, 'a relative path to a .json or .csv history').optional(),
  display: text.optional().describe('item 1: where the 6 images with labels are shown'),
});

export const Task3Answer = z.strictObject({
  model: ModelRef.optional().describe('items 2-4: the trained CNN'),
  augmentedModel: ModelRef.optional().describe('item 5: the CNN retrained with data augmentation'),
  claimed: z.strictObject({
    testAccuracy: num.optional(),
    params: z.number().int().nonnegative().optional().describe('item 2: the printed number of parameters'),
    noise: z.array(z.strictObject({ a: num, accuracy: num })).max(10).optional().describe('item 4: accuracy with image + a·N(0,1)'),
    augmentedTestAccuracy: num.optional(),
  }).optional(),
  inputShape: z.array(z.number().int().positive()).max(4).optional().describe('item 2: e.g. [3, 32, 32]'),
  outputShape: z.array(z.number().int().positive()).max(2).optional().describe('item 2: e.g. [10]'),
  architecture: text.optional(),
  hyperparameters: z.record(z.string(), z.union([num, z.string().max(200), z.boolean()])).optional(),
  tuning: text.optional().describe('item 3: how the hyper-parameters were tuned (validation set?)'),
  augmentation: text.optional().describe('item 5: the augmentation and why'),
  history: z.string().max(300).regex(/^[\w./-]+\.(json|csv)$/, 'a relative path to a .json or .csv history').optional(),
  display: text.optional().describe('item 1: where the 5 train images are shown'),
});

export const PART_SCHEMAS = {
  q1: Q1Answer, q2: Q2Answer, q3: Q3Answer, q4: Q4Answer, q5: Q5Answer, q6: Q6Answer,
  task1: Task1Answer, task2: Task2Answer, task3: Task3Answer,
} as const;
export type PartId = keyof typeof PART_SCHEMAS;

export const Answers = z.strictObject({
  q1: Q1Answer.optional(), q2: Q2Answer.optional(), q3: Q3Answer.optional(),
  q4: Q4Answer.optional(), q5: Q5Answer.optional(), q6: Q6Answer.optional(),
  task1: Task1Answer.optional(), task2: Task2Answer.optional(), task3: Task3Answer.optional(),
});
export type Answers = z.infer<typeof Answers>;

/** A student id: the course uses 9-digit Israeli ids; others are accepted with a warning. */
const studentId = z.string().regex(/^[0-9A-Za-z_-]{1,32}$/, 'letters, digits, "_" or "-", at most 32');

/** The envelope; `answers` is checked part by part after this. */
export const Manifest = z.strictObject({
  contract: z.literal(1),
  group: z.strictObject({
    ids: z.array(studentId).min(1).max(2),
    names: z.array(z.string().max(200)).max(2).optional(),
  }),
  answers: z.record(z.string(), z.unknown()).optional(),
});

/** The full document, for the exported JSON Schema and editors. */
export const Hw2Json = Manifest.extend({ answers: Answers.optional() });
export type Hw2Json = z.infer<typeof Hw2Json>;

export function jsonSchema(): unknown {
  return z.toJSONSchema(Hw2Json, { target: 'draft-2020-12' });
}
