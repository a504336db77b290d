/**
 * A pair's module in a child Node process, behind two walls. Outside: bubblewrap where it
 * works (own user, PID, mount, IPC and network namespaces; only the runtime and the child's
 * read paths mounted, read-only; uid 65534), else a network namespace and uid 65534 where
 * the grader is root, else nothing. Inside: Node's permission model (reads only the paths it
 * is given; no writes, spawns, workers or addons) and the runner's in-process seals. The
 * parent enforces every limit from outside (wall clock, resident memory, bytes printed and
 * returned), decodes only the bounded format of codec.mjs, and kills the child on a breach;
 * the breach becomes the failed call's result.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Duplex } from 'node:stream';
import { CodecError, decode, encode, frame, frameReader, type Data } from './codec.mjs';
import type { CallResult, ExportInfo, Isolation, SandboxError, SandboxErrorCode, SandboxLimits, SolutionSession } from './types.ts';

export const RUNNER = fileURLToPath(new URL('./child.mjs', import.meta.url));
const CODEC = fileURLToPath(new URL('./codec.mjs', import.meta.url));
const OUTPUT_KEPT = 16 * 1024;
/** nobody/nogroup: owns nothing, so a child under it can signal and write nothing of ours. */
const NOBODY = 65534;

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/**
 * Mounts that let the node binary start inside an empty root: /usr and the top-level
 * library folders (or the symlinks a merged-/usr system has there), the dynamic loader's
 * cache, and the binary itself, which may live outside /usr (nvm, /opt).
 */
function runtimeMounts(node: string): string[] {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const top of ['/lib', '/lib64', '/lib32', '/libx32', '/bin', '/sbin']) {
    let link: string | undefined;
    try {
      const stat = lstatSync(top);
      if (stat.isSymbolicLink()) link = readlinkSync(top);
      else if (!stat.isDirectory()) continue;
    } catch {
      continue;
    }
    args.push(...(link === undefined ? ['--ro-bind', top, top] : ['--symlink', link, top]));
  }
  if (existsSync('/etc/ld.so.cache')) args.push('--ro-bind', '/etc/ld.so.cache', '/etc/ld.so.cache');
  return [...args, '--ro-bind', node, node];
}

/**
 * bubblewrap's arguments to run `node nodeArgs` in `cwd` with nothing of the machine but the
 * runtime and `readPaths`, each mounted read-only at its own path, so the permission
 * model's --allow-fs-read flags and the file paths sent in calls mean the same inside.
 * Exported for the walls' tests, which run their own scripts in the same box.
 */
export function bubblewrapArgs(readPaths: string[], cwd: string, nodeArgs: string[]): string[] {
  const node = realpathSync(process.execPath);
  const paths = [...new Set([RUNNER, CODEC, ...readPaths, cwd])].sort((a, b) => a.length - b.length);
  return [
    '--unshare-all', '--die-with-parent', '--new-session', '--cap-drop', 'ALL',
    '--uid', String(NOBODY), '--gid', String(NOBODY), '--clearenv', '--setenv', 'LANG', 'C.UTF-8',
    ...runtimeMounts(node), '--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp',
    // After /tmp's tmpfs, so a bundle or submission under /tmp is mounted on top of it.
    ...paths.flatMap((p) => ['--ro-bind-try', p, p]),
    '--chdir', cwd, '--', node, ...nodeArgs,
  ];
}

/** What the machine gives: the isolation a child gets, the tool that gives it, and what is missing. */
interface Wall {
  isolation: Isolation;
  tool?: string;
  /** Why the child does not get bubblewrap, for the 'isolation' error. */
  missing: string;
  /** Set when no child may run at all (a mistyped HW2_ISOLATION must not weaken the sandbox silently). */
  refuse?: string;
}

let wall: Wall | undefined;

/** Folders others may search, remembered: the runtime's own paths are asked about for every child. */
const searchable = new Map<string, boolean>();

/**
 * Whether a process of another uid could read every path: each folder on the way there
 * searchable by others, and the path itself readable (a folder also searchable) by others.
 */
function readableByOthers(paths: string[]): boolean {
  const others = (path: string, bits: number) => {
    try {
      return (statSync(path).mode & bits) === bits;
    } catch {
      return false;
    }
  };
  const folderOk = (dir: string): boolean => {
    let ok = searchable.get(dir);
    if (ok === undefined) searchable.set(dir, (ok = dir === dirname(dir) || (folderOk(dirname(dir)) && others(dir, 0o001))));
    return ok;
  };
  return paths.every((path) => {
    const full = resolve(path);
    if (!folderOk(dirname(full))) return false;
    return others(full, statSync(full, { throwIfNoEntry: false })?.isDirectory() ? 0o005 : 0o004);
  });
}

