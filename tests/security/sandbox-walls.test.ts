/**
 * The sandbox's walls, attacked from inside with real child processes: signals at the
 * grader, its other children and esbuild's service; runtime features that write files
 * (trace events, heap snapshots, reports); sockets; values and frames the parent must not
 * trust. The first block holds wherever the tests run (its walls are the runner's seals and
 * the parent's checks); the second runs raw Node, without the permission model or seals,
 * inside bubblewrap, to show the OS wall holds by itself.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { chmod, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { encode, frame } from '../../src/sandbox/codec.mjs';
import { bubblewrapArgs, RUNNER, sandboxWall } from '../../src/sandbox/process.ts';
import { bundleSolution } from '../../src/sandbox/transpile.ts';
import { alive, descendants, started, submission } from './sandbox-helpers.ts';

const wall = sandboxWall();
const BUBBLEWRAP = wall.isolation.os === 'bubblewrap';
if (!BUBBLEWRAP) console.warn(`sandbox-walls: the bubblewrap tests are skipped: ${wall.missing}; install the Debian package bubblewrap to run them`);

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

async function open(source: string, files: Record<string, string> = {}) {
  const dir = await submission(source, files);
  const run = await started(dir);
  closers.push(() => run.session.close());
  return { dir, ...run };
}

const SIBLING = 'export function one() { return 1; }';

describe('walls that hold wherever the grader runs', () => {
  it('refuses signals before the pair\'s code runs; a crash is that call\'s error; the grader, a sibling session and esbuild live on', async () => {
    const sibling = await open(SIBLING);
    const { session, loaded, bundle } = await open(`
      export function killParent() { process.kill(process.ppid, 'SIGKILL'); return 'sent'; }
      export function killAll(pids: number[]) {
        return pids.map((pid) => { try { process.kill(pid, 'SIGKILL'); return 'killed'; } catch (e) { return (e as { code?: string }).code; } });
      }
      export function viaInternal() { return (process as unknown as { _kill(p: number, s: number): number })._kill(process.ppid, 9); }
      export function crash() { process.abort(); }
      export function one() { return 1; }`);
    expect(loaded).toMatchObject({ ok: true });
    expect(await session.call('killParent', [])).toEqual({ ok: false, error: { code: 'threw', message: 'Error: process.kill is not allowed in the grading sandbox' } });
    expect(await session.call('viaInternal', [])).toMatchObject({ ok: false, error: { code: 'threw', message: 'Error: process.kill is not allowed in the grading sandbox' } });
    // Everything below the grader but the attacker itself: esbuild's service, the sibling's child (and bubblewrap around it).
    const targets = [process.pid, ...descendants(process.pid).filter((d) => !d.cmd.includes(bundle)).map((d) => d.pid)];
    expect(descendants(process.pid).some((d) => /esbuild.*--service/.test(d.cmd))).toBe(true);
    const killed = await session.call('killAll', [targets]);
    expect(killed).toMatchObject({ ok: true, value: targets.map(() => 'ERR_SANDBOX_DENIED') });
    expect(await session.call('crash', [])).toMatchObject({ ok: false, error: { code: 'crashed', message: expect.stringMatching(/^the solution (was killed by SIGABRT|ended the process \(exit code 134\))/) } });
    expect(targets.filter((pid) => !alive(pid))).toEqual([]);
    expect(await sibling.session.call('one', [])).toMatchObject({ ok: true, value: 1 });
    expect(await session.call('one', [])).toMatchObject({ ok: true, value: 1 }); // a fresh child
    expect(await bundleSolution(await submission(SIBLING))).toMatchObject({ ok: true });
  });

  it('keeps bundling when esbuild\'s service is killed between two builds', async () => {
    await bundleSolution(await submission(SIBLING));
    const service = descendants(process.pid).find((d) => /esbuild.*--service/.test(d.cmd));
    expect(service, 'esbuild\'s service process').toBeDefined();
    process.kill(service!.pid, 'SIGKILL');
    // Dead (a zombie, or reaped) before the next build, so that build meets a dead service.
    const state = () => (existsSync(`/proc/${service!.pid}/stat`) ? readFileSync(`/proc/${service!.pid}/stat`, 'utf8').split(') ')[1]?.[0] : 'gone');
    for (let i = 0; i < 250 && !['Z', 'X', 'gone'].includes(state() ?? 'gone'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(await bundleSolution(await submission(SIBLING))).toMatchObject({ ok: true });
  });

  it('refuses every runtime feature that writes files, through default and named imports alike; nothing is written', async () => {
    const { dir, session, loaded } = await open(`
      import traceEvents, { createTracing } from 'node:trace_events';
      import v8, { setHeapSnapshotNearHeapLimit, setFlagsFromString, writeHeapSnapshot } from 'node:v8';
      import inspector, { Session } from 'node:inspector';
      import { WASI } from 'node:wasi';
      const attempts: Record<string, () => unknown> = {
        createTracing: () => createTracing({ categories: ['node.perf'] }).enable(),
        traceEventsDefault: () => traceEvents.createTracing({ categories: ['v8'] }).enable(),
        nearHeapLimit: () => setHeapSnapshotNearHeapLimit(1),
        v8Default: () => v8.setHeapSnapshotNearHeapLimit(1),
        writeHeapSnapshot: () => writeHeapSnapshot(),
        setFlags: () => setFlagsFromString('--prof'),
        report: () => process.report!.writeReport(),
        reportOnFatalError: () => { (process.report as { reportOnFatalError: boolean }).reportOnFatalError = true; },
        inspectorOpen: () => inspector.open(0),
        inspectorSession: () => new Session(),
        wasi: () => new WASI({ version: 'preview1', preopens: { '/': '.' } }),
      };
      export const names = Object.keys(attempts);
      export function attempt(name: string) { attempts[name]!(); return 'done'; }`);
    expect(loaded).toMatchObject({ ok: true });
    const names = await session.get('names');
    expect(names.ok && (names.value as string[]).length).toBe(11);
    for (const name of (names.ok ? names.value : []) as string[]) {
      const r = await session.call('attempt', [name]);
      expect(r, name).toMatchObject({ ok: false, error: { code: 'threw', message: expect.stringMatching(/is not allowed in the grading sandbox|Cannot add property reportOnFatalError, object is not extensible/) } });
    }
    expect(await readdir(dir)).toEqual(['solution.ts']);
  });

  it('refuses sockets through named ESM imports of node:net and node:dgram too', async () => {
    const { session } = await open(`
      import { createServer, connect } from 'node:net';
      import { createSocket } from 'node:dgram';
      export function listen() { return createServer().listen(0); }
      export function dial() { return connect(80, '127.0.0.1'); }
      export function udp() { return createSocket('udp4'); }`);
    for (const name of ['listen', 'dial', 'udp']) {
      expect(await session.call(name, []), name).toMatchObject({ ok: false, error: { code: 'threw', message: 'Error: network access is not allowed in the grading sandbox' } });
    }
  });

  it('makes a value the format cannot carry that call\'s error, naming where it is, and keeps the child', async () => {
    const { session } = await open(`
      export function big() { return { loss: [0.5, 10n] }; }
      export function map() { return new Map([[1, 2]]); }
      export function loop() { const a: unknown[] = []; a.push(a); return a; }
      export function sparse() { return [1, , 3]; }
      export function many() { return Array.from({ length: 2_000_001 }, () => 0); }
      export function one() { return 1; }`);
    expect(await session.call('big', [])).toEqual({ ok: false, error: { code: 'unserializable', message: 'returned a value that cannot be sent back: the value.loss[1] is a bigint; return numbers, strings, booleans, null, arrays, plain objects or Float32Array/Float64Array/Int32Array/Uint8Array' } });
    expect(await session.call('map', [])).toMatchObject({ ok: false, error: { code: 'unserializable', message: expect.stringContaining('the value is a Map') } });
    expect(await session.call('loop', [])).toMatchObject({ ok: false, error: { code: 'unserializable', message: expect.stringContaining('nested more than 64 levels deep (or contains itself)') } });
    expect(await session.call('sparse', [])).toMatchObject({ ok: false, error: { code: 'unserializable', message: expect.stringContaining('sparse array (index 1 is a hole)') } });
    expect(await session.call('one', [])).toMatchObject({ ok: true, value: 1 });
    const small = await started(await submission('export function huge() { return new Float64Array(200_000); }'), { maxReturnBytes: 1_000_000 });
    closers.push(() => small.session.close());
    expect(await small.session.call('huge', [])).toEqual({ ok: false, error: { code: 'too-large', message: 'returned more than 1000000 bytes' } });
    expect(await session.call('many', [])).toEqual({ ok: false, error: { code: 'too-large', message: 'returned a value too large to send back: the value has more than 2000000 elements; return large data as a typed array' } });
    // The child reported its own breach and is being killed: the next call, sent at once, goes
    // to a fresh child, not to the dying one (where it failed with the breach's reason).
    expect(await session.call('one', [])).toMatchObject({ ok: true, value: 1 });
  });

  it('kills a child that writes forged frames to the pipe; each is that call\'s error and the next call gets a fresh child', async () => {
    const { session } = await open(`
      import { writeSync } from 'node:fs';
      export function forge(bytes: Uint8Array) { writeSync(3, bytes); return 'sent'; }
      export function one() { return 1; }`);
    const head = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(n);
      return b;
    };
    const sparse: unknown[] = [];
    sparse[2 ** 32 - 2] = 1;
    const forgeries: [string, Buffer, RegExp][] = [
      ['a v8.serialize sparse-array bomb', frame(serialize(sparse)), /^sent a message the harness could not read \(malformed message at byte 1: unknown tag 255\)$/],
      ['a frame declaring 4 GB', head(0xffffffff), /^returned more than 67108864 bytes$/],
      ['an array declaring 2^32-1 elements', frame(Buffer.from([6, 0xff, 0xff, 0xff, 0xff])), /an array declares 4294967295 elements but only 0 bytes remain/],
      ['a second ready', frame(encode({ type: 'ready', exports: [] })), /^sent a 'ready' message when the module was not loading$/],
      ['an error with a code only the parent gives', frame(encode({ type: 'error', id: 1e6, error: { code: 'budget', message: 'x' } })), /^sent a 'error' message for no call in progress$/],
      ['a message of no known type', frame(encode({ type: 'exec', cmd: 'rm -rf /' })), /^sent a message of unknown type "exec"$/],
    ];
    for (const [what, bytes, message] of forgeries) {
      expect(await session.call('forge', [new Uint8Array(bytes)]), what).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^(protocol|too-large)$/), message: expect.stringMatching(message) } });
      expect(await session.call('one', []), `after ${what}`).toMatchObject({ ok: true, value: 1 });
    }
  });

  it('refuses a forged ready message with bogus exports while the module loads', async () => {
    const forged = frame(encode({ type: 'ready', exports: [{ name: 5, kind: 'function' }, { name: 'x', kind: 'weapon' }] }));
    const { loaded } = await open(`
      import { writeSync } from 'node:fs';
      writeSync(3, Uint8Array.from(${JSON.stringify([...forged])}));
      await new Promise((r) => setTimeout(r, 1000));
      export const x = 1;`);
    expect(loaded).toEqual({ ok: false, error: { code: 'protocol', message: "while loading, sent a 'ready' message whose exports are not a list of at most 10000 { name, kind }" } });
  });
});

describe.skipIf(!BUBBLEWRAP)('inside bubblewrap (Debian package bubblewrap)', () => {
  it('the child runs as nobody in a PID namespace of its own, and a TA can see that it did', async () => {
    const { session } = await open('export function facts() { return { pid: process.pid, ppid: process.ppid, uid: process.getuid!(), gid: process.getgid!(), env: Object.keys(process.env) }; }');
    expect(session.isolation).toEqual({ os: 'bubblewrap', user: 'nobody', permissionModel: true });
    const facts = await session.call('facts', []);
    expect(facts).toMatchObject({ ok: true, value: { pid: 2, ppid: 1, uid: 65534, gid: 65534 } });
    // bubblewrap sets PWD after --clearenv; nothing of the grader's environment is there.
    expect(facts.ok && (facts.value as { env: string[] }).env.filter((k) => k !== 'PWD')).toEqual(['LANG']);
  });

  it('raw Node, without the permission model or seals, sees and reaches nothing of the grader: processes, files, network', async () => {
    const sibling = await open(SIBLING);
    const siblingPids = descendants(process.pid).filter((d) => d.cmd.includes(sibling.bundle)).map((d) => d.pid);
    expect(siblingPids.length).toBeGreaterThan(0);
    // Outside both trees: a secret, and a victim the submission links to under trace events' file name.
    const outside = await mkdtemp(join(tmpdir(), 'hw2-outside-'));
    await writeFile(join(outside, 'secret.txt'), 'TOPSECRET');
    await writeFile(join(outside, 'victim.txt'), 'intact');
    const dir = await submission(SIBLING);
    symlinkSync(join(outside, 'victim.txt'), join(dir, 'node_trace.1.log'));
    const server = createServer((s) => s.end('reached the grader')).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as AddressInfo).port;
    const scriptDir = await mkdtemp(join(tmpdir(), 'hw2-raw-'));
    await chmod(scriptDir, 0o755);
    await writeFile(join(scriptDir, 'attack.mjs'), `
      import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
      import net from 'node:net';
      import dgram from 'node:dgram';
      const [grader, siblings, secret, port] = JSON.parse(process.argv[2]);
      const code = (f) => { try { return f() ?? 'ok'; } catch (e) { return e.code; } };
      const out = {
        killGrader: code(() => process.kill(grader, 'SIGKILL')),
        killSiblings: siblings.map((pid) => code(() => process.kill(pid, 'SIGKILL'))),
        proc: readdirSync('/proc').filter((n) => /^[0-9]+$/.test(n)),
        root: readdirSync('/').sort(),
        secret: code(() => readFileSync(secret, 'utf8')),
        passwd: code(() => readFileSync('/etc/passwd', 'utf8')),
        writeHere: code(() => writeFileSync('written.txt', 'x')),
        writeTmp: code(() => writeFileSync('/tmp/hw2-raw-private', 'x')),
        tcp: await new Promise((r) => net.connect(port, '127.0.0.1').on('connect', () => r('connected')).on('error', (e) => r(e.code))),
        udp: await new Promise((r) => dgram.createSocket('udp4').send('x', 53, '1.1.1.1', (e) => r(e ? e.code : 'sent'))),
      };
      console.log(JSON.stringify(out));
      process.kill(-1, 'SIGKILL'); // everything it can see: its own namespace only
    `);
    // Trace events write node_trace.1.log into the working directory, following links.
    await writeFile(join(scriptDir, 'trace.mjs'), `
      import { createTracing } from 'node:trace_events';
      createTracing({ categories: ['node', 'v8'] }).enable();
      setTimeout(() => {}, 500);
    `);
    const raw = async (script: string, args: string[]) => {
      const child = spawn(wall.tool!, bubblewrapArgs([scriptDir], dir, [join(scriptDir, script), ...args]), { cwd: dir, env: {}, stdio: ['ignore', 'pipe', 'pipe'] });
      // Node hangs when it cannot open its trace file: bounded here, not asserted.
      const stop = setTimeout(() => child.kill('SIGKILL'), 3000);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      await new Promise((r) => child.on('exit', r));
      clearTimeout(stop);
      return { stdout, stderr };
    };
    const attacked = await raw('attack.mjs', [JSON.stringify([process.pid, siblingPids, join(outside, 'secret.txt'), port])]);
    const traced = await raw('trace.mjs', []);
    expect(traced.stderr).toMatch(/Could not open trace file node_trace\.1\.log: (read-only file system|no such file or directory)/);
    const out = JSON.parse(attacked.stdout || `{"stderr": ${JSON.stringify(attacked.stderr)}}`);
    server.close();
    expect(out).toMatchObject({
      killGrader: 'ESRCH', killSiblings: siblingPids.map(() => 'ESRCH'), secret: 'ENOENT', passwd: 'ENOENT', writeHere: 'EROFS', writeTmp: 'ok',
      tcp: 'ECONNREFUSED', udp: expect.stringMatching(/^(ENETUNREACH|EAI_AGAIN|EPERM)$/),
    });
    expect(out.proc.length).toBeLessThanOrEqual(3);
    // The root holds the runtime's folders, /proc, /dev, /tmp and the first folders of the mounted paths: no /home, /root, /var.
    const mounted = new Set(['usr', 'lib', 'lib64', 'lib32', 'libx32', 'bin', 'sbin', 'etc', 'proc', 'dev', 'tmp', ...[RUNNER, scriptDir, dir].map((p) => p.split('/')[1])]);
    expect(out.root.filter((name: string) => !mounted.has(name))).toEqual([]);
    expect(readFileSync(join(outside, 'victim.txt'), 'utf8')).toBe('intact');
    expect(readdirSync(dir).sort()).toEqual(['node_trace.1.log', 'solution.ts']);
    expect(existsSync('/tmp/hw2-raw-private')).toBe(false);
    expect(alive(process.pid) && siblingPids.every(alive)).toBe(true);
    expect(await sibling.session.call('one', [])).toMatchObject({ ok: true, value: 1 });
  });

  it('runs with limits.sandbox.requireOsIsolation set', async () => {
    const dir = await submission(SIBLING);
    const { session, loaded } = await started(dir, { requireOsIsolation: true });
    closers.push(() => session.close());
    expect(loaded).toMatchObject({ ok: true });
  });
});
