/**
 * Gradient kernels for the wasm backend, built on the backend's own fast (XNNPACK) kernels:
 * the two convolution gradients, max-pooling's gradient and matrix products with transposed
 * operands (each where it is defined below).
 *
 * Conv2DBackpropFilter: wasm has none, so CNNs could not train there. The filter gradient
 *
 *   dW[fh, fw, ci, co] = Σ_{n, oh, ow} xpad[n, oh·s + fh·d, ow·s + fw·d, ci] · dy[n, oh, ow, co]
 *
 * is a convolution of X' = xpad transposed to [Ci, Hp, Wp, N] (the channels as the batch)
 * with F' = dy transposed to [OH, OW, N, Co] (the gradient as the filter), stride d and
 * dilation s, cropped to the filter's size and transposed back.
 *
 * Conv2DBackpropInput: wasm has one, but it is a plain loop (1.2 GFLOP/s here, 35% of a CNN
 * training step in `npm run bench -- train`). For stride 1 and dilation 1 the input gradient
 *
 *   dx[n, i, j, ci] = Σ_{fh, fw, co} dy[n, i + pt − fh, j + pl − fw, co] · W[fh, fw, ci, co]
 *
 * is a valid convolution of dy, padded by (kh − 1 − pt) above and (kw − 1 − pl) on the left,
 * with W rotated by 180° and its channel axes swapped; other strides keep wasm's own kernel.
 * Channels-last only, as the harness's models are. wasm's MaxPoolGrad is wrong in one case:
 * see maxPoolGrad.
 */
import * as tf from '@tensorflow/tfjs-core';

interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

export function conv2dBackpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: Attrs): tf.Tensor4D {
  if (attrs.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm: only NHWC (channels last) is supported');
  const info = tf.backend_util.computeConv2DInfo(x.shape, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const { top, bottom, left, right } = info.padInfo;
  const [sh, sw] = [info.strideHeight, info.strideWidth];
  return tf.tidy(() => {
    const xPad = tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]);
    const xT = tf.transpose(xPad, [3, 1, 2, 0]) as tf.Tensor4D;
    const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
    // tfjs allows a dilation above 1 only with stride 1: the stride of the layer is the dilation here.
    const full = tf.conv2d(xT, dyT, 1, 'valid', 'NHWC', [sh, sw]);
    const cropped = tf.slice(full, [0, 0, 0, 0], [full.shape[0], info.filterHeight, info.filterWidth, full.shape[3]]);
    return tf.transpose(cropped, [1, 2, 0, 3]) as tf.Tensor4D;
  });
}

interface InputAttrs extends Omit<Attrs, 'filterShape'> {
  inputShape: [number, number, number, number];
  dilations?: number | [number, number];
}

/** dx by the rotated-filter convolution; undefined where that does not apply (stride or dilation above 1, NCHW). */
export function conv2dBackpropInput(dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: InputAttrs): tf.Tensor4D | undefined {
  if (attrs.dataFormat === 'NCHW') return undefined;
  const info = tf.backend_util.computeConv2DInfo(attrs.inputShape, filter.shape, attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  if (info.strideHeight !== 1 || info.strideWidth !== 1 || info.dilationHeight !== 1 || info.dilationWidth !== 1) return undefined;
  const [kh, kw] = [info.filterHeight, info.filterWidth];
  const [h, w] = [info.inHeight, info.inWidth];
  const top = kh - 1 - info.padInfo.top;
  const left = kw - 1 - info.padInfo.left;
  const bottom = h + kh - 1 - info.outHeight - top;
  const right = w + kw - 1 - info.outWidth - left;
  if (Math.min(top, left, bottom, right) < 0) return undefined;
  return tf.tidy(() => {
    const dyPad = tf.pad(dy, [[0, 0], [top, bottom], [left, right], [0, 0]]);
    const rotated = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    return tf.conv2d(dyPad, rotated, 1, 'valid');
  });
}

interface WasmBackend {
  makeOutput(shape: number[], dtype: string): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  readSync(dataId: object): Float32Array;
}

/** A copy of a kernel input as a tensor of our own (wrapping the engine's would tie their lifetimes to the gradient tape's). */
function own<R extends tf.Rank = tf.Rank.R4>(backend: WasmBackend, t: tf.TensorInfo): tf.Tensor<R> {
  return tf.tensor(backend.readSync(t.dataId), t.shape as number[]) as unknown as tf.Tensor<R>;
}

/** The engine owns kernel outputs: `result` copied into a fresh backend buffer, then freed. */
function output(backend: WasmBackend, result: tf.Tensor): tf.TensorInfo {
  const out = backend.makeOutput(result.shape, 'float32');
  backend.typedArrayFromHeap(out).set(result.dataSync() as Float32Array);
  result.dispose();
  return out;
}

/**
 * Max-pooling's gradient: each window's dy goes to its largest input, the first one in
 * row-major order on ties (common after ReLU: windows of zeros), padding never chosen — as the
 * cpu backend does. wasm's own kernel loses the gradient of a 'same'-padded window whose
 * maximum is negative (x = [a, 0.04, 1.31, −1.00] pooled 2×2 stride 1 'same': the last
 * window's dy vanishes; found by tests/tf/wasm-kernels.test.ts), so this loop replaces it.
 * It is no faster than wasm's (about 29 ms for the CNN's first pool at batch 64; a
 * reshape–argMax–oneHot formulation took as long), only right. Channels-last values in, the
 * gradient written into `dx` (the kernel passes the engine's output buffer).
 */
export function maxPoolGrad(dy: Float32Array, x: Float32Array, info: tf.backend_util.Conv2DInfo, dx: Float32Array<ArrayBufferLike> = new Float32Array(x.length)): Float32Array<ArrayBufferLike> {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, padInfo } = info;
  dx.fill(0);
  for (let b = 0; b < batchSize; b++) for (let oy = 0; oy < outHeight; oy++) for (let ox = 0; ox < outWidth; ox++) {
    const [y0, x0] = [oy * strideHeight - padInfo.top, ox * strideWidth - padInfo.left];
    const [yFrom, yTo] = [Math.max(0, y0), Math.min(inHeight, y0 + filterHeight)];
    const [xFrom, xTo] = [Math.max(0, x0), Math.min(inWidth, x0 + filterWidth)];
    for (let d = 0; d < inChannels; d++) {
      let best = -Infinity;
      let at = -1;
      for (let yy = yFrom; yy < yTo; yy++) for (let xx = xFrom; xx < xTo; xx++) {
        const i = ((b * inHeight + yy) * inWidth + xx) * inChannels + d;
        if (x[i]! > best) [best, at] = [x[i]!, i];
      }
      if (at >= 0) dx[at]! += dy[((b * outHeight + oy) * outWidth + ox) * inChannels + d]!;
    }
  }
  return dx;
}

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * Replaces wasm's kernel `name` by `faster`, which answers with a tensor of ours (copied into
 * the engine's output and freed) or undefined to let wasm's own kernel do the work.
 */
