/**
 * What the trainers report as they go (for the CLI's progress display), and the TensorFlow.js
 * callback that turns a batch's logs into a BatchEvent.
 */

/** A batch as the trainers report it; epoch and batch count from 1. */
export interface BatchEvent {
  epoch: number;
  epochs: number;
  batch: number;
  batchesPerEpoch: number;
  batchSize: number;
  loss: number;
}

/** An epoch's summary. */
export interface EpochEvent {
  epoch: number;
  loss: number;
  acc: number;
  valLoss: number;
  valAcc: number;
  samplesPerSec: number;
}

/**
 * `{ onBatchEnd }` for model.fit, reporting to `onBatch` (nothing when there is none); `epoch()`
 * says which epoch is running, as fit's own batch index restarts every epoch. The last batch
 * may be short: its size comes from the logs.
 */
export function batchCallbacks(onBatch: ((e: BatchEvent) => void) | undefined, epoch: () => number, epochs: number, trainImages: number, batchSize: number) {
  if (!onBatch) return {};
  const batchesPerEpoch = Math.ceil(trainImages / batchSize);
  return {
    onBatchEnd: async (batch: number, logs?: { loss?: number; size?: number }) => {
      onBatch({ epoch: epoch(), epochs, batch: batch + 1, batchesPerEpoch, batchSize: logs?.size ?? batchSize, loss: logs?.loss ?? NaN });
    },
  };
}
