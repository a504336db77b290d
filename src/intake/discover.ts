/**
 * Finds the submissions under the paths a TA names: a submission folder, its zip, a folder
 * of them, or Moodle's "Download all submissions" (a zip or its extracted folder, one
 * folder per student named `<Full name>_<id>_assignsubmission_file_`). In a Moodle batch
 * each student's folder is searched for the pair's files. Each upload is its own: one that
 * breaks a limit of the download is refused alone (a unit with a problem, graded 0 with the
 * reason); a pair that both partners submitted with the same bytes is graded once, with a
 * note; different uploads that claim the same pair are all graded, each under its own id and
 * each with a warning for the TA, so no upload can replace another pair's. With a roster,
 * an upload whose uploader is not one of the ids it claims, or that claims ids not on the
 * roster, is refused and named. A notebook named alone (`hw2 check ee046211_hw2_….ipynb`) is a
 * submission of that notebook only: its answers are the ones the kit displayed in it.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import yauzl from 'yauzl';
import { UsageError } from '../core/errors.ts';
import { MANIFEST, submissionIdOf } from './names.ts';
import { extractZip, type ZipLimits } from '../sandbox/zip.ts';
import { idsInName } from './notebook.ts';
import { uploaderOf, type Roster } from './roster.ts';
import { hashContent } from './digest.ts';

export interface Unit {
  /** Stable id: the course's ee046211_hw2_<id1>_<id2> when it can be read, else the folder's name. */
  id: string;
  /** A folder or a .zip holding one submission. */
  path: string;
  /** Where it came from, for messages (the Moodle student folder, say). */
  origin: string;
  warnings: string[];
  /**
   * Set when the upload was refused before grading (it broke a limit of the download, or
   * the roster says it is not the uploader's): graded 0 with this reason, nothing read.
   */
  problem?: string;
}

