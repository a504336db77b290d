/**
 * TensorFlow.js layers models as ONNX graphs, so that one engine (onnxruntime) measures every
 * model: a pure function of model.json's topology and the weights' bytes. TensorFlow.js's
 * tensors are channels-last (NHWC); onnxruntime's convolutions and pools are channels-first
 * (NCHW). The graph keeps the model's own NHWC input and output, transposes to NCHW before
 * the first convolution or pool and back before anything whose result depends on the order
 * of the axes (Flatten: TensorFlow flattens (h, w, c), a Dense on a 4-D tensor, the output).
 * Anything the translation does not know — a layer, an activation, an option, quantized
 * weights, a graph that is not a chain — is returned as `unsupported` with its name, and the
 * evaluator falls back to TensorFlow.js, which says so. tests/models/tfjs-to-onnx.test.ts
 * compares both engines' outputs on random architectures.
 */
import protobuf from 'protobufjs/light.js';
import { ONNX_SCHEMA } from './onnx-schema.ts';

/** What TensorFlow.js's model.json and its weight files hold. */
export interface TfjsArtifacts {
  /** model.json's modelTopology. */
  topology: unknown;
  /** model.json's weightsManifest[*].weights, in order. */
  weightSpecs: { name: string; shape: number[]; dtype?: string; quantization?: unknown }[];
  /** The weight files' bytes, concatenated in the manifest's order. */
  weightData: Uint8Array;
}

export type Translation =
  | {
    ok: true;
    /** The ONNX ModelProto's bytes (IR 8, opset 13), input "input", output "output". */
    onnx: Uint8Array;
    /** Trainable parameters, as TensorFlow.js counts them (moving statistics and frozen layers excluded). */
    params: number;
    /** The model's input and output shapes, batch first (null). */
    input: (number | null)[];
    output: (number | null)[];
  }
  | { ok: false; unsupported: string };