function overrideWasmKernel(name: string, faster: (inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap, wasm: WasmBackend) => tf.Tensor | undefined): void {
  const original = tf.getKernel(name, 'wasm');
  if (!original) return;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => {
      const wasm = args.backend as unknown as WasmBackend;
      const result = faster(args.inputs, args.attrs ?? {}, wasm);
      return result ? output(wasm, result) : original.kernelFunc(args);
    },
  });
}

/** `fn` on copies of the named kernel inputs, freed afterwards. */
function withOwn<T>(wasm: WasmBackend, inputs: tf.TensorInfo[], fn: (...copies: tf.Tensor[]) => T): T {
  const copies = inputs.map((t) => own<tf.Rank>(wasm, t));
  try {
    return fn(...copies);
  } finally {
    tf.dispose(copies);
  }
}

let registered = false;

/** Registers the harness's wasm kernels (once); where a replacement does not apply, wasm's own runs. */
export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend, attrs }) => {
        const wasm = backend as unknown as WasmBackend;
        return output(wasm, withOwn(wasm, [inputs.x as tf.TensorInfo, inputs.dy as tf.TensorInfo], (x, dy) => conv2dBackpropFilter(x as tf.Tensor4D, dy as tf.Tensor4D, attrs as unknown as Attrs)));
      },
    });
  }
  overrideWasmKernel('Conv2DBackpropInput', (inputs, attrs, wasm) =>
    withOwn(wasm, [inputs.dy as tf.TensorInfo, inputs.filter as tf.TensorInfo], (dy, filter) => conv2dBackpropInput(dy as tf.Tensor4D, filter as tf.Tensor4D, attrs as unknown as InputAttrs)));
  // Never wasm's own (see maxPoolGrad): the loop reads the engine's buffers and writes its output in place.
  tf.unregisterKernel('MaxPoolGrad', 'wasm');
  tf.registerKernel({
    kernelName: 'MaxPoolGrad',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as unknown as WasmBackend;
      const [dy, x] = [inputs.dy as tf.TensorInfo, inputs.input as tf.TensorInfo];
      const a = attrs as unknown as PoolAttrs;
      const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
      const out = wasm.makeOutput(x.shape, 'float32');
      maxPoolGrad(wasm.readSync(dy.dataId), wasm.readSync(x.dataId), info, wasm.typedArrayFromHeap(out));
      return out;
    },
  });
  /*
   * wasm's BatchMatMul multiplies at about 14 GFLOP/s here, but at about 1 GFLOP/s when asked
   * to transpose an operand on the fly — which every dense layer's backward pass does (dW = xᵀ·dy,
   * dx = dy·Wᵀ): 93% of an MLP training step. Transposing first (wasm's Transpose is a single
   * memory pass) and multiplying plain operands gives the same product.
   */
  overrideWasmKernel('BatchMatMul', (inputs, attrs, wasm) => {
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const [ai, bi] = [inputs.a as tf.TensorInfo, inputs.b as tf.TensorInfo];
    if ((!transposeA && !transposeB) || ai.dtype !== 'float32' || bi.dtype !== 'float32') return undefined;
    // the last two axes swapped, any batch axes before them kept
    const swapLast = (t: tf.Tensor) => tf.transpose(t, [...t.shape.keys()].map((i, _, all) => (i < all.length - 2 ? i : i === all.length - 2 ? i + 1 : i - 1)));
    return withOwn(wasm, [ai, bi], (a, b) => tf.tidy(() => tf.matMul(transposeA ? swapLast(a) : a, transposeB ? swapLast(b) : b)));
  });
}
