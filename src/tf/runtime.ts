/**
 * The one place that sets up TensorFlow.js. For now the cpu backend, which is exact and
 * deterministic for a given seed; faster backends are chosen here once they are wired in.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

let ready: Promise<typeof tf> | undefined;

export function tensorflow(): Promise<typeof tf> {
  ready ??= (async () => {
    // PROD silences the "install tfjs-node" banner, which cannot be acted on here.
    tf.env().set('PROD', true);
    await tf.setBackend('cpu');
    await tf.ready();
    return tf;
  })();
  return ready;
}