class Unsupported extends Error {}
const unsupported = (what: string): never => {
  throw new Unsupported(what);
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A tensor of the graph: its name, TensorFlow's (logical, channels-last) shape, and whether it is held channels-first. */
interface Value {
  name: string;
  shape: (number | null)[];
  nchw: boolean;
}

interface Attribute {
  name: string;
  type: number;
  i?: number;
  f?: number;
  ints?: number[];
}

// onnx.proto's AttributeProto.AttributeType and TensorProto.DataType.
const FLOAT = 1;
const INT = 2;
const INTS = 7;
const DATA_FLOAT = 1;

const attr = {
  int: (name: string, i: number): Attribute => ({ name, type: INT, i }),
  float: (name: string, f: number): Attribute => ({ name, type: FLOAT, f }),
  ints: (name: string, ints: number[]): Attribute => ({ name, type: INTS, ints }),
};

class GraphBuilder {
  nodes: { input: string[]; output: string[]; name: string; op_type: string; attribute: Attribute[] }[] = [];
  initializers: { name: string; dims: number[]; data_type: number; raw_data: Uint8Array }[] = [];
  private count = 0;

  fresh(hint: string): string {
    return `${hint}_${this.count++}`;
  }

  constant(hint: string, dims: number[], values: Float32Array): string {
    const name = this.fresh(hint);
    // raw_data is little-endian, as Float32Array is on every platform Node runs on here.
    this.initializers.push({ name, dims, data_type: DATA_FLOAT, raw_data: new Uint8Array(values.buffer, values.byteOffset, values.byteLength) });
    return name;
  }

  node(op: string, inputs: string[], attributes: Attribute[] = []): string {
    const out = this.fresh(op.toLowerCase());
    this.nodes.push({ input: inputs, output: [out], name: out, op_type: op, attribute: attributes });
    return out;
  }
}

/** Weights by the name TensorFlow.js gives them ("dense_Dense1/kernel"), read from the bytes as float32. */
function weightsByName(specs: TfjsArtifacts['weightSpecs'], data: Uint8Array): Map<string, { shape: number[]; values: Float32Array }> {
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  let offset = 0;
  for (const spec of specs) {
    if (!isObject(spec) || typeof spec.name !== 'string' || !Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) unsupported('a weight entry that is not { name, shape }');
    if (spec.quantization !== undefined) unsupported(`quantized weights (${spec.name})`);
    if ((spec.dtype ?? 'float32') !== 'float32') unsupported(`${spec.dtype} weights (${spec.name})`);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (offset + size * 4 > data.byteLength) unsupported('weight files shorter than the manifest says');
    // A copy: the bytes may not be 4-aligned, and the graph must not alias the caller's buffer.
    const values = new Float32Array(size);
    new Uint8Array(values.buffer).set(data.subarray(offset, offset + size * 4));
    out.set(spec.name, { shape: spec.shape, values });
    offset += size * 4;
  }
  return out;
}

/** The layers of a Sequential model, or of a functional one that is a chain; the input shape. */
function layerChain(topology: unknown): { layers: { className: string; config: Json }[]; inputShape: (number | null)[] | undefined } {
  const model = isObject(topology) && isObject(topology.model_config) ? topology.model_config : topology;
  if (!isObject(model)) return unsupported('a modelTopology that is not an object');
  const className = model.class_name;
  const config = model.config;
  const rawLayers = Array.isArray(config) ? config : isObject(config) && Array.isArray(config.layers) ? config.layers : unsupported(`a ${String(className)} model without layers`);
  const layers = (rawLayers as unknown[]).map((l) => {
    if (!isObject(l) || typeof l.class_name !== 'string' || !isObject(l.config)) return unsupported('a layer that is not { class_name, config }');
    return { className: l.class_name, config: l.config, inbound: l.inbound_nodes };
  });
  if (className === 'Model' || className === 'Functional') {
    // A chain: each layer's one input is the layer before it.
    layers.forEach((l, i) => {
      const inbound = l.inbound as unknown;
      if (i === 0) {
        if (l.className !== 'InputLayer') unsupported('a functional model that does not start with its InputLayer');
        return;
      }
      const ok = Array.isArray(inbound) && inbound.length === 1 && Array.isArray(inbound[0]) && inbound[0].length === 1
        && Array.isArray(inbound[0][0]) && inbound[0][0][0] === layers[i - 1]!.config.name;
      if (!ok) unsupported(`a functional model that is not a chain (layer ${String(l.config.name)})`);
    });
  } else if (className !== 'Sequential') unsupported(`a model of class ${String(className)}`);
  const first = layers[0]?.config;
  const batchShape = first?.batch_input_shape ?? first?.batch_shape;
  const inputShape = Array.isArray(batchShape) ? [null, ...(batchShape as unknown[]).slice(1).map((d) => (typeof d === 'number' ? d : null))] : undefined;
  return { layers: layers.map(({ className: c, config: k }) => ({ className: c, config: k })), inputShape };
}

const pair = (v: unknown, what: string): [number, number] => {
  const list = typeof v === 'number' ? [v, v] : Array.isArray(v) && v.length === 2 ? v : unsupported(what);
  if (!list.every((d) => Number.isSafeInteger(d) && (d as number) > 0)) unsupported(what);
  return list as [number, number];
};

/** Output size and the padding before and after of one spatial axis, as TensorFlow computes them. */
function window(size: number, kernel: number, stride: number, dilation: number, padding: string): { out: number; before: number; after: number } {
  const span = (kernel - 1) * dilation + 1;
  if (padding === 'valid') {
    const out = Math.floor((size - span) / stride) + 1;
    if (out < 1) unsupported(`a window of ${span} on an axis of ${size} with padding valid`);
    return { out, before: 0, after: 0 };
  }
  if (padding !== 'same') unsupported(`padding ${padding}`);
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + span - size, 0);
  // TensorFlow puts the odd pixel after (ONNX's SAME_UPPER), computed explicitly here.
  return { out, before: Math.floor(total / 2), after: total - Math.floor(total / 2) };
}

/** Translates a TensorFlow.js layers model; `unsupported` names what stopped it. Never throws. */
export function tfjsToOnnx(artifacts: TfjsArtifacts): Translation {
  try {
    return translate(artifacts);
  } catch (error) {
    if (error instanceof Unsupported) return { ok: false, unsupported: error.message };
    return { ok: false, unsupported: `the translation failed (${(error as Error)?.message ?? String(error)})` };
  }
}

