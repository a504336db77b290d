/**
 * Where the datasets are and how they are read. FashionMNIST is looked up in --data-dir,
 * then $HW2_DATA, then /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist);
 * its test split falls back to the official copy committed in vendor/fashion-mnist (checked
 * against the sha256 of its content), so grading never depends on what the machine has.
 * Lookup happens here, in the parent; the sandboxed evaluator gets file paths and only
 * reads them (loadFashionFiles, svhnFromMat). Images stay uint8 in one typed array.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parseIdx } from './idx.ts';
import type { ImageSet } from './image-set.ts';


export class DatasetError extends Error {}

export const FASHION_FILES = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
} as const;

/** sha256 of the decompressed idx files (Zalando's 2017 release; Debian's copy has the same content). */
export const FASHION_SHA256: Record<string, string> = {
  'train-images-idx3-ubyte': 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
  'train-labels-idx1-ubyte': 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
  't10k-images-idx3-ubyte': '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
  't10k-labels-idx1-ubyte': '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
};

/** The official test split, committed with the harness (vendor/fashion-mnist/README.md). */
export const EMBEDDED_FASHION_DIR = fileURLToPath(new URL('../../vendor/fashion-mnist', import.meta.url));

export const SYSTEM_DATA_DIR = '/usr/share/datasets';

export function dataDirs(dataDir?: string): string[] {
  // Each folder once: the CLI passes HW2_DATA as dataDir when no --data-dir is given.
  return [...new Set([dataDir, process.env.HW2_DATA, SYSTEM_DATA_DIR].filter((d): d is string => !!d))];
}

/** A regular file (after links: these are the TA's own folders) — never a folder named like one. */
function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function findFile(dirs: string[], sub: string, stem: string): string | undefined {
  for (const dir of dirs) {
    for (const candidate of [join(dir, sub, `${stem}.gz`), join(dir, sub, stem), join(dir, `${stem}.gz`), join(dir, stem)]) {
      if (isFile(candidate)) return candidate;
    }
  }
  return undefined;
}

export interface FashionFiles {
  images: string;
  labels: string;
  /** 'embedded': the copy committed with the harness; 'configured': a data folder's. */
  origin: 'configured' | 'embedded';
}

let embeddedVerified: boolean | undefined;

/** The committed test split, if its content still has the published sha256 (a damaged checkout does not). */
function embeddedFashionTest(): FashionFiles | undefined {
  const [imagesStem, labelsStem] = FASHION_FILES.test;
  const files = { images: join(EMBEDDED_FASHION_DIR, `${imagesStem}.gz`), labels: join(EMBEDDED_FASHION_DIR, `${labelsStem}.gz`), origin: 'embedded' as const };
  embeddedVerified ??= [[files.images, imagesStem], [files.labels, labelsStem]].every(([file, stem]) => {
    try {
      return createHash('sha256').update(gunzipSync(readFileSync(file!))).digest('hex') === FASHION_SHA256[stem!];
    } catch {
      return false;
    }
  });
  return embeddedVerified ? files : undefined;
}

/** Where FashionMNIST's split is: a configured folder first, then (test only) the embedded copy. */
export function locateFashion(split: 'train' | 'test', dataDir?: string): FashionFiles | undefined {
  const [imagesStem, labelsStem] = FASHION_FILES[split];
  const dirs = dataDirs(dataDir);
  const images = findFile(dirs, 'fashion-mnist', imagesStem);
  const labels = findFile(dirs, 'fashion-mnist', labelsStem);
  if (images && labels) return { images, labels, origin: 'configured' };
  return split === 'test' ? embeddedFashionTest() : undefined;
}

export function fashionNotFound(split: 'train' | 'test', dataDir?: string): DatasetError {
  const [imagesStem, labelsStem] = FASHION_FILES[split];
  const where = dataDirs(dataDir).map((d) => join(d, 'fashion-mnist')).join(', ');
  const embedded = split === 'test' ? `; the embedded copy in ${EMBEDDED_FASHION_DIR} is missing or damaged (its sha256 does not match)` : '';
  return new DatasetError(`FashionMNIST ${split} not found: looked for ${imagesStem}(.gz) and ${labelsStem}(.gz) in ${where}${embedded}; install Debian's dataset-fashion-mnist, pass --data-dir, set HW2_DATA, or run hw2 data fetch fashion`);
}

const cache = new Map<string, ImageSet>();

/** Reads the two idx files it is given, and nothing else (the evaluator child calls this). */
export function loadFashionFiles(files: { images: string; labels: string }, split: 'train' | 'test'): ImageSet {
  const key = `${files.images}\0${files.labels}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const images = parseIdx(readFileSync(files.images), files.images);
  const labels = parseIdx(readFileSync(files.labels), files.labels);
  if (images.shape.length !== 3 || labels.shape.length !== 1 || images.shape[0] !== labels.shape[0]) {
    throw new DatasetError(`${files.images} (${images.shape.join('×')}) and ${files.labels} (${labels.shape.join('×')}) do not make an image set`);
  }
  const set: ImageSet = {
    name: `fashion-mnist/${split}`, source: files.images, synthetic: false, count: images.shape[0]!,
    height: images.shape[1]!, width: images.shape[2]!, channels: 1, images: images.data, labels: labels.data,
  };
  cache.set(key, set);
  return set;
}

export function loadFashionMnist(split: 'train' | 'test', dataDir?: string): ImageSet {
  const files = locateFashion(split, dataDir);
  if (!files) throw fashionNotFound(split, dataDir);
  return loadFashionFiles(files, split);
}

/** Where a split of SVHN is, if anywhere loadSvhn looks. */
export function findSvhn(split: 'train' | 'test' | 'extra', dataDir?: string): string | undefined {
  const stem = `${split}_32x32.mat`;
  return dataDirs(dataDir).flatMap((d) => [join(d, 'svhn', stem), join(d, stem)]).find(isFile);
}

/** SVHN from the .mat file it is given (the evaluator child calls this). */
export async function loadSvhnFile(file: string, split: 'train' | 'test' | 'extra'): Promise<ImageSet> {
  const { svhnFromMat } = await import('./svhn.ts');
  const hit = cache.get(file);
  if (hit) return hit;
  const set = svhnFromMat(readFileSync(file), file, `svhn/${split}`);
  cache.set(file, set);
  return set;
}

/** SVHN from `<dir>/svhn/{train,test,extra}_32x32.mat` (or the .mat files directly in a data folder). */
export async function loadSvhn(split: 'train' | 'test' | 'extra', dataDir?: string): Promise<ImageSet> {
  const dirs = dataDirs(dataDir);
  const stem = `${split}_32x32.mat`;
  const file = findSvhn(split, dataDir);
  if (!file) throw new DatasetError(`SVHN ${split} not found: looked for ${stem} in ${dirs.map((d) => join(d, 'svhn')).join(', ')}; run hw2 data fetch svhn${split === 'extra' ? ' extra' : ''} (needs internet) or copy it from http://ufldl.stanford.edu/housenumbers/ into one of them`);
  return loadSvhnFile(file, split);
}
