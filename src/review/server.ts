/**
 * `hw2 review`'s server: Node's own http, bound to 127.0.0.1, every path under a random token
 * (anything else, or a Host that is not ours — DNS rebinding — gets 403). It reads the
 * results of a `hw2 grade` output folder, serves the overview and by-question pages
 * (src/report/review-page.ts), and saves each decision at once into the manual CSV
 * (store.ts) and each rubric item into the rubric's manual section (rubric-items.ts). After a
 * save, that submission's report files (those the folder already has: report.html,
 * report.pdf, gradescope-results.json) and result.json are re-rendered with the TA's points,
 * in the background, as `hw2 grade --manual` would write them.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseResult } from '../core/result-schema.ts';
import type { CheckResult, SubmissionResult } from '../core/vocabulary.ts';
import { applyManual, type ManualEntry } from '../engine/manual.ts';
import { Reporters, REPORTERS, type ReporterName } from '../report/reporters.ts';
import { overviewPage, questionPage, type ReviewDecision, type ReviewItem } from '../report/review-page.ts';
import type { ManualSection } from '../rubric/rubric.ts';
import { writeAtomic } from '../util/atomic.ts';
import { readManualSection, saveItems } from './rubric-items.ts';
import { activeClaims, claim, CLAIM_RENEW_MS, ConflictError, decisionsCsv, keyOf, readDecisions, release, saveDecision, versionOf, type Decision } from './store.ts';

export interface ReviewOptions {
  /** A `hw2 grade` output folder: `<out>/<id>/result.json`. */
  out: string;
  /** The manual CSV the decisions go to (`hw2 grade --manual` reads it). */
  manualFile: string;
  /** The rubric whose manual section holds the notes and rubric items. */
  rubricFile: string;
  ta: string;
  /** 0 or undefined: a free port. */
  port?: number;
  chromium?: string;
  log?(line: string): void;
}

