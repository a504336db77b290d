/**
 * What data a grading run will use, decided once, in the parent, before any submission is
 * graded: the files each dataset comes from and a fingerprint of their content. The
 * fingerprints go into every result's cache key (installing a dataset regrades), the plan's
 * lines are printed at the start of a batch, and the evaluator child is handed these paths
 * and opens nothing else.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { EMBEDDED_FASHION_DIR, FASHION_SHA256, fashionNotFound, findSvhn, locateFashion } from './datasets.ts';

/** Where a test set comes from, as the evaluator needs it. */
export type TestData =
  | { kind: 'idx'; images: string; labels: string }
  | { kind: 'mat'; file: string }
  /** SVHN is absent: the synthetic stand-in, written once per process by the evaluator's parent. */
  | { kind: 'synthetic' }
  /** Nothing usable: a fault of the grading machine, never of a submission. */
  | { kind: 'absent'; reason: string };

export interface DataSource {
  data: TestData;
  /** sha256 of the content, or a constant for generated data: part of every cache key. */
  fingerprint: string;
  /** One line for the start of a batch: "FashionMNIST test: embedded, sha256 5b4141f0…". */
  line: string;
}

export interface DataPlan {
  fashionTest: DataSource;
  svhnTest: DataSource;
}

/** The synthetic SVHN test set changes only when its generator does (a source change regrades anyway). */
export const SYNTHETIC_SVHN_FINGERPRINT = 'synthetic-svhn-test-v1';

const fingerprints = new Map<string, Promise<string>>();

/** sha256 of a file's bytes, remembered by path, size and modification time. */
function fileSha256(file: string): Promise<string> {
  const info = statSync(file);
  const key = `${file}\0${info.size}\0${info.mtimeMs}`;
  let hit = fingerprints.get(key);
  if (!hit) {
    hit = (async () => {
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
      return hash.digest('hex');
    })();
    fingerprints.set(key, hit);
  }
  return hit;
}

const short = (sha: string) => `sha256 ${sha.slice(0, 12)}…`;

async function fashionTest(dataDir?: string): Promise<DataSource> {
  const files = locateFashion('test', dataDir);
  if (!files) {
    const reason = fashionNotFound('test', dataDir).message;
    return { data: { kind: 'absent', reason }, fingerprint: 'absent', line: `FashionMNIST test: absent — Task 2 models cannot be measured (${reason})` };
  }
  if (files.origin === 'embedded') {
    // Verified against the published content sums when located: those sums are its fingerprint.
    const fingerprint = createHash('sha256').update(FASHION_SHA256['t10k-images-idx3-ubyte']! + FASHION_SHA256['t10k-labels-idx1-ubyte']!).digest('hex');
    return { data: { kind: 'idx', images: files.images, labels: files.labels }, fingerprint, line: `FashionMNIST test: embedded (${EMBEDDED_FASHION_DIR}), ${short(FASHION_SHA256['t10k-images-idx3-ubyte']!)} of its images` };
  }
  const [images, labels] = await Promise.all([fileSha256(files.images), fileSha256(files.labels)]);
  const fingerprint = createHash('sha256').update(images + labels).digest('hex');
  return { data: { kind: 'idx', images: files.images, labels: files.labels }, fingerprint, line: `FashionMNIST test: ${files.images}, ${short(images)}` };
}

async function svhnTest(dataDir?: string): Promise<DataSource> {
  const file = findSvhn('test', dataDir);
  if (!file) {
    return { data: { kind: 'synthetic' }, fingerprint: SYNTHETIC_SVHN_FINGERPRINT, line: 'SVHN test: absent — Task 3 is measured on the synthetic stand-in and its accuracy checks go to a TA' };
  }
  const sha = await fileSha256(file);
  return { data: { kind: 'mat', file }, fingerprint: sha, line: `SVHN test: ${file}, ${short(sha)}` };
}

const plans = new Map<string, Promise<DataPlan>>();

/** The plan for a data folder (memoised for the process: one batch, one plan). */
export function planGradingData(dataDir?: string): Promise<DataPlan> {
  const key = `${dataDir ?? ''}\0${process.env.HW2_DATA ?? ''}`;
  let plan = plans.get(key);
  if (!plan) {
    plan = (async () => ({ fashionTest: await fashionTest(dataDir), svhnTest: await svhnTest(dataDir) }))();
    plans.set(key, plan);
  }
  return plan;
}

export const planLines = (plan: DataPlan): string[] => [plan.fashionTest.line, plan.svhnTest.line];

/** What goes into a cache key: which data, by content. */
export const planFingerprint = (plan: DataPlan): string => `fashion-test:${plan.fashionTest.fingerprint};svhn-test:${plan.svhnTest.fingerprint}`;
