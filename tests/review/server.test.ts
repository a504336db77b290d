/**
 * hw2 review's server over real results (graded here, in process, from hw2.json-only
 * submissions): the token and the Host guard every path, a decision is saved into the
 * --manual CSV and re-renders that submission's report, rubric items go to the rubric's
 * manual section, and a second TA on a held question is refused.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY } from '../../checks/index.ts';
import { gradePath } from '../../src/engine/pipeline.ts';
import { renderReport } from '../../src/report/render.ts';
import { DEFAULT_RUBRIC_PATH } from '../../src/rubric/rubric.ts';
import { startReview, type ReviewServer } from '../../src/review/server.ts';
import { RUBRIC } from '../helpers.ts';
import { submissionsFolder } from './fixture.ts';

let out: string;
let rubricFile: string;
let alice: ReviewServer;
let bob: ReviewServer;

beforeAll(async () => {
  const subs = submissionsFolder();
  out = mkdtempSync(join(tmpdir(), 'hw2-review-out-'));
  for (const id of readdirSync(subs)) {
    const { result } = await gradePath(join(subs, id), REGISTRY, RUBRIC, { mode: 'grade', seed: 211 });
    mkdirSync(join(out, id));
    writeFileSync(join(out, id, 'report.html'), renderReport(result));
    writeFileSync(join(out, id, 'result.json'), JSON.stringify(result));
  }
  rubricFile = join(out, 'rubric.json');
  copyFileSync(DEFAULT_RUBRIC_PATH, rubricFile);
  const manualFile = join(out, 'manual.csv');
  alice = await startReview({ out, manualFile, rubricFile, ta: 'alice' });
  bob = await startReview({ out, manualFile, rubricFile, ta: 'bob' });
}, 60_000);

afterAll(async () => {
  await alice?.close();
  await bob?.close();
});

/** One request with the headers we choose (fetch would not let a test set Host). */
function call(url: string, options: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.end(JSON.stringify(options.body));
    else req.end();
  });
}
const post = (server: ReviewServer, action: string, body: unknown, headers: Record<string, string> = {}) =>
  call(`${server.url}api/${action}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('who may read the pairs\' work', () => {
  it('refuses a request without the token, or with another, with 403 and nothing of the work', async () => {
    const origin = `http://127.0.0.1:${alice.port}`;
    for (const path of ['/', '/q/q1.proof', `/${'x'.repeat(alice.token.length)}/`, `/${alice.token.slice(0, -1)}/`, '/api/decision']) {
      const r = await call(origin + path);
      expect(r.status, path).toBe(403);
      expect(r.text).not.toContain('pair-');
    }
    expect((await call(alice.url)).status).toBe(200);
    // A question id that is not valid percent-encoding is no question: 404, not a crash (500).
    expect((await call(`${alice.url}q/%E0%A4%A`)).status).toBe(404);
  });

  it('refuses a request whose Host is not 127.0.0.1 or localhost (a page reaching us through its own name)', async () => {
    expect((await call(alice.url, { headers: { host: `evil.example:${alice.port}` } })).status).toBe(403);
    expect((await call(alice.url, { headers: { host: `localhost:${alice.port}` } })).status).toBe(200);
  });

  it('refuses a save from another origin, or one that is not JSON (a form posted by another page)', async () => {
    const body = { check: 'q1.proof', submission: 'pair-a', points: 1, items: [], remark: '', base: '', session: 's' };
    expect((await post(alice, 'decision', body, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await call(`${alice.url}api/decision`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body })).status).toBe(415);
  });

  it('serves pages whose CSP lets in only the script with this response\'s nonce', async () => {
    const r = await call(`${alice.url}q/q1.proof`);
    const csp = String(r.headers['content-security-policy']);
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)![1]!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    const doc = parse(r.text);
    const scripts = doc.querySelectorAll('script');
    expect(scripts.map((s) => s.getAttribute('type') ?? s.getAttribute('nonce'))).toEqual(['application/json', nonce]);
  });
});

describe('the by-question page', () => {
  it('renders every pair\'s answer, LaTeX typeset and HTML as text', async () => {
    const doc = parse((await call(`${alice.url}q/q1.proof`)).text);
    const answers = Object.fromEntries(doc.querySelectorAll('section.submission').map((s) => [s.getAttribute('data-submission'), s.querySelector('.answer-box')!]));
    expect(Object.keys(answers).sort()).toEqual(['pair-a', 'pair-b', 'pair-c']);
    // Three formulas in pair-a's answer: $v = w - w_t$, the display, and $\mathbb{E}[xx^\top] = I$.
    expect(answers['pair-a']!.querySelectorAll('.katex').length).toBe(3);
    expect(answers['pair-c']!.querySelectorAll('.katex-display').length).toBe(1);
    expect(answers['pair-b']!.text).toContain('<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3))');
    expect(answers['pair-b']!.querySelectorAll('script, img, a, [onerror]')).toHaveLength(0);
    // The rubric's reference notes, beside the answers.
    expect(doc.querySelector('.notes')!.text).toContain('Full marks need');
  });
});