export interface ReviewServer {
  url: string;
  port: number;
  token: string;
  /** Resolves when every re-render asked for so far is written. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 256 * 1024;
const MAX_REMARK_CHARS = 2000;

/** A TA's decision may be given where the check is manual, or an automatic check was left to a TA. */
const byTa = (c: CheckResult) => c.kind === 'manual' || c.status === 'manual';

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function loadResults(out: string): Promise<{ results: SubmissionResult[]; warnings: string[] }> {
  const entries = await readdir(out, { withFileTypes: true }).catch(() => {
    throw new Error(`${out}: cannot read the folder (expected the --out folder of hw2 grade)`);
  });
  const results: SubmissionResult[] = [];
  const warnings: string[] = [];
  for (const e of entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const file = join(out, e.name, 'result.json');
    if (!existsSync(file)) continue;
    try {
      const parsed = parseResult(JSON.parse(await readFile(file, 'utf8')));
      if (parsed.ok) results.push(parsed.result);
      else warnings.push(`${file}: left out (${parsed.message})`);
    } catch (error) {
      warnings.push(`${file}: left out (${(error as Error).message})`);
    }
  }
  if (!results.length) throw new Error(`${out}: no result.json under it (run hw2 grade --out ${out} first)`);
  return { results, warnings };
}

function itemLabel(item: ReviewItem): string {
  return `${item.points < 0 ? '−' : '+'}${Math.abs(item.points)} ${item.label}`;
}

/** What a pair reads: the labels of the items applied, in the rubric's order, then the TA's words. */
function commentOf(defined: readonly ReviewItem[], applied: readonly string[], remark: string): string {
  return [...defined.filter((d) => applied.includes(d.id)).map(itemLabel), ...(remark ? [remark] : [])].join('; ');
}

/** Points that follow from items: negative items take off full marks, a list of only positive ones adds to zero (as the page computes them). */
export function fromItems(defined: readonly ReviewItem[], applied: readonly string[], max: number): number {
  const start = defined.some((i) => i.points < 0) ? max : 0;
  return Math.min(max, Math.max(0, applied.reduce((sum, id) => sum + (defined.find((i) => i.id === id)?.points ?? 0), start)));
}

const toPage = (d: Decision): ReviewDecision => ({ points: d.points, items: d.items, remark: d.remark, ta: d.ta, at: d.at, version: versionOf(d) });

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startReview(options: ReviewOptions): Promise<ReviewServer> {
  const log = options.log ?? (() => {});
  const { results, warnings } = await loadResults(options.out);
  const byId = new Map(results.map((r) => [r.submission.id, r]));
  let manual: ManualSection = await readManualSection(options.rubricFile);

  // The manual checks, in report order, with their title and points.
  const checks = new Map<string, { id: string; title: string; points: number }>();
  for (const r of results) for (const c of r.checks) if (byTa(c) && !checks.has(c.id)) checks.set(c.id, { id: c.id, title: c.title, points: c.points });
  const holding = (check: string) => results.filter((r) => r.checks.some((c) => c.id === check && byTa(c)));
  const pointsOf = (submission: string, check: string) => byId.get(submission)?.checks.find((c) => c.id === check && byTa(c))?.points;

  // TA points already merged into the results (an earlier --manual) seed a new decisions file.
  if (!existsSync(options.manualFile)) {
    const seeded: Decision[] = results.flatMap((r) => r.checks.filter((c) => byTa(c) && c.ta).map((c) => ({
      submission: r.submission.id, check: c.id, points: c.ta!.points, comment: c.ta!.comment, items: [], remark: c.ta!.comment, ta: 'earlier --manual', at: new Date(0).toISOString(),
    })));
    if (seeded.length) await writeAtomic(options.manualFile, decisionsCsv(seeded));
  }
  await readDecisions(options.manualFile); // a broken file is named now, not at the first save

  // Re-rendering: the files the folder already has, one submission at a time, in the background.
  const present = (names: ReporterName[], dir: string) => names.filter((n) => existsSync(join(dir, REPORTERS[n].file)));
  const firstDir = join(options.out, results[0]!.submission.id);
  const context = { jobs: 1, allowIncomplete: false, ...(options.chromium ? { chromium: options.chromium } : {}), warn: log };
  const submissionReporters = await Reporters.create(present(['gradescope', 'html', 'pdf'], firstDir), context);
  const pending = new Set<string>();
  let running: Promise<void> | undefined;

  async function merged(id: string, decisions: Map<string, Decision>): Promise<SubmissionResult> {
    const entries: ManualEntry[] = [...decisions.values()].filter((d) => d.submission === id && pointsOf(id, d.check) !== undefined)
      .map((d, line) => ({ submission: d.submission, check: d.check, points: Math.min(d.points, pointsOf(id, d.check)!), comment: d.comment, line }));
    return applyManual(byId.get(id)!, entries);
  }

  async function renderOne(id: string, decisions: Map<string, Decision>, reporters: Reporters): Promise<SubmissionResult> {
    const result = await merged(id, decisions);
    const dir = join(options.out, id);
    await reporters.submission(result, dir);
    try {
      await writeAtomic(join(dir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
    } catch (error) {
      reporters.faults.push(`${id} result.json: ${(error as Error).message}`);
    }
    return result;
  }

  function kick(): void {
    if (running || !pending.size) return;
    running = (async () => {
      while (pending.size) {
        const id = pending.values().next().value!;
        pending.delete(id);
        const before = submissionReporters.faults.length;
        await renderOne(id, await readDecisions(options.manualFile), submissionReporters).catch((error) => submissionReporters.faults.push(`${id}: ${(error as Error).message}`));
        for (const f of submissionReporters.faults.slice(before)) log(`could not write ${f}`);
      }
    })().finally(() => {
      running = undefined;
      kick();
    });
  }
  const schedule = (id: string) => {
    pending.add(id);
    kick();
  };

  async function renderAll(): Promise<{ written: number; faults: string[] }> {
    // Alone: the background renders wait for it (kick() starts nothing while `running` is set).
    while (running) await running;
    let done!: () => void;
    running = new Promise<void>((resolve) => (done = resolve));
    try {
      return await renderEverything();
    } finally {
      running = undefined;
      done();
      kick();
    }
  }

  async function renderEverything(): Promise<{ written: number; faults: string[] }> {
    const decisions = await readDecisions(options.manualFile);
    const names = [...present(['gradescope', 'html', 'pdf'], firstDir), ...present(['summary', 'moodle', 'scores', 'junit'], options.out)];
    const reporters = await Reporters.create(names, context);
    try {
      const all: SubmissionResult[] = [];
      for (const r of results) all.push(await renderOne(r.submission.id, decisions, reporters));
      await reporters.run(all, options.out);
    } finally {
      await reporters.close();
    }
    return { written: results.length, faults: reporters.faults };
  }

  const token = randomBytes(24).toString('base64url');
  const claimed = new Set<string>();

  async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) throw new HttpError(415, 'expected a JSON body (content-type: application/json)');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) throw new HttpError(413, `a request body is at most ${MAX_BODY_BYTES} bytes`);
      chunks.push(chunk as Buffer);
    }
    let value: unknown;
    try {
      value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw new HttpError(400, 'the body is not JSON');
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new HttpError(400, 'expected a JSON object');
    return value as Record<string, unknown>;
  }

