/**
 * What the harness itself is, for cache keys: a hash of its own sources (every file that can
 * change a grade: the engine, the checks, the reference, the report templates, the locked
 * dependency versions) and the compute backends installed. package.json's version stayed
 * 0.1.0 through every change, so it cannot tell one harness from another; the bytes can.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Folders and files whose bytes decide a grade; data is fingerprinted separately (src/data/plan.ts). */
const SOURCES = ['src', 'checks', 'reference', 'reports', 'types', 'package.json', 'package-lock.json'];

function files(path: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch {
    out.push(path);
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.isDirectory()) files(join(path, e.name), out);
    else if (e.isFile()) out.push(join(path, e.name));
  }
}

/** sha256 over the harness's source files, names and bytes (about 150 files: milliseconds). */
export function sourcesFingerprint(root: string = ROOT): string {
  const hash = createHash('sha256');
  const list: string[] = [];
  for (const s of SOURCES) files(join(root, s), list);
  // The default rubric is in every cache key already, parsed, less its manual section, which
  // `hw2 review` rewrites as TAs define rubric items: its bytes here would regrade for nothing.
  for (const file of list.filter((f) => relative(root, f) !== join('reference', 'rubric.json'))) {
    hash.update(`\0${relative(root, file)}\0`);
    try {
      hash.update(readFileSync(file));
    } catch {
      hash.update('missing');
    }
  }
  return hash.digest('hex');
}

/** The compute packages a grade may depend on, with their versions ("absent" when not installed). */
export function backendsFingerprint(): string {
  const require = createRequire(import.meta.url);
  return ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm', 'onnxruntime-node'].map((pkg) => {
    try {
      return `${pkg}@${(require(`${pkg}/package.json`) as { version: string }).version}`;
    } catch {
      return `${pkg}@absent`;
    }
  }).join(' ');
}

let memo: { sources: string; backends: string } | undefined;

/** Computed once per process: the sources do not change under a running batch. */
export function harnessFingerprint(): { sources: string; backends: string } {
  memo ??= { sources: sourcesFingerprint(), backends: backendsFingerprint() };
  return memo;
}
