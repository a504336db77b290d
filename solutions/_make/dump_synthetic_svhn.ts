/**
 * Writes the synthetic SVHN-like test set that the harness evaluates on where SVHN is absent
 * (the same seed and count as src/models/evaluate-child.ts) as raw bytes, so that PyTorch can
 * measure a CNN on exactly those images in export_onnx.py, without harness code:
 *
 *   node --import tsx solutions/_make/dump_synthetic_svhn.ts OUT_DIR
 *
 * OUT_DIR/images.u8: N×32×32×3 bytes (NHWC, 0–255); OUT_DIR/labels.u8: N bytes (0–9).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticSvhn } from '../../src/data/synthetic-svhn.ts';
import { SYNTHETIC_SVHN_TEST } from '../../src/models/evaluate-child.ts';

const out = process.argv[2];
if (!out) throw new Error('usage: dump_synthetic_svhn.ts OUT_DIR');
mkdirSync(out, { recursive: true });
const set = syntheticSvhn('test', SYNTHETIC_SVHN_TEST);
writeFileSync(join(out, 'images.u8'), set.images);
writeFileSync(join(out, 'labels.u8'), set.labels);
console.log(`wrote ${set.count} images to ${out}`);
