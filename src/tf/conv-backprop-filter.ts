/**
 * The wasm backend has no Conv2DBackpropFilter kernel, so CNNs cannot train on it. This one
 * computes the filter gradient with the backend's own convolution on transposed operands:
 *
 *   dW[fh, fw, ci, co] = Σ_{n, oh, ow} xpad[n, oh·s + fh·d, ow·s + fw·d, ci] · dy[n, oh, ow, co]
 *
 * is a convolution of X' = xpad transposed to [Ci, Hp, Wp, N] (the channels as the batch)
 * with F' = dy transposed to [OH, OW, N, Co] (the gradient as the filter), stride d and
 * dilation s, cropped to the filter's size and transposed back. Channels-last only, as the
 * harness's models are.
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

let registered = false;

/** Registers the kernel for the wasm backend (once). */
export function registerWasmConv2DBackpropFilter(): void {
  if (registered || tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  registered = true;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as unknown as {
        makeOutput(shape: number[], dtype: string): tf.TensorInfo;
        typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
        readSync(dataId: object): Float32Array;
      };
      // Inputs are copied into tensors of our own (wrapping the engine's would tie their
      // lifetimes to the gradient tape's); the copies are freed below.
      const info = (t: tf.TensorInfo) => t as tf.TensorInfo & { shape: [number, number, number, number] };
      const x = tf.tensor4d(wasm.readSync((inputs.x as tf.TensorInfo).dataId), info(inputs.x as tf.TensorInfo).shape);
      const dy = tf.tensor4d(wasm.readSync((inputs.dy as tf.TensorInfo).dataId), info(inputs.dy as tf.TensorInfo).shape);
      const result = conv2dBackpropFilter(x, dy, attrs as unknown as Attrs);
      x.dispose();
      dy.dispose();
      // The engine owns kernel outputs: copy into a fresh backend buffer.
      const out = wasm.makeOutput(result.shape, 'float32');
      wasm.typedArrayFromHeap(out).set(result.dataSync() as Float32Array);
      result.dispose();
      return out;
    },
  });
}