  const str = (v: unknown, name: string, max: number): string => {
    if (typeof v !== 'string' || v.length > max) throw new HttpError(400, `${name}: expected a string of at most ${max} characters`);
    return v;
  };
  const knownCheck = (v: unknown) => {
    const id = str(v, 'check', 100);
    const check = checks.get(id);
    if (!check) throw new HttpError(404, `check "${id}": not a manual check of these results`);
    return check;
  };

  async function api(action: string, input: Record<string, unknown>): Promise<unknown> {
    switch (action) {
      case 'decision': {
        const check = knownCheck(input.check);
        const submission = str(input.submission, 'submission', 300);
        const max = pointsOf(submission, check.id);
        if (max === undefined) throw new HttpError(404, `submission "${submission}" has no manual check ${check.id}`);
        const points = input.points;
        if (points !== null && (typeof points !== 'number' || !Number.isFinite(points) || points < 0 || points > max)) throw new HttpError(400, `points: expected a number from 0 to ${max}, or null to ungrade`);
        const defined = manual[check.id]?.items ?? [];
        if (!Array.isArray(input.items) || input.items.length > 9 || input.items.some((i) => typeof i !== 'string' || !defined.some((d) => d.id === i))) {
          throw new HttpError(400, `items: expected ids of ${check.id}'s rubric items (${defined.map((d) => d.id).join(', ') || 'none defined'})`);
        }
        const items = [...new Set(input.items as string[])];
        const remark = str(input.remark ?? '', 'remark', MAX_REMARK_CHARS).trim();
        const comment = commentOf(defined, items, remark);
        const saved = await saveDecision(options.manualFile, { submission, check: check.id, points: points as number | null, items, remark, comment, ta: options.ta, base: str(input.base ?? '', 'base', 400) });
        schedule(submission);
        return { decision: saved ? toPage(saved) : null };
      }
      case 'items': {
        const check = knownCheck(input.check);
        const items = input.items;
        if (!Array.isArray(items) || items.some((i) => !i || typeof i !== 'object' || typeof i.points !== 'number' || Math.abs(i.points) > check.points)) {
          throw new HttpError(400, `items: expected up to 9 items { id, label, points } with points from −${check.points} to ${check.points}`);
        }
        const before = manual[check.id]?.items ?? [];
        try {
          manual = await saveItems(options.rubricFile, check.id, items as ReviewItem[]);
        } catch (error) {
          throw new HttpError(400, (error as Error).message);
        }
        const after = manual[check.id]?.items ?? [];
        // Decisions that applied an item follow it: its new label in their comment, and its new
        // points unless the TA typed theirs; a deleted item leaves them.
        const updated: Record<string, ReviewDecision> = {};
        for (const d of (await readDecisions(options.manualFile)).values()) {
          if (d.check !== check.id || !d.items.length) continue;
          const max = pointsOf(d.submission, d.check);
          if (max === undefined) continue;
          const kept = d.items.filter((id) => after.some((i) => i.id === id));
          const typed = d.points !== fromItems(before, d.items, max);
          const next = { points: typed ? d.points : fromItems(after, kept, max), items: kept, comment: commentOf(after, kept, d.remark) };
          if (next.points === d.points && next.comment === d.comment && kept.length === d.items.length) continue;
          try {
            const saved = await saveDecision(options.manualFile, { ...d, ...next, ta: options.ta, base: versionOf(d) });
            if (saved) updated[d.submission] = toPage(saved);
            schedule(d.submission);
          } catch (error) {
            if (!(error instanceof ConflictError)) throw error;
          }
        }
        return { items: after, decisions: updated };
      }
      case 'claim': {
        const check = knownCheck(input.check);
        await claim(options.manualFile, check.id, options.ta, str(input.session, 'session', 100));
        claimed.add(check.id);
        return {};
      }
      case 'release': {
        const check = knownCheck(input.check);
        await release(options.manualFile, check.id, options.ta);
        claimed.delete(check.id);
        return {};
      }
      case 'render':
        return renderAll();
      default:
        throw new HttpError(404, `no such action: ${action}`);
    }
  }

