/**
 * Where the datasets are and how they are read. FashionMNIST is looked up in --data-dir,
 * then $HW2_DATA, then /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist).
 * Images stay uint8 in one typed array; models get float32 batches made on demand.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIdx } from './idx.ts';

export interface ImageSet {
  name: string;
  /** Where it was read from, or 'synthetic'. */
  source: string;
  synthetic: boolean;
  count: number;
  height: number;
  width: number;
  channels: number;
  /** count × height × width × channels, uint8, channels last. */
  images: Uint8Array;
  labels: Uint8Array;
}

export class DatasetError extends Error {}

export const FASHION_FILES = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
} as const;

export function dataDirs(dataDir?: string): string[] {
  return [dataDir, process.env.HW2_DATA, '/usr/share/datasets'].filter((d): d is string => !!d);
}

function findFile(dirs: string[], sub: string, stem: string): string | undefined {
  for (const dir of dirs) {
    for (const candidate of [join(dir, sub, `${stem}.gz`), join(dir, sub, stem), join(dir, `${stem}.gz`), join(dir, stem)]) {
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

const cache = new Map<string, ImageSet>();

export function loadFashionMnist(split: 'train' | 'test', dataDir?: string): ImageSet {
  const dirs = dataDirs(dataDir);
  const [imagesStem, labelsStem] = FASHION_FILES[split];
  const imagesFile = findFile(dirs, 'fashion-mnist', imagesStem);
  const labelsFile = findFile(dirs, 'fashion-mnist', labelsStem);
  if (!imagesFile || !labelsFile) {
    throw new DatasetError(`FashionMNIST ${split} not found: looked for ${imagesStem}(.gz) and ${labelsStem}(.gz) in ${dirs.map((d) => join(d, 'fashion-mnist')).join(', ')}; install Debian's dataset-fashion-mnist, pass --data-dir, set HW2_DATA, or run hw2 data fetch fashion`);
  }
  const key = `${imagesFile}\0${labelsFile}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const images = parseIdx(readFileSync(imagesFile), imagesFile);
  const labels = parseIdx(readFileSync(labelsFile), labelsFile);
  if (images.shape.length !== 3 || labels.shape.length !== 1 || images.shape[0] !== labels.shape[0]) {
    throw new DatasetError(`${imagesFile} (${images.shape.join('×')}) and ${labelsFile} (${labels.shape.join('×')}) do not make an image set`);
  }
  const set: ImageSet = {
    name: `fashion-mnist/${split}`, source: imagesFile, synthetic: false, count: images.shape[0]!,
    height: images.shape[1]!, width: images.shape[2]!, channels: 1, images: images.data, labels: labels.data,
  };
  cache.set(key, set);
  return set;
}

/** Where a split of SVHN is, if anywhere loadSvhn looks. */
export function findSvhn(split: 'train' | 'test' | 'extra', dataDir?: string): string | undefined {
  const stem = `${split}_32x32.mat`;
  return dataDirs(dataDir).flatMap((d) => [join(d, 'svhn', stem), join(d, stem)]).find((f) => existsSync(f));
}

/** SVHN from `<dir>/svhn/{train,test,extra}_32x32.mat` (or the .mat files directly in a data folder). */
export async function loadSvhn(split: 'train' | 'test' | 'extra', dataDir?: string): Promise<ImageSet> {
  const { svhnFromMat } = await import('./svhn.ts');
  const dirs = dataDirs(dataDir);
  const stem = `${split}_32x32.mat`;
  const file = findSvhn(split, dataDir);
  if (!file) throw new DatasetError(`SVHN ${split} not found: looked for ${stem} in ${dirs.map((d) => join(d, 'svhn')).join(', ')}; run hw2 data fetch svhn${split === 'extra' ? ' extra' : ''} (needs internet) or copy it from http://ufldl.stanford.edu/housenumbers/ into one of them`);
  const hit = cache.get(file);
  if (hit) return hit;
  const set = svhnFromMat(readFileSync(file), file, `svhn/${split}`);
  cache.set(file, set);
  return set;
}