describe('a decision', () => {
  it('is saved into the --manual CSV at once, and re-renders that pair\'s report and result.json with the points', async () => {
    const items = [{ id: 'half', label: 'missing the ½ in E', points: -2 }];
    const saved = await post(alice, 'items', { check: 'q1.proof', items });
    expect(saved.status).toBe(200);
    const rubric = JSON.parse(readFileSync(rubricFile, 'utf8'));
    expect(rubric.manual['q1.proof'].items).toEqual(items);
    // Everything else of the rubric is as it was.
    const { manual: _m, ...rest } = rubric;
    const { manual: _d, ...defaults } = JSON.parse(readFileSync(DEFAULT_RUBRIC_PATH, 'utf8'));
    expect(rest).toEqual(defaults);

    const r = await post(alice, 'decision', { check: 'q1.proof', submission: 'pair-a', points: 4, items: ['half'], remark: 'clear otherwise', base: '', session: 's1' });
    expect(r.status, r.text).toBe(200);
    expect(readFileSync(join(out, 'manual.csv'), 'utf8')).toContain('pair-a,q1.proof,4,−2 missing the ½ in E; clear otherwise,half,clear otherwise,alice,');
    await alice.idle();
    const report = parse(readFileSync(join(out, 'pair-a', 'report.html'), 'utf8'));
    expect(report.querySelector('#check-q1\\.proof .ta, [data-check="q1.proof"] .ta')!.text).toBe('4 / 6 — −2 missing the ½ in E; clear otherwise');
    const result = JSON.parse(readFileSync(join(out, 'pair-a', 'result.json'), 'utf8'));
    expect(result.checks.find((c: { id: string }) => c.id === 'q1.proof').ta).toEqual({ points: 4, comment: '−2 missing the ½ in E; clear otherwise' });
  });

  it('refuses points outside 0..max and items the rubric does not define, naming what was expected', async () => {
    const base = { check: 'q1.proof', submission: 'pair-b', items: [], remark: '', base: '', session: 's1' };
    const over = await post(alice, 'decision', { ...base, points: 7 });
    expect([over.status, JSON.parse(over.text).error]).toEqual([400, 'points: expected a number from 0 to 6, or null to ungrade']);
    const item = await post(alice, 'decision', { ...base, points: 1, items: ['nope'] });
    expect(item.status).toBe(400);
    expect(JSON.parse(item.text).error).toContain('half');
  });

  it('refuses a second TA on a question the first holds, with the first one\'s name; another question is free', async () => {
    expect((await post(alice, 'claim', { check: 'q1.proof', session: 'a1' })).status).toBe(200);
    const refused = await post(bob, 'claim', { check: 'q1.proof', session: 'b1' });
    expect(refused.status).toBe(409);
    expect(JSON.parse(refused.text).error).toMatch(/^q1\.proof is being graded by alice/);
    const save = await post(bob, 'decision', { check: 'q1.proof', submission: 'pair-c', points: 6, items: [], remark: '', base: '', session: 'b1' });
    expect(save.status).toBe(409);
    expect((await post(bob, 'claim', { check: 'q4.proof', session: 'b1' })).status).toBe(200);
    expect((await post(bob, 'decision', { check: 'q4.proof', submission: 'pair-a', points: 3, items: [], remark: '', base: '', session: 'b1' })).status).toBe(200);
    // Both TAs' decisions are in the one file.
    const csv = readFileSync(join(out, 'manual.csv'), 'utf8');
    expect(csv).toContain('pair-a,q1.proof,4,');
    expect(csv).toContain('pair-a,q4.proof,3,');
  });

  it('re-renders every report and the run\'s files the folder has, on the overview\'s button', async () => {
    writeFileSync(join(out, 'summary.html'), 'stale');
    writeFileSync(join(out, 'pair-b', 'report.html'), 'stale');
    const r = await post(alice, 'render', {});
    expect(r.status, r.text).toBe(200);
    expect(JSON.parse(r.text), r.text).toEqual({ written: 3, faults: [] });
    expect(parse(readFileSync(join(out, 'summary.html'), 'utf8')).querySelector('title')!.text).toBe('HW2 class summary');
    expect(readFileSync(join(out, 'pair-b', 'report.html'), 'utf8')).toContain('<!doctype html>');
    // pair-a's report keeps both TAs' points: alice's q1.proof and bob's q4.proof.
    const report = parse(readFileSync(join(out, 'pair-a', 'report.html'), 'utf8'));
    expect(report.querySelectorAll('.ta').map((e) => e.text)).toEqual(['4 / 6 — −2 missing the ½ in E; clear otherwise', '3 / 3']);
  });

  it('carries an edited rubric item into the decisions that applied it: label, and points unless typed', async () => {
    const reply = await post(alice, 'items', { check: 'q1.proof', items: [{ id: 'half', label: 'the ½ in E is missing', points: -3 }] });
    expect(reply.status, reply.text).toBe(200);
    // pair-a had 4 = 6 − 2 from the item: now 6 − 3.
    expect(JSON.parse(reply.text).decisions['pair-a']).toMatchObject({ points: 3, items: ['half'], remark: 'clear otherwise' });
    expect(readFileSync(join(out, 'manual.csv'), 'utf8')).toContain('pair-a,q1.proof,3,−3 the ½ in E is missing; clear otherwise,half,');
  });
});
