/**
 * The decisions file: the --manual CSV the harness reads, written whole under a lock. Two TAs
 * are two real processes saving at once; a conflict is refused with the other TA's name.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseManualCsv } from '../../src/engine/manual.ts';
import { claim, ConflictError, readDecisions, release, saveDecision, versionOf, withLock, type DecisionChange } from '../../src/review/store.ts';

const exec = promisify(execFile);
const fresh = () => join(mkdtempSync(join(tmpdir(), 'hw2-store-')), 'manual.csv');
const change = (over: Partial<DecisionChange>): DecisionChange => ({
  submission: 'pair-a', check: 'q1.proof', points: 5, items: [], remark: '', comment: '', ta: 'alice', base: '', ...over,
});

describe('the decisions file', () => {
  it('is a --manual CSV the harness reads: points and comment, commas, quotes and newlines intact', async () => {
    const file = fresh();
    const comment = '−2 missing the ½ in E; says "hence", then\na second line, with commas';
    await saveDecision(file, change({ points: 4, items: ['i1'], remark: 'then\na second line', comment }));
    await saveDecision(file, change({ submission: 'pair-b', check: 'q4.proof', points: 0, comment: '-1 starts with a minus' }));
    const entries = parseManualCsv(readFileSync(file, 'utf8'), file);
    expect(entries.map(({ submission, check, points, comment: c }) => ({ submission, check, points, comment: c }))).toEqual([
      { submission: 'pair-a', check: 'q1.proof', points: 4, comment },
      { submission: 'pair-b', check: 'q4.proof', points: 0, comment: '-1 starts with a minus' },
    ]);
    const read = await readDecisions(file);
    expect(read.get('pair-a\0q1.proof')).toMatchObject({ items: ['i1'], remark: 'then\na second line', ta: 'alice' });
    // Written through a temporary file and a rename: nothing else is left beside it.
    expect(readdirSync(join(file, '..')).sort()).toEqual(['manual.csv']);
  });

  it('reads a CSV written by hand (submission,check,points,comment): the comment is the remark', async () => {
    const file = fresh();
    writeFileSync(file, 'submission,check,points,comment\npair-a,q1.proof,3,"short, but right"\n');
    const d = (await readDecisions(file)).get('pair-a\0q1.proof')!;
    expect(d).toMatchObject({ points: 3, remark: 'short, but right', items: [], ta: '' });
    // A save over a hand-written row names it by its (empty) version, and replaces it.
    await saveDecision(file, change({ points: 6, base: versionOf(d) }));
    expect((await readDecisions(file)).get('pair-a\0q1.proof')!.points).toBe(6);
  });

  it('removes a decision when points are null (ungraded again)', async () => {
    const file = fresh();
    const saved = await saveDecision(file, change({}));
    await saveDecision(file, change({ points: null, base: versionOf(saved) }));
    expect((await readDecisions(file)).size).toBe(0);
  });

  it('refuses a save over a decision another TA changed since, naming them, and keeps theirs', async () => {
    const file = fresh();
    const first = await saveDecision(file, change({ points: 2 }));
    await saveDecision(file, change({ points: 3, ta: 'bob', base: versionOf(first) }));
    // alice still has the version she opened: hers is refused.
    const refused = saveDecision(file, change({ points: 6, base: versionOf(first) }));
    await expect(refused).rejects.toBeInstanceOf(ConflictError);
    await expect(refused).rejects.toThrow(/bob saved 3 points/);
    expect((await readDecisions(file)).get('pair-a\0q1.proof')).toMatchObject({ points: 3, ta: 'bob' });
  });

  it('refuses a second TA on a question another holds, names the holder, and lets them in once it is released or lapsed', async () => {
    const file = fresh();
    const now = Date.parse('2026-01-01T10:00:00Z');
    await claim(file, 'q1.proof', 'alice', 's1', now);
    await expect(claim(file, 'q1.proof', 'bob', 's2', now + 1000)).rejects.toThrow(/q1\.proof is being graded by alice/);
    await expect(saveDecision(file, change({ ta: 'bob' }), now + 1000)).rejects.toThrow(/not saved: q1\.proof is being graded by alice/);
    // The same TA in a second tab (or after a reload) takes the claim over; another question is free.
    await claim(file, 'q1.proof', 'alice', 's3', now + 2000);
    await claim(file, 'q4.proof', 'bob', 's2', now + 2000);
    // A claim not renewed for CLAIM_TTL_MS (90 s) lapses: a page closed without releasing.
    await claim(file, 'q1.proof', 'bob', 's2', now + 2000 + 91_000);
    await release(file, 'q1.proof', 'bob');
    await claim(file, 'q1.proof', 'alice', 's1', now + 2000 + 92_000);
  });

  it('takes over a lock left by a process that died', async () => {
    const file = fresh();
    // A pid that exited: the child's, after it ended.
    const { stdout } = await exec(process.execPath, ['-e', 'console.log(process.pid)']);
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: Number(stdout), host: (await import('node:os')).hostname(), at: new Date().toISOString() }));
    expect(await withLock(file, async () => 'in')).toBe('in');
  });
});

describe('two TAs at once', () => {
  it('keeps every decision of two processes saving 25 each, on different questions, at the same time', async () => {
    const file = fresh();
    const script = join(file, '..', 'ta.mts');
    // Each process says it is ready and waits for the other, so that their saves interleave.
    writeFileSync(script, `import { existsSync, writeFileSync } from 'node:fs';
import { saveDecision } from ${JSON.stringify(new URL('../../src/review/store.ts', import.meta.url).pathname)};
const [file, ta, check] = process.argv.slice(2);
writeFileSync(file + '.ready-' + ta, '');
while (!existsSync(file + '.ready-alice') || !existsSync(file + '.ready-bob')) await new Promise((r) => setTimeout(r, 5));
for (let i = 0; i < 25; i++) await saveDecision(file, { submission: 'pair-' + i, check, points: i % 3, items: [], remark: '', comment: ta + ' ' + i, ta, base: '' });
`);
    const tsx = new URL('../../node_modules/tsx/dist/esm/index.mjs', import.meta.url).pathname;
    await Promise.all([['alice', 'q1.proof'], ['bob', 'q4.proof']].map(([ta, check]) => exec(process.execPath, ['--import', tsx, script, file, ta!, check!])));
    const entries = parseManualCsv(readFileSync(file, 'utf8'), file);
    expect(entries).toHaveLength(50);
    for (const [ta, check] of [['alice', 'q1.proof'], ['bob', 'q4.proof']]) {
      for (let i = 0; i < 25; i++) expect(entries.find((e) => e.submission === `pair-${i}` && e.check === check)?.comment).toBe(`${ta} ${i}`);
    }
  }, 30_000);

  it('loses nothing but the decision in flight when a saving process is killed (SIGKILL) at any moment', async () => {
    const file = fresh();
    const script = join(file, '..', 'saver.mts');
    writeFileSync(script, `import { saveDecision } from ${JSON.stringify(new URL('../../src/review/store.ts', import.meta.url).pathname)};
for (let i = 0; ; i++) { await saveDecision(process.argv[2], { submission: 'pair-' + i, check: 'q1.proof', points: 1, items: [], remark: '', comment: 'x'.repeat(2000), ta: 'alice', base: '' }); console.log(i); }
`);
    const tsx = new URL('../../node_modules/tsx/dist/esm/index.mjs', import.meta.url).pathname;
    const child = spawn(process.execPath, ['--import', tsx, script, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let said = -1;
    // Killed once it has said it saved 40: mid-write of the 41st or 42nd, wherever it happens to be.
    await new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => {
      said = Math.max(said, ...chunk.toString().trim().split('\n').map(Number));
      if (said >= 40) {
        child.kill('SIGKILL');
        resolve();
      }
    }));
    await new Promise((resolve) => child.on('exit', resolve));
    // Every decision it said it saved is there, whole; the file parses.
    const decisions = await readDecisions(file);
    for (let i = 0; i <= 40; i++) expect(decisions.get(`pair-${i}\0q1.proof`)?.comment, `pair-${i}`).toBe('x'.repeat(2000));
    // Its lock, if it held one, is taken over: the next TA saves at once.
    await saveDecision(file, change({ submission: 'after' }));
    expect((await readDecisions(file)).has('after\0q1.proof')).toBe(true);
  }, 30_000);
});