function translate({ topology, weightSpecs, weightData }: TfjsArtifacts): Translation {
  const { layers, inputShape } = layerChain(topology);
  if (!inputShape || inputShape.slice(1).some((d) => d === null)) unsupported('an input shape that is not fixed (batch_input_shape)');
  const weights = weightsByName(weightSpecs, weightData);
  const g = new GraphBuilder();
  let params = 0;
  let t: Value = { name: 'input', shape: inputShape!, nchw: false };
  const rank = () => t.shape.length;
  const dims = () => t.shape.slice(1) as number[];

  const toNchw = () => {
    if (rank() !== 4) unsupported(`a 2-D layer on a ${rank()}-D tensor`);
    if (!t.nchw) t = { ...t, name: g.node('Transpose', [t.name], [attr.ints('perm', [0, 3, 1, 2])]), nchw: true };
  };
  const toNhwc = () => {
    if (t.nchw) t = { ...t, name: g.node('Transpose', [t.name], [attr.ints('perm', [0, 2, 3, 1])]), nchw: false };
  };
  const activate = (fn: unknown, layer: string) => {
    const name = fn ?? 'linear';
    const apply = (op: string, inputs: string[] = [t.name], attributes: Attribute[] = []) => {
      t = { ...t, name: g.node(op, inputs, attributes) };
    };
    switch (name) {
      case 'linear': return;
      case 'relu': return apply('Relu');
      case 'relu6': return apply('Clip', [t.name, g.constant('zero', [], new Float32Array([0])), g.constant('six', [], new Float32Array([6]))]);
      case 'sigmoid': return apply('Sigmoid');
      // TensorFlow.js saves hardSigmoid as hard_sigmoid and reads either as clip(0.2x + 0.5, 0, 1).
      case 'hard_sigmoid':
      case 'hardSigmoid': return apply('HardSigmoid', [t.name], [attr.float('alpha', 0.2), attr.float('beta', 0.5)]);
      case 'tanh': return apply('Tanh');
      case 'elu': return apply('Elu', [t.name], [attr.float('alpha', 1)]);
      case 'selu': return apply('Selu');
      case 'softplus': return apply('Softplus');
      case 'softsign': return apply('Softsign');
      case 'swish': return apply('Mul', [t.name, g.node('Sigmoid', [t.name])]);
      // Keras's softmax is over the last (channel) axis, which is axis 1 when held channels-first.
      case 'softmax': return apply('Softmax', [t.name], [attr.int('axis', t.nchw ? 1 : -1)]);
      default: return unsupported(`the activation ${JSON.stringify(name)} of layer ${layer}`);
    }
  };
  const weight = (layer: string, which: string, shape: number[]) => {
    const w = weights.get(`${layer}/${which}`) ?? [...weights.entries()].find(([k]) => k.endsWith(`/${layer}/${which}`))?.[1];
    if (!w) return unsupported(`layer ${layer} without its weight ${which}`);
    if (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i])) unsupported(`layer ${layer}'s ${which} of shape [${w.shape}], expected [${shape}]`);
    return w.values;
  };

  for (const { className, config } of layers) {
    const name = String(config.name ?? className);
    const trainable = config.trainable !== false;
    const count = (n: number) => {
      if (trainable) params += n;
    };
    if (config.data_format !== undefined && config.data_format !== 'channels_last') unsupported(`layer ${name} with data_format ${String(config.data_format)}`);
    switch (className) {
      case 'InputLayer':
        break;
      case 'Dense': {
        const units = config.units as number;
        if (!Number.isSafeInteger(units) || units < 1) unsupported(`layer ${name} without units`);
        toNhwc();
        const fanIn = t.shape[rank() - 1] as number;
        const kernel = g.constant(`${name}_kernel`, [fanIn, units], weight(name, 'kernel', [fanIn, units]));
        count(fanIn * units);
        const useBias = config.use_bias !== false;
        const bias = useBias ? g.constant(`${name}_bias`, [units], weight(name, 'bias', [units])) : undefined;
        if (useBias) count(units);
        if (rank() === 2) t = { ...t, name: g.node('Gemm', bias ? [t.name, kernel, bias] : [t.name, kernel]) };
        else {
          t = { ...t, name: g.node('MatMul', [t.name, kernel]) };
          if (bias) t = { ...t, name: g.node('Add', [t.name, bias]) };
        }
        t = { ...t, shape: [...t.shape.slice(0, -1), units] };
        activate(config.activation, name);
        break;
      }
      case 'Conv2D': {
        const filters = config.filters as number;
        if (!Number.isSafeInteger(filters) || filters < 1) unsupported(`layer ${name} without filters`);
        if (config.groups !== undefined && config.groups !== 1) unsupported(`layer ${name} with groups`);
        const [kh, kw] = pair(config.kernel_size, `layer ${name}'s kernel_size`);
        const [sh, sw] = pair(config.strides ?? 1, `layer ${name}'s strides`);
        const [dh, dw] = pair(config.dilation_rate ?? 1, `layer ${name}'s dilation_rate`);
        const padding = String(config.padding ?? 'valid');
        toNchw();
        const [h, w, c] = dims() as [number, number, number];
        const y = window(h, kh, sh, dh, padding);
        const x = window(w, kw, sw, dw, padding);
        // TensorFlow's kernel is [kh, kw, in, out]; ONNX's is [out, in, kh, kw].
        const tfKernel = weight(name, 'kernel', [kh, kw, c, filters]);
        const kernel = new Float32Array(tfKernel.length);
        for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let ci = 0; ci < c; ci++) for (let o = 0; o < filters; o++) {
          kernel[((o * c + ci) * kh + i) * kw + j] = tfKernel[((i * kw + j) * c + ci) * filters + o]!;
        }
        count(kernel.length);
        const inputs = [t.name, g.constant(`${name}_kernel`, [filters, c, kh, kw], kernel)];
        if (config.use_bias !== false) {
          inputs.push(g.constant(`${name}_bias`, [filters], weight(name, 'bias', [filters])));
          count(filters);
        }
        t = {
          name: g.node('Conv', inputs, [attr.ints('kernel_shape', [kh, kw]), attr.ints('strides', [sh, sw]), attr.ints('dilations', [dh, dw]), attr.ints('pads', [y.before, x.before, y.after, x.after])]),
          shape: [null, y.out, x.out, filters], nchw: true,
        };
        activate(config.activation, name);
        break;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const [kh, kw] = pair(config.pool_size ?? 2, `layer ${name}'s pool_size`);
        const [sh, sw] = pair(config.strides ?? [kh, kw], `layer ${name}'s strides`);
        const padding = String(config.padding ?? 'valid');
        toNchw();
        const [h, w, c] = dims() as [number, number, number];
        const y = window(h, kh, sh, 1, padding);
        const x = window(w, kw, sw, 1, padding);
        // ONNX's pads are ignored by MaxPool and, with count_include_pad 0 (the default), left
        // out of AveragePool's mean: TensorFlow's rule for 'same'.
        t = {
          name: g.node(className === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool', [t.name], [attr.ints('kernel_shape', [kh, kw]), attr.ints('strides', [sh, sw]), attr.ints('pads', [y.before, x.before, y.after, x.after])]),
          shape: [null, y.out, x.out, c], nchw: true,
        };
        break;
      }
      case 'GlobalAveragePooling2D':
      case 'GlobalMaxPooling2D': {
        if (config.keepdims === true) unsupported(`layer ${name} with keepdims`);
        toNchw();
        const c = dims()[2]!;
        const pooled = g.node(className === 'GlobalAveragePooling2D' ? 'GlobalAveragePool' : 'GlobalMaxPool', [t.name]);
        t = { name: g.node('Flatten', [pooled], [attr.int('axis', 1)]), shape: [null, c], nchw: false };
        break;
      }
      case 'Flatten': {
        // TensorFlow flattens (h, w, c): back to channels-last first.
        toNhwc();
        if (rank() > 2) t = { name: g.node('Flatten', [t.name], [attr.int('axis', 1)]), shape: [null, dims().reduce((a, b) => a * b, 1)], nchw: false };
        break;
      }
      case 'Dropout':
      case 'SpatialDropout1D':
      case 'SpatialDropout2D':
      case 'GaussianNoise':
      case 'GaussianDropout':
      case 'AlphaDropout':
        // Identity at inference.
        break;
      case 'BatchNormalization': {
        const axis = Array.isArray(config.axis) && config.axis.length === 1 ? config.axis[0] : (config.axis ?? -1);
        if (axis !== -1 && axis !== rank() - 1) unsupported(`layer ${name} normalizing axis ${JSON.stringify(config.axis)}, not the last`);
        const c = t.shape[rank() - 1] as number;
        const epsilon = typeof config.epsilon === 'number' ? config.epsilon : 1e-3;
        const gamma = config.scale !== false ? weight(name, 'gamma', [c]) : new Float32Array(c).fill(1);
        const beta = config.center !== false ? weight(name, 'beta', [c]) : new Float32Array(c);
        count((config.scale !== false ? c : 0) + (config.center !== false ? c : 0));
        const mean = weight(name, 'moving_mean', [c]);
        const variance = weight(name, 'moving_variance', [c]);
        // y = (x − mean)·γ/√(var + ε) + β, as one multiply and one add per channel.
        const scale = new Float32Array(c);
        const shift = new Float32Array(c);
        for (let k = 0; k < c; k++) {
          const s = gamma[k]! / Math.sqrt(variance[k]! + epsilon);
          scale[k] = s;
          shift[k] = beta[k]! - mean[k]! * s;
        }
        const shape = t.nchw ? [c, 1, 1] : [c];
        t = { ...t, name: g.node('Add', [g.node('Mul', [t.name, g.constant(`${name}_scale`, shape, scale)]), g.constant(`${name}_shift`, shape, shift)]) };
        break;
      }
      case 'Activation':
        activate(config.activation, name);
        break;
      case 'ReLU': {
        if ((config.negative_slope ?? 0) !== 0 || (config.threshold ?? 0) !== 0) unsupported(`layer ${name} with a negative slope or threshold`);
        const max = config.max_value;
        if (max === null || max === undefined) t = { ...t, name: g.node('Relu', [t.name]) };
        else if (typeof max === 'number') t = { ...t, name: g.node('Clip', [t.name, g.constant('zero', [], new Float32Array([0])), g.constant('max', [], new Float32Array([max]))]) };
        else unsupported(`layer ${name}'s max_value`);
        break;
      }
      case 'LeakyReLU':
        t = { ...t, name: g.node('LeakyRelu', [t.name], [attr.float('alpha', typeof config.alpha === 'number' ? config.alpha : 0.3)]) };
        break;
      case 'ELU':
        t = { ...t, name: g.node('Elu', [t.name], [attr.float('alpha', typeof config.alpha === 'number' ? config.alpha : 1)]) };
        break;
      case 'Softmax': {
        const axis = config.axis ?? -1;
        if (axis !== -1 && axis !== rank() - 1) unsupported(`layer ${name} with axis ${JSON.stringify(axis)}`);
        t = { ...t, name: g.node('Softmax', [t.name], [attr.int('axis', t.nchw ? 1 : -1)]) };
        break;
      }
      default:
        unsupported(`layer ${name} (${className})`);
    }
  }
  toNhwc();
  if (t.name === 'input') g.node('Identity', [t.name]);
  // Every step above ends with the node that made t: that node writes the graph's output.
  g.nodes[g.nodes.length - 1]!.output = ['output'];
  const valueInfo = (name: string, shape: (number | null)[]) => ({
    name, type: { tensor_type: { elem_type: DATA_FLOAT, shape: { dim: shape.map((d) => (d === null ? { dim_param: 'N' } : { dim_value: d })) } } },
  });
  const model = {
    ir_version: 8, producer_name: 'hw2-harness tfjs-to-onnx', opset_import: [{ domain: '', version: 13 }],
    graph: { name: 'tfjs', node: g.nodes, initializer: g.initializers, input: [valueInfo('input', inputShape!)], output: [valueInfo('output', t.shape)] },
  };
  const type = modelType();
  return { ok: true, onnx: type.encode(type.fromObject(model)).finish(), params, input: inputShape!, output: t.shape };
}

let modelProto: protobuf.Type | undefined;
function modelType(): protobuf.Type {
  modelProto ??= protobuf.Root.fromJSON(ONNX_SCHEMA as unknown as protobuf.INamespace).lookupType('onnx.ModelProto');
  return modelProto;
}