export interface DiscoverOptions {
  /** Moodle's participants (or grading worksheet): who may upload for which ids. */
  roster?: Roster;
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

/**
 * A digest of an upload's bytes, to tell "both partners uploaded the same file" from "two
 * different uploads claim the same pair": the same walk as the cache key's, read no further
 * than one submission's limits.
 */
async function digestOf(path: string, maxBytes: number): Promise<string | undefined> {
  try {
    return (await hashContent(createHash('sha256'), path, { maxFileBytes: maxBytes, maxTotalBytes: maxBytes })).digest('hex');
  } catch {
    return undefined;
  }
}

interface Upload {
  /** The id the upload's file names claim (ee046211_hw2_<id1>_<id2>), else the folder's. */
  id: string;
  /** The pair's ids, when the course's file name gives them. */
  claimed?: string[];
  path: string;
  /** The Moodle folder it came from. */
  folder: string;
  participant: string;
  problem?: string;
}

const and = (items: string[]) => (items.length <= 2 ? items.join(' and ') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

async function fromMoodleFolder(dir: string, warnings: string[], zipLimits: ZipLimits, options: DiscoverOptions, refused = new Map<string, string>()): Promise<Unit[]> {
  const uploads: Upload[] = [];
  // A refused upload's folder was removed with its files: its name comes from `refused`.
  for (const name of [...new Set([...(await readdir(dir)), ...refused.keys()])].sort()) {
    const m = MOODLE_FOLDER.exec(name);
    if (!m) continue;
    const [, fullName, participant] = m as unknown as [string, string, string];
    const reason = refused.get(name);
    if (reason !== undefined) {
      // Its files were removed by the extraction; the folder stays so the unit has a path.
      await mkdir(join(dir, name), { recursive: true });
      uploads.push({ id: submissionIdOf(name), path: join(dir, name), folder: name, participant, problem: `the upload of ${name} was refused: ${reason}` });
      continue;
    }
    if (!(await isDir(join(dir, name)))) continue;
    const found = await insideStudentFolder(join(dir, name));
    if ('problem' in found) {
      warnings.push(found.problem);
      continue;
    }
    const claimed = found.id ? idsInName(`${found.id}.zip`) : undefined;
    // The course's name in one spelling: EE046211_HW2_… and ee046211_hw2_… claim the same pair.
    const canonical = claimed ? `ee046211_hw2_${claimed.join('_')}` : undefined;
    const upload: Upload = { id: submissionIdOf(canonical ?? found.id ?? name), path: found.path, folder: name, participant, ...(claimed ? { claimed } : {}) };
    if (options.roster) {
      const who = uploaderOf(options.roster, fullName, participant);
      const strangers = claimed?.filter((id) => !options.roster!.ids.has(id)) ?? [];
      if ('problem' in who) upload.problem = `the upload of ${name} was refused: ${who.problem}`;
      else if (strangers.length) upload.problem = `the upload of ${name} was refused: it claims ${strangers.length > 1 ? 'ids' : 'id'} ${and(strangers)}, not on the roster ${options.roster.file}`;
      else if (claimed && !claimed.includes(who.id)) upload.problem = `the upload of ${name} was refused: it claims pair ${claimed.join('_')}, but its uploader's ID number is ${who.id}`;
    }
    uploads.push(upload);
  }
  // Uploads that claim one pair, in any case and either order of its ids, are one group.
  const byPair = new Map<string, Upload[]>();
  const pairKey = (u: Upload) => (u.claimed ? [...u.claimed].sort().join('_') : u.id);
  for (const u of uploads) byPair.set(pairKey(u), [...(byPair.get(pairKey(u)) ?? []), u]);
  const units: Unit[] = [];
  for (const group of byPair.values()) {
    const id = group[0]!.id;
    const unit = (u: Upload, unitId: string): Unit => ({ id: unitId, path: u.path, origin: u.folder, warnings: [], ...(u.problem ? { problem: u.problem } : {}) });
    // A refused upload is graded apart, under its folder's number, so it replaces no one.
    const accepted = group.filter((u) => !u.problem);
    for (const u of group.filter((u) => u.problem)) {
      units.push(unit(u, accepted.length || group.length > 1 ? `${id}-${u.participant}` : id));
      warnings.push(u.problem!); // the batch's TA sees it at once, as well as in the unit's result
    }
    if (!accepted.length) continue;
    // Identical bytes from both partners: one upload, graded once.
    const distinct: { upload: Upload; also: Upload[] }[] = [];
    const digests = new Map<string, { upload: Upload; also: Upload[] }>();
    for (const u of accepted) {
      const digest = accepted.length > 1 ? await digestOf(u.path, zipLimits.maxTotalBytes) : undefined;
      const same = digest !== undefined ? digests.get(digest) : undefined;
      if (same) {
        same.also.push(u);
        continue;
      }
      const entry = { upload: u, also: [] as Upload[] };
      distinct.push(entry);
      if (digest !== undefined) digests.set(digest, entry);
    }
    const pair = accepted[0]!.claimed?.join('_') ?? id;
    for (const { upload, also } of distinct) {
      const graded = unit(upload, distinct.length > 1 ? `${id}-${upload.participant}` : id);
      for (const other of also) graded.warnings.push(`submitted twice, by ${upload.folder} and by ${other.folder}; graded the copy of ${upload.folder}`);
      if (distinct.length > 1) {
        const from = and(distinct.map((d) => `from ${d.upload.folder}`));
        graded.warnings.push(`${distinct.length === 2 ? 'two' : distinct.length} different uploads claim pair ${pair}: ${from}; ${distinct.length === 2 ? 'both' : 'all'} graded, a TA must decide`);
      }
      units.push(graded);
    }
  }
  return units;
}

async function isMoodleFolder(dir: string): Promise<boolean> {
  return (await readdir(dir)).some((n) => MOODLE_FOLDER.test(n));
}

export async function discover(paths: readonly string[], zipLimits: ZipLimits, warnings: string[] = [], options: DiscoverOptions = {}): Promise<Discovered> {
  const units: Unit[] = [];
  const cleanup: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile() && isZip(path)) {
      const top = await zipTopNames(path);
      if (top.some((n) => MOODLE_FOLDER.test(n))) {
        // A whole course's download: bigger than one submission, so the total limit scales;
        // each student's folder has one submission's limits, and breaking one refuses that
        // upload alone.
        const extracted = await extractZip(path, { ...zipLimits, maxEntries: zipLimits.maxEntries * 100, maxTotalBytes: zipLimits.maxTotalBytes * 100 }, {
          groups: { of: (name) => { const first = name.split('/')[0]!; return MOODLE_FOLDER.test(first) ? first : undefined; }, limits: zipLimits },
        });
        if (!extracted.ok) throw new UsageError(extracted.message);
        cleanup.push(extracted.root);
        units.push(...(await fromMoodleFolder(extracted.root, warnings, zipLimits, options, extracted.refused)));
      } else {
        units.push({ id: submissionIdOf(basename(path).replace(/\.zip$/i, '')), path, origin: path, warnings: [] });
      }
      continue;
    }
    if (info?.isFile() && path.toLowerCase().endsWith('.ipynb')) {
      // A notebook handed in alone: a folder of its own, so it is staged and read like any other.
      if (info.size > zipLimits.maxTotalBytes) throw new UsageError(`${path}: ${info.size} bytes, more than the ${zipLimits.maxTotalBytes} bytes a submission may hold`);
      const id = submissionIdOf(basename(path).replace(/\.ipynb$/i, ''));
      const root = await mkdtemp(join(tmpdir(), 'hw2-notebook-'));
      cleanup.push(root);
      // Named as the notebook is, so what the result says of its folder reads as the submission.
      const dir = join(root, id);
      await mkdir(dir);
      await copyFile(path, join(dir, basename(path)));
      units.push({ id, path: dir, origin: path, warnings: [] });
      continue;
    }
    if (!info?.isDirectory()) throw new UsageError(`${path}: not a folder, a .zip or a notebook (expected a submission folder, its zip, a notebook, a folder of submissions or Moodle's download)`);
    if (await isSubmissionFolder(path)) {
      units.push({ id: submissionIdOf(path), path, origin: path, warnings: [] });
      continue;
    }
    if (await isMoodleFolder(path)) {
      units.push(...(await fromMoodleFolder(path, warnings, zipLimits, options)));
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
    if (other) {
      // Nothing extracted for this run may outlive it: the caller never gets `cleanup`.
      for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
      throw new UsageError(`two submissions would share the id "${u.id}": ${other.origin} and ${u.origin}; rename one`);
    }
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