/**
 * Probes once per process what isolation works here, best first: bubblewrap, then
 * `unshare --net` (root only), then none. HW2_ISOLATION, read on the first probe, can force a
 * weaker one: 'unshare-net' skips bubblewrap, 'none' skips both (the uid switch of a root
 * grader stays: it costs nothing and stops signals).
 */
export function sandboxWall(): Wall {
  if (wall) return wall;
  const forced = process.env.HW2_ISOLATION ?? '';
  const root = process.getuid?.() === 0;
  const user = root ? 'nobody' : 'same';
  const works = (command: string, args: string[]) => {
    const r = spawnSync(command, args, { encoding: 'utf8', timeout: 10_000, cwd: '/' });
    return r.status === 0 ? '' : (r.stderr || r.error?.message || `exit code ${r.status}`).trim().split('\n')[0]!.slice(0, 200);
  };
  let missing: string;
  if (!['', 'auto', 'unshare-net', 'none'].includes(forced)) {
    missing = `HW2_ISOLATION=${forced} is not one of auto, unshare-net, none`;
    return (wall = { isolation: { os: 'none', user, permissionModel: true }, missing, refuse: `${missing}; student code was not run` });
  }
  if (forced === 'unshare-net' || forced === 'none') missing = `HW2_ISOLATION=${forced} turned bubblewrap off`;
  else if (process.platform !== 'linux') missing = `bubblewrap needs Linux (this is ${process.platform})`;
  else {
    const bwrap = onPath('bwrap');
    const failed = bwrap ? works(bwrap, bubblewrapArgs([], '/', ['--version'])) : 'bwrap is not installed (Debian package bubblewrap)';
    if (bwrap && !failed) return (wall = { isolation: { os: 'bubblewrap', user: 'nobody', permissionModel: true }, tool: bwrap, missing: '' });
    missing = bwrap ? `bubblewrap (${bwrap}) does not work here: ${failed}` : failed;
  }
  const unshare = forced === 'none' || process.platform !== 'linux' ? null : onPath('unshare');
  if (unshare && !works(unshare, ['--net', ...(root ? ['--setuid', String(NOBODY), '--setgid', String(NOBODY)] : []), process.execPath, '--version'])) {
    return (wall = { isolation: { os: 'unshare-net', user, permissionModel: true }, tool: unshare, missing });
  }
  return (wall = { isolation: { os: 'none', user, permissionModel: true }, missing });
}

/**
 * Resident memory of a process and its descendants (under bubblewrap the node process is a
 * grandchild of the one the parent spawned), from /proc; undefined where there is none.
 */
