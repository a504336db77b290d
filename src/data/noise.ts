/**
 * Task 3's noise: image + a·z with z ~ N(0, 1) per pixel, one z for every noise level and
 * every model of a grading run, drawn from the run's seed. Row i of the field is image i's z
 * in the image's own (h, w, c) order: the sequence makeRng(seed).normal() gives, so the noise
 * is the one the harness drew per model before it was drawn once. Generated once per run by
 * the grading process into a file every evaluator child reads (src/models/evaluate.ts),
 * rather than per model: 26,032 SVHN images × 3,072 values is 80 million draws.
 */
import { makeRng } from '../util/random.ts';

/** SVHN's test split has 26,032 images (Netzer et al. 2011; torchvision's SVHN('test')): the rows of its noise field. */
export const SVHN_TEST_IMAGES = 26_032;

/** The field row by row, `rowsPerChunk` rows at a time, so that a file of it never sits whole in memory. */
export function* noiseChunks(seed: number, rows: number, pixels: number, rowsPerChunk = 512): Generator<Float32Array> {
  const rng = makeRng(seed);
  // Box–Muller gives two draws per pair of uniforms (cos first, then sin), exactly as
  // rng.normal() hands them out; done here in one loop, because 80 million calls cost seconds.
  let spare: number | undefined;
  for (let start = 0; start < rows; start += rowsPerChunk) {
    const chunk = new Float32Array(Math.min(rowsPerChunk, rows - start) * pixels);
    let i = 0;
    if (spare !== undefined && chunk.length) {
      chunk[i++] = spare;
      spare = undefined;
    }
    for (; i + 1 < chunk.length; i += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - rng.next()));
      const angle = 2 * Math.PI * rng.next();
      chunk[i] = r * Math.cos(angle);
      chunk[i + 1] = r * Math.sin(angle);
    }
    if (i < chunk.length) {
      const r = Math.sqrt(-2 * Math.log(1 - rng.next()));
      const angle = 2 * Math.PI * rng.next();
      chunk[i] = r * Math.cos(angle);
      spare = r * Math.sin(angle);
    }
    yield chunk;
  }
}

/** The whole field in memory (rows × pixels values). */
export function noiseField(seed: number, rows: number, pixels: number): Float32Array {
  const out = new Float32Array(rows * pixels);
  let at = 0;
  for (const chunk of noiseChunks(seed, rows, pixels)) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
