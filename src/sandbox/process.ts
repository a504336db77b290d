/**
 * A pair's module in a child Node process under the permission model: it may read only the
 * folders it is given, may not write, spawn, start workers or load addons, and where Linux
 * allows it runs in a network namespace of its own. The parent enforces every limit from
 * outside (wall clock, resident memory, bytes printed, bytes returned) and kills the child
 * on a breach; the breach becomes the failed call's result.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Duplex } from 'node:stream';
import { deserialize, serialize } from 'node:v8';
import type { CallResult, ExportInfo, NetworkIsolation, SandboxError, SandboxLimits, SolutionSession } from './types.ts';

export const RUNNER = fileURLToPath(new URL('./child.mjs', import.meta.url));
const OUTPUT_KEPT = 16 * 1024;

let unshare: string | null | undefined;
/**
 * The absolute path of `unshare` when `unshare --net` works (as root on Linux, as in CI
 * here), else null and the child closes the network from inside instead.
 */
export function networkNamespaceTool(): string | null {
  if (unshare === undefined) {
    unshare = null;
    if (process.platform === 'linux') {
      for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
        const candidate = join(dir, 'unshare');
        if (existsSync(candidate) && spawnSync(candidate, ['--net', 'true'], { stdio: 'ignore', timeout: 5000 }).status === 0) {
          unshare = candidate;
          break;
        }
      }
    }
  }
  return unshare;
}

function residentMb(pid: number): number | undefined {
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return (pages * 4096) / (1024 * 1024);
  } catch {
    return undefined;
  }
}

interface Pending {
  resolve(result: CallResult): void;
  timer: NodeJS.Timeout;
  started: number;
}

/** One child process: load once, answer calls, die on the first breach. */
class ChildRun {
  private child: ChildProcess;
  private channel: Duplex;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private buffered = Buffer.alloc(0);
  private printed = 0;
  private stdout = '';
  private stderr = '';
  /** Why the parent killed the child, if it did. */
  private killedFor: SandboxError | undefined;
  private watchdog: NodeJS.Timeout;
  private onReady: ((r: { ok: true; exports: ExportInfo[] } | { ok: false; error: SandboxError }) => void) | undefined;
  readonly exited: Promise<void>;
  alive = true;

  constructor(bundle: string, readPaths: string[], cwd: string, private limits: SandboxLimits, network: NetworkIsolation, extraFlags: string[] = []) {
    const nodeArgs = [
      '--experimental-permission',
      ...[RUNNER, ...readPaths].map((path) => `--allow-fs-read=${path}`),
      `--max-old-space-size=${limits.heapMb}`,
      '--disable-warning=ExperimentalWarning',
      '--disable-warning=SecurityWarning',
      ...extraFlags,
      RUNNER, bundle, String(limits.maxReturnBytes), String(limits.maxOutputBytes),
    ];
    const tool = networkNamespaceTool();
    const [command, args] = network === 'namespace' && tool ? [tool, ['--net', process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
    // A clean environment: the TA's variables (tokens, paths) are none of the child's business.
    // cwd is the submission folder, so a solution reads its own files by relative paths.
    this.child = spawn(command, args as string[], { cwd, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], env: { LANG: 'C.UTF-8' }, detached: false });
    this.channel = this.child.stdio[3] as Duplex;
    this.channel.on('data', (chunk: Buffer) => this.receive(chunk));
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
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => {
      this.alive = false;
      clearInterval(this.watchdog);
      this.failAll(this.deathReason(code, signal));
      resolve();
    }));
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

  kill(reason: SandboxError): void {
    if (!this.alive) return;
    this.killedFor ??= reason;
    this.child.kill('SIGKILL');
  }

  private receive(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 4) {
      const length = this.buffered.readUInt32BE(0);
      // Checked before buffering the body: a hostile child cannot make the parent hold more.
      if (length > this.limits.maxReturnBytes + 1024) {
        this.kill({ code: 'too-large', message: `returned more than ${this.limits.maxReturnBytes} bytes` });
        return;
      }
      if (this.buffered.length < 4 + length) return;
      let message: { type?: string; id?: number; value?: unknown; error?: SandboxError; exports?: ExportInfo[] };
      try {
        message = deserialize(this.buffered.subarray(4, 4 + length));
      } catch {
        this.kill({ code: 'protocol', message: 'sent a message the harness could not read' });
        return;
      }
      this.buffered = this.buffered.subarray(4 + length);
      this.dispatch(message);
    }
  }

  private dispatch(message: { type?: string; id?: number; value?: unknown; error?: SandboxError; exports?: ExportInfo[] }): void {
    if (message.type === 'ready' || message.type === 'load-error') {
      this.onReady?.(message.type === 'ready'
        ? { ok: true, exports: Array.isArray(message.exports) ? message.exports : [] }
        : { ok: false, error: message.error ?? { code: 'load', message: 'loading failed' } });
      this.onReady = undefined;
      return;
    }
    const pending = message.id === undefined ? undefined : this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id!);
    clearTimeout(pending.timer);
    const result: CallResult = message.type === 'result'
      ? { ok: true, value: message.value, ms: Date.now() - pending.started }
      : { ok: false, error: message.error ?? { code: 'protocol', message: 'malformed error' } };
    pending.resolve(result);
    // A breach the child reported itself still ends it: the next call starts a fresh one.
    if (!result.ok && (result.error.code === 'output' || result.error.code === 'too-large')) this.kill(result.error);
  }

  ready(timeoutMs: number): Promise<{ ok: true; exports: ExportInfo[] } | { ok: false; error: SandboxError }> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.kill({ code: 'timeout', message: `did not finish loading within ${timeoutMs} ms` }), timeoutMs);
      this.onReady = (r) => {
        clearTimeout(timer);
        resolve(r);
      };
      if (!this.alive) this.failAll({ code: 'crashed', message: 'the child process did not start' });
    });
  }

  request(name: string, args: unknown[], get: boolean, timeoutMs: number): Promise<CallResult> {
    if (!this.alive) return Promise.resolve({ ok: false, error: this.killedFor ?? { code: 'crashed', message: 'the child process is gone' } });
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.kill({ code: 'timeout', message: `${name} did not return within ${timeoutMs} ms` }), timeoutMs);
      this.pending.set(id, { resolve, timer, started: Date.now() });
      const body = serialize({ type: 'call', id, name, args, get });
      const head = Buffer.alloc(4);
      head.writeUInt32BE(body.length);
      this.channel.write(Buffer.concat([head, body]));
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
  readonly network: NetworkIsolation;
  private run: ChildRun | undefined;
  private used = 0;
  private loadFailure: SandboxError | undefined;
  private printed: string[] = [];

  constructor(private bundle: string, private readPaths: string[], private cwd: string, private limits: SandboxLimits, private extraFlags: string[] = []) {
    this.network = networkNamespaceTool() ? 'namespace' : 'in-process';
  }

  private remaining(): number {
    return this.limits.submissionTimeoutMs - this.used;
  }

  private async spawnRun(): Promise<{ ok: true; exports: ExportInfo[] } | { ok: false; error: SandboxError }> {
    const started = Date.now();
    this.run = new ChildRun(this.bundle, this.readPaths, this.cwd, this.limits, this.network, this.extraFlags);
    const result = await this.run.ready(Math.min(this.limits.loadTimeoutMs, this.remaining()));
    this.used += Date.now() - started;
    return result;
  }

  async start() {
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
    if (!this.run?.alive) {
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