function residentMb(pid: number): number | undefined {
  let pages = 0;
  let found = false;
  const stack = [pid];
  for (let visited = 0; stack.length && visited < 16; visited++) {
    const p = stack.pop()!;
    try {
      pages += Number(readFileSync(`/proc/${p}/statm`, 'utf8').split(' ')[1]);
      found = true;
      stack.push(...readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
    } catch {
      // Gone already, or no /proc: nothing to add.
    }
  }
  return found ? (pages * 4096) / (1024 * 1024) : undefined;
}

/** Error codes a child may report for a call; anything else from it is a forgery. */
const CHILD_CODES = new Set<SandboxErrorCode>(['threw', 'not-exported', 'unserializable', 'too-large', 'output']);
const EXPORT_KINDS = new Set(['function', 'object', 'number', 'string', 'boolean', 'undefined', 'bigint', 'symbol']);
const MAX_MESSAGE = 4000;
const MAX_EXPORTS = 10_000;

function isRecord(v: unknown): v is { [key: string]: Data } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/** A child's error as { code, message } with a code it may report, or undefined. */
function childError(v: Data, codes: Set<SandboxErrorCode>): SandboxError | undefined {
  if (!isRecord(v) || typeof v.code !== 'string' || !codes.has(v.code as SandboxErrorCode) || typeof v.message !== 'string') return undefined;
  return { code: v.code as SandboxErrorCode, message: v.message.slice(0, MAX_MESSAGE) };
}

interface Pending {
  resolve(result: CallResult): void;
  timer: NodeJS.Timeout;
  started: number;
}

type Loaded = { ok: true; exports: ExportInfo[] } | { ok: false; error: SandboxError };

/** One child process: load once, answer calls, die on the first breach. */
class ChildRun {
  private child: ChildProcess;
  private channel: Duplex;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private printed = 0;
  private stdout = '';
  private stderr = '';
  /** Why the parent killed the child, if it did. */
  private killedFor: SandboxError | undefined;
  private watchdog: NodeJS.Timeout;
  private onReady: ((r: Loaded) => void) | undefined;
  readonly exited: Promise<void>;
  alive = true;

  constructor(bundle: string, readPaths: string[], cwd: string, private limits: SandboxLimits, wall: Wall, extraFlags: string[] = []) {
    const nodeArgs = [
      '--experimental-permission',
      ...[RUNNER, CODEC, ...readPaths].map((path) => `--allow-fs-read=${path}`),
      `--max-old-space-size=${limits.heapMb}`,
      '--disable-warning=ExperimentalWarning',
      '--disable-warning=SecurityWarning',
      ...extraFlags,
      RUNNER, bundle, String(limits.maxReturnBytes), String(limits.maxOutputBytes),
    ];
    const nobody = wall.isolation.user === 'nobody';
    const [command, args, ids]: [string, string[], Pick<SpawnOptions, 'uid' | 'gid'>] =
      wall.isolation.os === 'bubblewrap' ? [wall.tool!, bubblewrapArgs(readPaths, cwd, nodeArgs), {}]
      // unshare needs root for the namespace, then drops to nobody itself.
      : wall.isolation.os === 'unshare-net' ? [wall.tool!, ['--net', ...(nobody ? ['--setuid', String(NOBODY), '--setgid', String(NOBODY)] : []), process.execPath, ...nodeArgs], {}]
      : [process.execPath, nodeArgs, nobody ? { uid: NOBODY, gid: NOBODY } : {}];
    // A clean environment: the TA's variables (tokens, paths) are none of the child's business.
    // cwd is the submission folder, so a solution reads its own files by relative paths.
    this.child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], env: { LANG: 'C.UTF-8' }, ...ids });
    this.channel = this.child.stdio[3] as Duplex;
    this.channel.on('data', frameReader((body) => this.receive(body), (length) => {
      // Checked before buffering the body: a hostile child cannot make the parent hold more.
      if (length <= limits.maxReturnBytes + 1024) return false;
      this.kill({ code: 'too-large', message: `returned more than ${limits.maxReturnBytes} bytes` });
      return true;
    }));
    this.channel.on('error', () => {});
    for (const [stream, key] of [[this.child.stdout!, 'stdout'], [this.child.stderr!, 'stderr']] as const) {
      stream.on('data', (chunk: Buffer) => {
        this.printed += chunk.length;
        if (this[key].length < OUTPUT_KEPT) this[key] += chunk.toString('utf8', 0, OUTPUT_KEPT - this[key].length);
        if (this.printed > limits.maxOutputBytes) {
          this.kill({ code: 'output', message: `printed more than ${limits.maxOutputBytes} bytes to stdout/stderr and was stopped` });
        }
      });
    }
    this.watchdog = setInterval(() => {
      const rss = this.child.pid ? residentMb(this.child.pid) : undefined;
      if (rss !== undefined && rss > limits.rssMb) {
        this.kill({ code: 'memory', message: `used more than ${limits.rssMb} MB of memory and was stopped` });
      }
    }, 50);
    this.exited = new Promise((resolve) => {
      const end = (error: SandboxError) => {
        if (!this.alive) return;
        this.alive = false;
        clearInterval(this.watchdog);
        this.failAll(error);
        resolve();
      };
      this.child.on('exit', (code, signal) => end(this.deathReason(code, signal)));
      // A child that cannot start (its folder unreadable to uid 65534, say) emits 'error' alone.
      this.child.on('error', (error) => end(this.killedFor ?? { code: 'start', message: `the sandbox could not start ${command}: ${error.message}` }));
    });
  }

  private deathReason(code: number | null, signal: NodeJS.Signals | null): SandboxError {
    if (this.killedFor) return this.killedFor;
    if (/heap out of memory|Reached heap limit/i.test(this.stderr)) {
      return { code: 'oom', message: `ran out of memory (heap limit ${this.limits.heapMb} MB)` };
    }
    const tail = this.stderr.trim().split('\n').slice(-3).join(' ').slice(0, 300);
    const how = signal ? `was killed by ${signal}` : `ended the process (exit code ${code})`;
    return { code: 'crashed', message: `the solution ${how}${tail ? `: ${tail}` : ''}` };
  }

  private failAll(error: SandboxError): void {
    this.onReady?.({ ok: false, error: { ...error, message: `while loading, ${error.message}` } });
    this.onReady = undefined;
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ ok: false, error });
    }
    this.pending.clear();
  }

  /**
   * Takes calls: alive and not being killed. A killed child stays alive until its exit event,
   * which comes later on a busy machine; a call sent to it then would fail with the reason the
   * previous call was stopped for (a 1 GiB return charged to the next, innocent call).
   */
  get usable(): boolean {
    return this.alive && !this.killedFor;
  }

  kill(reason: SandboxError): void {
    if (!this.alive) return;
    this.killedFor ??= reason;
    this.child.kill('SIGKILL');
  }

  /** One frame from the child; false (stop reading) when it is not a message it may send. */
  private receive(body: Buffer): boolean {
    let message: Data;
    try {
      message = decode(body);
    } catch (error) {
      if (!(error instanceof CodecError)) throw error;
      this.kill({ code: 'protocol', message: `sent a message the harness could not read (${error.message})` });
      return false;
    }
    const wrong = this.dispatch(message);
    if (wrong) this.kill({ code: 'protocol', message: `sent ${wrong}` });
    return !wrong;
  }

  /** Acts on a decoded message; what is wrong with it, if anything. Checked by shape: the pair's code can write to fd 3. */
  private dispatch(m: Data): string | undefined {
    if (!isRecord(m) || typeof m.type !== 'string') return 'a message that is not an object with a type';
    if (m.type === 'ready') {
      const exports = m.exports;
      if (!this.onReady) return "a 'ready' message when the module was not loading";
      if (!Array.isArray(exports) || exports.length > MAX_EXPORTS
        || !exports.every((e) => isRecord(e) && typeof e.name === 'string' && e.name.length <= 1000 && typeof e.kind === 'string' && EXPORT_KINDS.has(e.kind))) {
        return `a 'ready' message whose exports are not a list of at most ${MAX_EXPORTS} { name, kind }`;
      }
      this.onReady({ ok: true, exports: exports.map((e) => ({ name: (e as { name: string }).name, kind: (e as { kind: string }).kind })) });
      this.onReady = undefined;
      return undefined;
    }
    if (m.type === 'load-error') {
      const error = childError(m.error, new Set(['load']));
      if (!this.onReady || !error) return "a 'load-error' message that is not { code: 'load', message } during loading";
      this.onReady({ ok: false, error });
      this.onReady = undefined;
      return undefined;
    }
    if (m.type !== 'result' && m.type !== 'error') return `a message of unknown type ${JSON.stringify(m.type.slice(0, 40))}`;
    const pending = typeof m.id === 'number' ? this.pending.get(m.id) : undefined;
    if (!pending) return `a '${m.type}' message for no call in progress`;
    const error = m.type === 'error' ? childError(m.error, CHILD_CODES) : undefined;
    if (m.type === 'error' && !error) return `an 'error' message that is not { code, message } with one of the codes ${[...CHILD_CODES].join(', ')}`;
    this.pending.delete(m.id as number);
    clearTimeout(pending.timer);
    const result: CallResult = error ? { ok: false, error } : { ok: true, value: m.value, ms: Date.now() - pending.started };
    pending.resolve(result);
    // A breach the child reported itself still ends it: the next call starts a fresh one.
    if (error && (error.code === 'output' || error.code === 'too-large')) this.kill(error);
    return undefined;
  }

  ready(timeoutMs: number): Promise<Loaded> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.kill({ code: 'timeout', message: `did not finish loading within ${timeoutMs} ms` }), timeoutMs);
      this.onReady = (r) => {
        clearTimeout(timer);
        resolve(r);
      };
      if (!this.alive) this.failAll(this.killedFor ?? { code: 'crashed', message: 'the child process did not start' });
    });
  }

  request(name: string, args: unknown[], get: boolean, timeoutMs: number): Promise<CallResult> {
    if (!this.alive) return Promise.resolve({ ok: false, error: this.killedFor ?? { code: 'crashed', message: 'the child process is gone' } });
    // The harness's own arguments: one it cannot encode is its bug, so this throws.
    const body = encode({ type: 'call', id: this.nextId, name, args, get }, Number.MAX_SAFE_INTEGER);
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.kill({ code: 'timeout', message: `${name} did not return within ${timeoutMs} ms` }), timeoutMs);
      this.pending.set(id, { resolve, timer, started: Date.now() });
      this.channel.write(frame(body));
    });
  }

  output(): string {
    return [this.stdout, this.stderr].filter(Boolean).join('\n');
  }
}

