/**
 * The TAs' decisions, kept in the `--manual` CSV itself (submission, check, points, comment,
 * then columns the harness's reader ignores: the rubric items applied, the TA's own words, who
 * and when), so `hw2 grade … --manual` reads what the review page wrote, and nothing is kept
 * anywhere else that could disagree with it.
 *
 * Every save is a read-modify-write of the whole file under a lock file, written atomically
 * (temporary file, then rename): a server killed at any moment leaves the file as it was
 * before or after a save, never half of one, and two TAs saving at the same moment, on
 * different questions, both keep their decisions. A save names the version of the decision it
 * replaces (who saved it, and when): if another TA saved that decision since, the save is
 * refused with their name, and nothing is overwritten.
 *
 * A TA grading a question holds a claim on it in `<file>.claims.json` (renewed by the page
 * every CLAIM_RENEW_MS); another TA's page opening the same question, or saving in it, is
 * refused while the claim is fresh (CLAIM_TTL_MS), with the holder's name.
 */
import { open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { parse } from 'csv-parse/sync';
import { writeAtomic } from '../util/atomic.ts';

export interface Decision {
  submission: string;
  check: string;
  points: number;
  /** What reports and sheets show: the labels of the items applied, then the TA's own words. */
  comment: string;
  /** Ids of the rubric items applied (the rubric's manual section). */
  items: string[];
  /** The TA's own words. */
  remark: string;
  ta: string;
  /** When it was saved (ISO); with `ta`, the version a later save must name. */
  at: string;
}

/** A save, or (points null) the removal of a decision: the check is ungraded again. */
export interface DecisionChange {
  submission: string;
  check: string;
  points: number | null;
  items: string[];
  remark: string;
  comment: string;
  ta: string;
  /** The version the TA saw (versionOf), '' for none: a save over anything else is refused. */
  base: string;
}

/** A save refused because another TA holds the question or changed the decision. */
export class ConflictError extends Error {}

const HEADER = ['submission', 'check', 'points', 'comment', 'items', 'remark', 'ta', 'at'] as const;
export const CLAIM_TTL_MS = 90_000;
export const CLAIM_RENEW_MS = 30_000;
/** A lock older than this is a leftover of a killed process (a save holds it for milliseconds). */
const STALE_LOCK_MS = 15_000;
const LOCK_WAIT_MS = 10_000;

export const versionOf = (d: Decision | undefined): string => (d ? `${d.ta}@${d.at}` : '');
export const keyOf = (submission: string, check: string): string => `${submission}\0${check}`;

function field(value: string): string {
  return /[",\n\r]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function decisionsCsv(decisions: Iterable<Decision>): string {
  const rows = [[...HEADER], ...[...decisions].map((d) => [d.submission, d.check, String(d.points), d.comment, d.items.join(';'), d.remark, d.ta, d.at])];
  return rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

/**
 * The decisions of a manual CSV by submission and check; a missing file has none. A CSV
 * written by hand (submission,check,points,comment) is read too: its comment is the remark.
 */
export async function readDecisions(file: string): Promise<Map<string, Decision>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true });
  } catch (error) {
    throw new Error(`${file}: not a readable CSV (${(error as Error).message})`);
  }
  const header = rows[0]?.map((h) => h.trim().toLowerCase()) ?? [];
  if (!['submission', 'check', 'points'].every((h) => header.includes(h))) {
    throw new Error(`${file} line 1: expected the header ${HEADER.join(',')}; found ${rows[0]?.join(',') ?? 'nothing'}`);
  }
  const cell = (r: string[], name: string) => (header.includes(name) ? (r[header.indexOf(name)] ?? '') : undefined);
  const decisions = new Map<string, Decision>();
  rows.slice(1).forEach((r, i) => {
    const points = Number(cell(r, 'points'));
    if (!Number.isFinite(points) || cell(r, 'points')!.trim() === '') throw new Error(`${file} line ${i + 2}: points "${cell(r, 'points')}" is not a number`);
    const comment = cell(r, 'comment') ?? '';
    const d: Decision = {
      submission: cell(r, 'submission')!.trim(), check: cell(r, 'check')!.trim(), points, comment,
      items: (cell(r, 'items') ?? '').split(';').filter(Boolean), remark: cell(r, 'remark') ?? comment,
      ta: cell(r, 'ta') ?? '', at: cell(r, 'at') ?? '',
    };
    decisions.set(keyOf(d.submission, d.check), d);
  });
  return decisions;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs `f` holding `<file>.lock` (created exclusively); a lock left by a dead process is taken over. */
