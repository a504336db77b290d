/**
 * The one place that sets up TensorFlow.js. Backends by what is installed, fastest first:
 * @tensorflow/tfjs-node-gpu (CUDA), @tensorflow/tfjs-node, then the wasm backend (the default
 * that always installs), then cpu. `backend` forces one. The node backends download
 * libtensorflow when installed, so they are optional and absent here.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from './wasm-kernels.ts';
import { createRequire } from 'node:module';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
const require = createRequire(import.meta.url);

// wasm lacks Conv2DBackpropFilter (no CNN could train there); its Conv2DBackpropInput and its
// matrix products with a transposed operand are slow (src/tf/wasm-kernels.ts).
registerWasmKernels();

let ready: Promise<typeof tf> | undefined;
let chosen: BackendName | undefined;

/** Registers the node backends if their packages are installed; true if one was. */
function tryNodeBackend(): boolean {
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      require(pkg);
      return true;
    } catch {
      // not installed: the next one
    }
  }
  return false;
}

/** The backend that `tensorflow()` chose, once it has run. */
export function backendInUse(): string {
  return chosen ? `${chosen}${chosen === 'wasm' ? ` (${wasm.getThreadsCount()} thread)` : ''}` : 'not started';
}

/**
 * TensorFlow.js with a backend: `prefer` forces one; by default the fastest installed. The
 * Task 1 reference asks for cpu, which is exact and the same on every machine.
 */
export async function tensorflow(prefer?: BackendName): Promise<typeof tf> {
  if (ready && prefer && chosen && prefer !== chosen) {
    await ready;
    if (!(await tf.setBackend(prefer))) throw new Error(`the ${prefer} backend could not start`);
    chosen = prefer;
    return tf;
  }
  ready ??= (async () => {
    // PROD silences the "install tfjs-node" banner, which cannot be acted on here.
    tf.env().set('PROD', true);
    const order: BackendName[] = prefer ? [prefer] : [...(tryNodeBackend() ? (['tensorflow'] as const) : []), 'wasm', 'cpu'];
    for (const name of order) {
      if (name === 'tensorflow' && !tryNodeBackend()) continue;
      if (await tf.setBackend(name).catch(() => false)) {
        chosen = name;
        break;
      }
    }
    if (!chosen) throw new Error(`no TensorFlow.js backend could start (tried ${order.join(', ')})`);
    await tf.ready();
    return tf;
  })();
  return ready;
}

export { wasm };