/**
 * A submission's session: a child that is restarted after a breach (the module loaded once
 * already, so each call gets a fresh chance), within one wall-clock budget for everything.
 */
export class ChildProcessSession implements SolutionSession {
  readonly isolation: Isolation;
  private wall: Wall;
  private run: ChildRun | undefined;
  private used = 0;
  private loadFailure: SandboxError | undefined;
  private printed: string[] = [];

  constructor(private bundle: string, private readPaths: string[], private cwd: string, private limits: SandboxLimits, private extraFlags: string[] = []) {
    const wall = sandboxWall();
    // Without bubblewrap a root grader drops the child to uid 65534, which can read only what
    // others may read. A checkout under /root (0700), say, would make every child fail to start:
    // then the child keeps the grader's uid, and its isolation says so.
    const dropped = wall.isolation.os !== 'bubblewrap' && wall.isolation.user === 'nobody';
    this.wall = dropped && !readableByOthers([RUNNER, CODEC, process.execPath, bundle, cwd, ...readPaths])
      ? { ...wall, isolation: { ...wall.isolation, user: 'same' } }
      : wall;
    this.isolation = this.wall.isolation;
  }

  private remaining(): number {
    return this.limits.submissionTimeoutMs - this.used;
  }

  private async spawnRun(): Promise<Loaded> {
    const started = Date.now();
    this.run = new ChildRun(this.bundle, this.readPaths, this.cwd, this.limits, this.wall, this.extraFlags);
    const result = await this.run.ready(Math.min(this.limits.loadTimeoutMs, this.remaining()));
    this.used += Date.now() - started;
    return result;
  }