export async function withLock<T>(file: string, f: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  const started = Date.now();
  for (;;) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readFile(lock, 'utf8').then((t) => JSON.parse(t) as { pid: number; host: string }).catch(() => undefined);
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs).catch(() => 0);
      const dead = holder && holder.host === hostname() && !alive(holder.pid);
      if (dead || age > STALE_LOCK_MS) await rm(lock, { force: true });
      else if (Date.now() - started > LOCK_WAIT_MS) throw new Error(`${lock}: held by process ${holder?.pid ?? '?'} for ${Math.round(age / 1000)} s; remove it if no hw2 review is running`);
      else await sleep(5 + Math.random() * 20);
    }
  }
  try {
    return await f();
  } finally {
    await rm(lock, { force: true });
  }
}

export interface Claim {
  ta: string;
  session: string;
  since: string;
  /** Last renewal, ISO. */
  at: string;
}

const claimsFile = (file: string) => `${file}.claims.json`;

async function readClaims(file: string): Promise<Record<string, Claim>> {
  try {
    return JSON.parse(await readFile(claimsFile(file), 'utf8')) as Record<string, Claim>;
  } catch {
    return {};
  }
}

/** The claims still fresh, by check: who grades what now (the overview shows them). */
export async function activeClaims(file: string, now = Date.now()): Promise<Record<string, Claim>> {
  return Object.fromEntries(Object.entries(await readClaims(file)).filter(([, c]) => now - Date.parse(c.at) < CLAIM_TTL_MS));
}

/** The claim of another TA on `check` that is still fresh, if any. */
function rival(claims: Record<string, Claim>, check: string, ta: string, now: number): Claim | undefined {
  const c = Object.hasOwn(claims, check) ? claims[check] : undefined;
  return c && c.ta !== ta && now - Date.parse(c.at) < CLAIM_TTL_MS ? c : undefined;
}

const clock = (iso: string) => iso.slice(11, 19);

function rivalMessage(check: string, c: Claim): string {
  return `${check} is being graded by ${c.ta} (since ${clock(c.since)} UTC, last seen ${clock(c.at)} UTC): two TAs on one question would overwrite each other's decisions. Pick another question, or wait until ${c.ta} leaves it (a claim lapses ${CLAIM_TTL_MS / 1000} s after their page closes).`;
}

/** Takes (or renews) `ta`'s claim on `check` for this page `session`; another TA's fresh claim refuses it. */
export async function claim(file: string, check: string, ta: string, session: string, now = Date.now()): Promise<void> {
  await withLock(file, async () => {
    const claims = await readClaims(file);
    const other = rival(claims, check, ta, now);
    if (other) throw new ConflictError(rivalMessage(check, other));
    const mine = claims[check]?.ta === ta ? claims[check] : undefined;
    claims[check] = { ta, session, since: mine?.since ?? new Date(now).toISOString(), at: new Date(now).toISOString() };
    await writeAtomic(claimsFile(file), `${JSON.stringify(claims, null, 2)}\n`);
  });
}

/** Gives up `ta`'s claim on `check` (the page left it, or the server stops). */
export async function release(file: string, check: string, ta: string): Promise<void> {
  await withLock(file, async () => {
    const claims = await readClaims(file);
    if (claims[check]?.ta !== ta) return;
    delete claims[check];
    await writeAtomic(claimsFile(file), `${JSON.stringify(claims, null, 2)}\n`);
  });
}

/**
 * Saves one decision (or removes it, points null) and returns it: refused, with a message
 * naming the other TA, when another TA holds the question or saved this decision since `base`.
 */
export async function saveDecision(file: string, change: DecisionChange, now = Date.now()): Promise<Decision | undefined> {
  return withLock(file, async () => {
    const other = rival(await readClaims(file), change.check, change.ta, now);
    if (other) throw new ConflictError(`not saved: ${rivalMessage(change.check, other)}`);
    const decisions = await readDecisions(file);
    const key = keyOf(change.submission, change.check);
    const current = decisions.get(key);
    if (versionOf(current) !== change.base) {
      const what = current ? `${current.ta || 'someone'} saved ${current.points} points at ${clock(current.at) || '?'} UTC` : `${change.base.split('@')[0]}'s decision was removed`;
      throw new ConflictError(`not saved: ${change.check} of ${change.submission} changed after you opened it (${what}). Reload to see it.`);
    }
    let saved: Decision | undefined;
    if (change.points === null) decisions.delete(key);
    else {
      // Strictly later than the version it replaces, so that two saves within a millisecond stay two versions.
      const at = new Date(Math.max(now, current ? Date.parse(current.at) + 1 || 0 : 0)).toISOString();
      saved = { submission: change.submission, check: change.check, points: change.points, comment: change.comment, items: change.items, remark: change.remark, ta: change.ta, at };
      decisions.set(key, saved);
    }
    await writeAtomic(file, decisionsCsv(decisions.values()));
    return saved;
  });
}
