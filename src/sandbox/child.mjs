// The sandboxed child: loads a pair's bundled solution and answers the parent's requests.
// Plain JavaScript on purpose: it runs under Node's permission model with no loader.
//
// Protocol on fd 3, both ways: frames of [uint32 big-endian length][codec.mjs body].
//   parent → child: { type: 'call', id, name, args, get }
//   child → parent: { type: 'ready', exports } | { type: 'load-error', error }
//                   | { type: 'result', id, value } | { type: 'error', id, error }
// The parent trusts none of it: the pair's code can write to fd 3 too.
import dgram from 'node:dgram';
import dns from 'node:dns';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import inspector from 'node:inspector';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import tls from 'node:tls';
import traceEvents from 'node:trace_events';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import wasi from 'node:wasi';
import { CodecError, decode, encode, frame, frameReader } from './codec.mjs';

const [bundle, maxBytesArg, maxOutputArg] = process.argv.slice(2);
const maxBytes = Number(maxBytesArg);
const maxOutput = Number(maxOutputArg);
const channel = new net.Socket({ fd: 3, readable: true, writable: true });

function send(message) {
  let body;
  try {
    body = encode(message, maxBytes);
  } catch (failed) {
    if (!(failed instanceof CodecError)) throw failed;
    // Encoded again alone, so the place named is in the pair's value, not in the envelope.
    let error = failed;
    try {
      if ('value' in message) encode(message.value, maxBytes);
    } catch (alone) {
      if (alone instanceof CodecError) error = alone;
    }
    const why = error.code !== 'too-large' ? { code: 'unserializable', message: `returned a value that cannot be sent back: ${error.message}` }
      : error.overBytes ? { code: 'too-large', message: `returned more than ${maxBytes} bytes` }
      : { code: 'too-large', message: `returned a value too large to send back: ${error.message}` };
    body = encode(message.type === 'ready' ? { type: 'load-error', error: { code: 'load', message: why.message } } : { type: 'error', id: message.id, error: why });
  }
  channel.write(frame(body));
}

// Everything below is sealed before the pair's code loads: each replaced export throws, and
// syncBuiltinESMExports() makes `import { connect } from 'node:net'` see the seal too (named
// ESM imports of built-ins are otherwise copies taken when the module was first loaded).
function refuse(what) {
  return function refused() {
    const error = new Error(`${what} is not allowed in the grading sandbox`);
    error.code = 'ERR_SANDBOX_DENIED';
    throw error;
  };
}
const seal = (object, key, what) => Object.defineProperty(object, key, { value: refuse(what), writable: false, configurable: false, enumerable: true });

// Network: Node 20's permission model does not cover it; where the parent found no network
// namespace (bubblewrap or unshare), these seals are the only wall, and a partial one.
const NETWORK = 'network access';
for (const [object, keys] of [
  [net, ['connect', 'createConnection', 'createServer', '_createServerHandle']], [net.Socket.prototype, ['connect']],
  [net.Server.prototype, ['listen', '_listen2']],
  [tls, ['connect', 'createServer']], [dgram, ['createSocket', '_createSocketHandle']], [dgram.Socket.prototype, ['send', 'bind', 'connect']],
  [dns, ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'reverse']],
  [dns.promises, ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'reverse']],
  [dns.Resolver.prototype, ['resolve', 'resolve4', 'resolve6', 'resolveAny', 'reverse']],
  [http, ['request', 'get', 'createServer']], [https, ['request', 'get', 'createServer']],
  [http2, ['connect', 'createServer', 'createSecureServer']],
  [http.Agent.prototype, ['createConnection']], [https.Agent.prototype, ['createConnection']],
]) for (const key of keys) if (key in object) seal(object, key, NETWORK);
for (const key of ['fetch', 'WebSocket', 'EventSource']) seal(globalThis, key, NETWORK);

