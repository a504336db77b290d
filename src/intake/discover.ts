/**
 * Finds the submissions under the paths a TA names: a submission folder, its zip, a folder
 * of them, or Moodle's "Download all submissions" (a zip or its extracted folder, one
 * folder per student named `<Full name>_<id>_assignsubmission_file_`). In a Moodle batch
 * each student's folder is searched for the pair's files, and a pair that both partners
 * submitted is graded once, with a warning.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import yauzl from 'yauzl';
import { UsageError } from '../contract/errors.ts';
import { MANIFEST, submissionIdOf } from '../contract/load.ts';
import { extractZip, type ZipLimits } from '../sandbox/zip.ts';
import { idsInName } from './notebook.ts';

export interface Unit {
  /** Stable id: the course's ee046211_hw2_<id1>_<id2> when it can be read, else the folder's name. */
  id: string;
  /** A folder or a .zip holding one submission. */
  path: string;
  /** Where it came from, for messages (the Moodle student folder, say). */
  origin: string;
  warnings: string[];
}

export interface Discovered {
  units: Unit[];
  /** Temporary folders to remove when grading is done. */
  cleanup: string[];
}

export const MOODLE_FOLDER = /^(.+)_(\d+)_assignsubmission_(?:file|onlinetext)_?$/;

const isZip = (name: string) => name.toLowerCase().endsWith('.zip');
const exists = async (p: string) => !!(await stat(p).catch(() => undefined));
const isDir = async (p: string) => (await stat(p).catch(() => undefined))?.isDirectory() ?? false;
const visible = (name: string) => !name.startsWith('.') && !name.startsWith('_') && name !== '__MACOSX';

async function isSubmissionFolder(dir: string): Promise<boolean> {
  if (await exists(join(dir, MANIFEST))) return true;
  return (await readdir(dir)).some((n) => n.toLowerCase().endsWith('.ipynb'));
}

/** Top-level names inside a zip, without extracting it. */
function zipTopNames(file: string): Promise<string[]> {
  return new Promise((resolve) => {
    yauzl.open(file, { lazyEntries: true, autoClose: true }, (err, zip) => {
      if (err || !zip) return resolve([]);
      const names = new Set<string>();
      zip.on('entry', (e: yauzl.Entry) => {
        names.add(e.fileName.split('/')[0]!);
        if (names.size > 2000) zip.close();
        else zip.readEntry();
      });
      zip.on('end', () => resolve([...names]));
      zip.on('close', () => resolve([...names]));
      zip.on('error', () => resolve([...names]));
      zip.readEntry();
    });
  });
}

/** The pair's submission inside one Moodle student folder. */
async function insideStudentFolder(dir: string): Promise<{ path: string; id?: string } | { problem: string }> {
  const names = (await readdir(dir)).filter(visible);
  const courseZip = names.find((n) => isZip(n) && idsInName(n));
  if (courseZip) return { path: join(dir, courseZip), id: courseZip.replace(/\.zip$/i, '') };
  if (await isSubmissionFolder(dir)) {
    const nb = names.find((n) => idsInName(n));
    return { path: dir, id: nb?.replace(/\.(ipynb|pdf)$/i, '') };
  }
  const zips = names.filter(isZip);
  if (zips.length === 1) return { path: join(dir, zips[0]!) };
  const folders = [];
  for (const n of names) if (await isDir(join(dir, n)) && (await isSubmissionFolder(join(dir, n)))) folders.push(n);
  if (folders.length === 1) return { path: join(dir, folders[0]!) };
  return { problem: `${basename(dir)}: no hw2.json, notebook or single zip inside (found ${names.join(', ') || 'nothing'})` };
}

async function fromMoodleFolder(dir: string, warnings: string[]): Promise<Unit[]> {
  const byId = new Map<string, Unit>();
  for (const name of (await readdir(dir)).sort()) {
    const m = MOODLE_FOLDER.exec(name);
    if (!m || !(await isDir(join(dir, name)))) continue;
    const found = await insideStudentFolder(join(dir, name));
    if ('problem' in found) {
      warnings.push(found.problem);
      continue;
    }
    const id = submissionIdOf(found.id ?? name);
    const earlier = byId.get(id);
    if (earlier) {
      earlier.warnings.push(`submitted twice, by ${earlier.origin} and by ${name}; graded the copy of ${earlier.origin}`);
      continue;
    }
    byId.set(id, { id, path: found.path, origin: name, warnings: [] });
  }
  return [...byId.values()];
}

async function isMoodleFolder(dir: string): Promise<boolean> {
  return (await readdir(dir)).some((n) => MOODLE_FOLDER.test(n));
}

export async function discover(paths: readonly string[], zipLimits: ZipLimits, warnings: string[] = []): Promise<Discovered> {
  const units: Unit[] = [];
  const cleanup: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile() && isZip(path)) {
      const top = await zipTopNames(path);
      if (top.some((n) => MOODLE_FOLDER.test(n))) {
        // A whole course's download: bigger than one submission, so the total limit scales.
        const extracted = await extractZip(path, { ...zipLimits, maxEntries: zipLimits.maxEntries * 100, maxTotalBytes: zipLimits.maxTotalBytes * 100 });
        if (!extracted.ok) throw new UsageError(extracted.message);
        cleanup.push(extracted.root);
        units.push(...(await fromMoodleFolder(extracted.root, warnings)));
      } else {
        units.push({ id: submissionIdOf(basename(path).replace(/\.zip$/i, '')), path, origin: path, warnings: [] });
      }
      continue;
    }
    if (!info?.isDirectory()) throw new UsageError(`${path}: not a folder or a .zip (expected a submission folder, its zip, a folder of submissions or Moodle's download)`);
    if (await isSubmissionFolder(path)) {
      units.push({ id: submissionIdOf(path), path, origin: path, warnings: [] });
      continue;
    }
    if (await isMoodleFolder(path)) {
      units.push(...(await fromMoodleFolder(path, warnings)));
      continue;
    }
    const entries = (await readdir(path, { withFileTypes: true }))
      .filter((e) => (e.isDirectory() || (e.isFile() && isZip(e.name))) && visible(e.name))
      .map((e) => join(path, e.name))
      .sort();
    if (!entries.length) throw new UsageError(`${path}: no ${MANIFEST}, no notebook and no submission folders or zips inside`);
    for (const entry of entries) units.push({ id: submissionIdOf(basename(entry).replace(/\.zip$/i, '')), path: entry, origin: entry, warnings: [] });
  }
  const seen = new Map<string, Unit>();
  for (const u of units) {
    const other = seen.get(u.id);
    if (other) throw new UsageError(`two submissions would share the id "${u.id}": ${other.origin} and ${u.origin}; rename one`);
    seen.set(u.id, u);
  }
  // One order everywhere (a single run, each shard, a merge): by id.
  units.sort((a, b) => a.id.localeCompare(b.id));
  return { units, cleanup };
}

/** FNV-1a of the id: a shard assignment that does not change when other submissions come or go. */
export function shardOf(id: string, count: number): number {
  let h = 0x811c9dc5;
  for (const ch of Buffer.from(id, 'utf8')) h = Math.imul(h ^ ch, 0x01000193) >>> 0;
  return h % count;
}