  async function page(rest: string[], nonce: string): Promise<string> {
    const decisions = await readDecisions(options.manualFile);
    if (rest.length === 0 || (rest.length === 1 && rest[0] === '')) {
      const claims = await activeClaims(options.manualFile);
      const rows = [...checks.values()].map((c) => {
        const mine = holding(c.id).map((r) => decisions.get(keyOf(r.submission.id, c.id))).filter((d): d is Decision => !!d);
        const holder = Object.hasOwn(claims, c.id) && claims[c.id]!.ta !== options.ta ? claims[c.id]!.ta : undefined;
        return {
          ...c, graded: mine.length, total: holding(c.id).length,
          mean: mine.length ? (mine.reduce((a, d) => a + d.points, 0) / mine.length).toFixed(2) : '–',
          tas: [...new Set(mine.map((d) => d.ta).filter(Boolean))], ...(holder ? { holder } : {}),
        };
      });
      return overviewPage({ rows, ta: options.ta, nonce, out: options.out, manualFile: options.manualFile, rubricFile: options.rubricFile, warnings });
    }
    if (rest.length === 2 && rest[0] === 'q') {
      const check = checks.get(safeDecode(rest[1]!));
      if (!check) throw new HttpError(404, `no manual check "${rest[1]}"`);
      const entries = holding(check.id).map((result) => {
        const d = decisions.get(keyOf(result.submission.id, check.id));
        return { result, ...(d ? { decision: toPage(d) } : {}) };
      });
      const section = manual[check.id];
      return questionPage({
        check, entries, items: section?.items ?? [], ...(section?.notes ? { notes: section.notes } : {}),
        ta: options.ta, nonce, manualFile: options.manualFile, claimRenewMs: CLAIM_RENEW_MS,
      });
    }
    throw new HttpError(404, 'no such page');
  }

  const server = createServer(async (req, res: ServerResponse) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Frame-Options', 'DENY');
    const send = (status: number, type: string, text: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': `${type}; charset=utf-8`, ...headers });
      res.end(text);
    };
    const port = (server.address() as AddressInfo).port;
    const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const [, given = '', ...rest] = url.pathname.split('/');
    // Not ours: a page of another site reaching 127.0.0.1 through a name it controls, or no token.
    if (!hosts.includes(req.headers.host ?? '') || !sameToken(given, token)) {
      send(403, 'text/plain', 'Forbidden: open the address hw2 review printed, with its token.\n');
      return;
    }
    try {
      if (req.method === 'GET' && rest[0] !== 'api') {
        const nonce = randomBytes(16).toString('base64');
        const html = await page(rest, nonce);
        send(200, 'text/html', html, {
          'Content-Security-Policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; font-src data:; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
        });
        return;
      }
      if (req.method === 'POST' && rest[0] === 'api' && rest.length === 2) {
        const origin = req.headers.origin;
        if (origin !== undefined && !hosts.map((h) => `http://${h}`).includes(origin)) throw new HttpError(403, 'a request from another origin');
        const reply = await api(rest[1]!, await body(req));
        send(200, 'application/json', JSON.stringify(reply));
        return;
      }
      throw new HttpError(req.method === 'GET' || req.method === 'POST' ? 404 : 405, 'no such page or action');
    } catch (error) {
      const status = error instanceof HttpError ? error.status : error instanceof ConflictError ? 409 : 500;
      if (status === 500) log(`review: ${(error as Error).stack ?? String(error)}`);
      send(status, 'application/json', JSON.stringify({ error: (error as Error).message }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/${token}/`,
    port,
    token,
    async idle() {
      while (running) await running;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      while (running) await running;
      for (const check of claimed) await release(options.manualFile, check, options.ta).catch(() => {});
      await submissionReporters.close();
    },
  };
}

/** A path segment decoded, or itself when it is not valid percent-encoding (then no check has that id: 404, not 500). */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