  async start(): Promise<Loaded> {
    if (this.wall.refuse) {
      this.loadFailure = { code: 'isolation', message: this.wall.refuse };
      return { ok: false, error: this.loadFailure };
    }
    if (this.limits.requireOsIsolation && this.isolation.os !== 'bubblewrap') {
      this.loadFailure = { code: 'isolation', message: `the rubric requires OS isolation (limits.sandbox.requireOsIsolation), but ${this.wall.missing}; student code was not run` };
      return { ok: false, error: this.loadFailure };
    }
    const result = await this.spawnRun();
    if (!result.ok) {
      this.loadFailure = result.error;
      await this.retire();
    }
    return result;
  }

  private async retire(): Promise<void> {
    if (!this.run) return;
    this.run.kill({ code: 'crashed', message: 'closed' });
    await this.run.exited;
    const printed = this.run.output();
    if (printed) this.printed.push(printed);
    this.run = undefined;
  }

  private budgetError(): CallResult {
    return { ok: false, error: { code: 'budget', message: `the submission used up its ${this.limits.submissionTimeoutMs} ms of running time` } };
  }

  private async request(name: string, args: unknown[], get: boolean): Promise<CallResult> {
    if (this.loadFailure) return { ok: false, error: this.loadFailure };
    if (this.remaining() <= 0) return this.budgetError();
    if (!this.run?.usable) {
      await this.retire();
      const restarted = await this.spawnRun();
      if (!restarted.ok) return this.remaining() <= 0 ? this.budgetError() : { ok: false, error: restarted.error };
    }
    const started = Date.now();
    const result = await this.run!.request(name, args, get, Math.min(this.limits.callTimeoutMs, this.remaining()));
    this.used += Date.now() - started;
    // A call cut short by the budget rather than by its own limit says so.
    if (!result.ok && result.error.code === 'timeout' && this.remaining() <= 0) return this.budgetError();
    return result;
  }

  call(name: string, args: unknown[]): Promise<CallResult> {
    return this.request(name, args, false);
  }

  get(name: string): Promise<CallResult> {
    return this.request(name, [], true);
  }

  output(): string {
    return [...this.printed, this.run?.output() ?? ''].filter(Boolean).join('\n').slice(0, OUTPUT_KEPT);
  }

  async close(): Promise<void> {
    await this.retire();
  }
}
