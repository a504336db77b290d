/**
 * Progress displays for the terminal: pure formatters (tested on their own) and a writer that
 * redraws one line on a TTY. Off a terminal (CI logs, pipes) the writer prints nothing between
 * epochs, so logs keep one line per epoch instead of thousands of carriage returns.
 */
import type { BatchEvent, EpochEvent } from '../train/events.ts';

/** `[#####.....]`: `fraction` of `width` cells filled, rounded to the nearest cell. */
export function bar(fraction: number, width = 24): string {
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** 75 → "1m15s", 3725 → "1h02m", 9 → "9s": short enough for a progress line. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The line that stays after each epoch (the one a CI log shows). */
export function epochLine(e: EpochEvent, backend: string, elapsedSeconds: number): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  return `epoch ${e.epoch}: loss ${e.loss.toFixed(4)} acc ${pct(e.acc)} val_loss ${e.valLoss.toFixed(4)} val_acc ${pct(e.valAcc)} (${e.samplesPerSec.toFixed(0)} samples/s, ${backend}, ${elapsedSeconds.toFixed(0)} s)`;
}

export interface TrainingState {
  /** 1-based epoch and batch within it. */
  epoch: number;
  epochs: number;
  batch: number;
  batchesPerEpoch: number;
  /** Mean training loss over this epoch's batches so far. */
  loss: number;
  /** Training samples per second since training began. */
  samplesPerSec: number;
  /** Seconds since training began. */
  elapsed: number;
}

/**
 * One line: epoch, batch, bar over the whole run, loss, throughput and ETA. The ETA assumes the
 * remaining batches go at the mean pace so far (validation passes included in that pace).
 */
export function trainingLine(s: TrainingState): string {
  const total = s.epochs * s.batchesPerEpoch;
  const done = (s.epoch - 1) * s.batchesPerEpoch + s.batch;
  const eta = done > 0 ? (s.elapsed / done) * (total - done) : NaN;
  return `epoch ${s.epoch}/${s.epochs} batch ${String(s.batch).padStart(String(s.batchesPerEpoch).length)}/${s.batchesPerEpoch} ${bar(done / total)} loss ${s.loss.toFixed(4)} ${s.samplesPerSec.toFixed(0)} samples/s ETA ${duration(eta)}`;
}

/**
 * Redraws `trainingLine` on a terminal at most every `intervalMs`; `line` prints a whole line
 * (an epoch's summary) over it. Off a terminal `batch` does nothing.
 */
export class TrainingProgress {
  private readonly started = Date.now();
  private lastDraw = 0;
  private samples = 0;
  private lossSum = 0;
  private epochSamples = 0;
  private lossEpoch = 0;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs = 100,
  ) {}

  batch(e: BatchEvent): void {
    if (e.epoch !== this.lossEpoch) {
      this.lossEpoch = e.epoch;
      this.lossSum = 0;
      this.epochSamples = 0;
    }
    // Weighted by batch size, as TensorFlow.js weighs the epoch's loss (the last batch may be short).
    this.samples += e.batchSize;
    this.epochSamples += e.batchSize;
    this.lossSum += e.loss * e.batchSize;
    const now = Date.now();
    if (!this.stream.isTTY || (now - this.lastDraw < this.intervalMs && e.batch !== e.batchesPerEpoch)) return;
    this.lastDraw = now;
    const elapsed = (now - this.started) / 1000;
    const text = trainingLine({ ...e, loss: this.lossSum / this.epochSamples, samplesPerSec: this.samples / Math.max(elapsed, 1e-3), elapsed });
    this.stream.write(`\r${text.slice(0, (this.stream.columns || 120) - 1)}\x1b[K`);
    this.drawn = true;
  }

  /** A line that stays (an epoch's summary), printed on stdout below any bar. */
  line(text: string): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
    console.log(text);
  }
}