// Files the permission model lets through: trace events write node_trace.*.log into the
// working directory, a heap snapshot near the heap limit writes Heap.*.heapsnapshot there,
// and V8 flags set at run time can turn on other log files (--prof, --trace-turbo) or
// natives syntax. The rest are refused by the permission model already; sealed here too so
// the error is the same everywhere.
seal(traceEvents, 'createTracing', 'node:trace_events');
for (const key of ['setFlagsFromString', 'setHeapSnapshotNearHeapLimit', 'writeHeapSnapshot', 'getHeapSnapshot']) seal(v8, key, `v8.${key}`);
for (const key of ['open', 'url', 'waitForDebugger', 'Session']) seal(inspector, key, 'node:inspector');
seal(wasi, 'WASI', 'node:wasi');
Object.defineProperty(process, 'report', { value: Object.freeze({ writeReport: refuse('process.report'), getReport: refuse('process.report') }), configurable: false });
// Signals: without a PID namespace the grader and its other children are visible.
seal(process, 'kill', 'process.kill');
seal(process, '_kill', 'process.kill');
syncBuiltinESMExports();

// Output is counted here as well as in the parent: the parent's count races the result,
// this one does not. Writes past the limit are dropped and the running call fails.
let printed = 0;
let overPrinted = false;
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream);
  stream.write = (chunk, ...rest) => {
    printed += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk?.length ?? 0;
    if (printed > maxOutput) {
      overPrinted = true;
      return true;
    }
    return write(chunk, ...rest);
  };
}
const outputError = () => ({ code: 'output', message: `printed more than ${maxOutput} bytes to stdout/stderr` });

/** What Node's permission model refused, in words (its own message says only "Access to this API has been restricted"). */
const PERMISSION_WORDS = {
  FileSystemRead: 'reading', FileSystemWrite: 'writing', ChildProcess: 'starting a process', WorkerThreads: 'starting a worker thread', Addon: 'loading a native addon',
};

function deniedMessage(thrown) {
  const what = PERMISSION_WORDS[thrown.permission] ?? 'an operation';
  let resource = typeof thrown.resource === 'string' ? thrown.resource : '';
  // Paths inside the submission's (staged) folder are named as the submission names them.
  const here = `${process.cwd()}/`;
  if (resource.startsWith(here)) resource = resource.slice(here.length);
  return `the sandbox refused ${what}${resource ? ` ${resource.slice(0, 300)}` : ''}: a solution may read only its own submission folder, and may not write files, start processes or workers, or load addons`;
}

function describeThrown(thrown) {
  if (thrown instanceof Error && thrown.code === 'ERR_ACCESS_DENIED') return { code: 'threw', message: deniedMessage(thrown) };
  if (thrown instanceof Error) return { code: 'threw', message: `${thrown.name}: ${thrown.message}` };
  let shown;
  try {
    shown = JSON.stringify(thrown) ?? String(thrown);
  } catch {
    shown = Object.prototype.toString.call(thrown);
  }
  return { code: 'threw', message: `threw a non-Error value: ${String(shown).slice(0, 200)}` };
}

let solution;
async function handle(message) {
  const { id, name, args, get } = message;
  if (!Object.prototype.hasOwnProperty.call(solution, name)) {
    send({ type: 'error', id, error: { code: 'not-exported', message: `solution does not export ${name}` } });
    return;
  }
  try {
    const exported = solution[name];
    if (get) {
      send({ type: 'result', id, value: typeof exported === 'function' ? undefined : exported });
    } else if (typeof exported !== 'function') {
      send({ type: 'error', id, error: { code: 'not-exported', message: `solution exports ${name}, but it is a ${typeof exported}, not a function` } });
    } else {
      const value = await exported(...args);
      send(overPrinted ? { type: 'error', id, error: outputError() } : { type: 'result', id, value });
    }
  } catch (thrown) {
    send({ type: 'error', id, error: overPrinted ? outputError() : describeThrown(thrown) });
  }
}

let queue = Promise.resolve();
channel.on('data', frameReader((body) => {
  // The parent's frames are well formed; anything else means the pipe is not the parent's.
  const message = decode(body);
  if (message?.type !== 'call' || typeof message.name !== 'string' || !Array.isArray(message.args)) process.exit(70);
  queue = queue.then(() => handle(message));
}, (length) => length > 1024 * 1024 * 1024));

try {
  solution = await import(pathToFileURL(bundle).href);
  if (overPrinted) throw Object.assign(new Error(outputError().message), { name: 'OutputLimit' });
  send({ type: 'ready', exports: Object.keys(solution).map((name) => ({ name, kind: typeof solution[name] })) });
} catch (thrown) {
  const error = describeThrown(thrown);
  send({ type: 'load-error', error: { code: 'load', message: `loading the solution failed: ${error.message}` } });
}
