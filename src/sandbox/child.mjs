// The sandboxed child: loads a pair's bundled solution and answers the parent's requests.
// Plain JavaScript on purpose: it runs under Node's permission model with no loader.
//
// Protocol on fd 3, both ways: frames of [uint32 big-endian length][v8.serialize(message)].
//   parent → child: { type: 'call', id, name, args, get }
//   child → parent: { type: 'ready', exports } | { type: 'load-error', error }
//                   | { type: 'result', id, value } | { type: 'error', id, error }
import dgram from 'node:dgram';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { deserialize, serialize } from 'node:v8';
import { pathToFileURL } from 'node:url';

const [bundle, maxBytesArg, maxOutputArg] = process.argv.slice(2);
const maxBytes = Number(maxBytesArg);
const maxOutput = Number(maxOutputArg);
const channel = new net.Socket({ fd: 3, readable: true, writable: true });

function frame(message) {
  let body;
  try {
    body = serialize(message);
  } catch (error) {
    body = serialize({ type: 'error', id: message.id, error: { code: 'unserializable', message: `returned a value that cannot be sent back (${error.message}); return numbers, strings, arrays, typed arrays or plain objects` } });
  }
  if (body.length > maxBytes) {
    body = serialize({ type: 'error', id: message.id, error: { code: 'too-large', message: `returned ${body.length} bytes, more than the limit of ${maxBytes}` } });
  }
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}
const send = (message) => channel.write(frame(message));

// Network: Node 20's permission model does not cover it, so every way out is closed here
// before the pair's code runs (the parent adds a network namespace where it can).
const deny = () => {
  const error = new Error('network access is not allowed in the grading sandbox');
  error.code = 'ERR_SANDBOX_NETWORK';
  throw error;
};
const seal = (object, key) => Object.defineProperty(object, key, { value: deny, writable: false, configurable: false });
for (const [object, keys] of [
  [net, ['connect', 'createConnection', 'createServer']], [net.Socket.prototype, ['connect']], [net.Server.prototype, ['listen']],
  [tls, ['connect', 'createServer']], [dgram, ['createSocket']], [dgram.Socket.prototype, ['send', 'bind', 'connect']],
  [dns, ['lookup', 'resolve', 'resolve4', 'resolve6']], [dns.promises, ['lookup', 'resolve', 'resolve4', 'resolve6']],
  [http, ['request', 'get', 'createServer']], [https, ['request', 'get', 'createServer']],
  [http.Agent.prototype, ['createConnection']], [https.Agent.prototype, ['createConnection']],
]) for (const key of keys) seal(object, key);
for (const key of ['fetch', 'WebSocket', 'EventSource']) seal(globalThis, key);

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

function describeThrown(thrown) {
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
  if (message?.type !== 'call' || typeof message.name !== 'string') return;
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
      const value = await exported(...(args ?? []));
      send(overPrinted ? { type: 'error', id, error: outputError() } : { type: 'result', id, value });
    }
  } catch (thrown) {
    send({ type: 'error', id, error: overPrinted ? outputError() : describeThrown(thrown) });
  }
}

let buffered = Buffer.alloc(0);
let queue = Promise.resolve();
channel.on('data', (chunk) => {
  buffered = Buffer.concat([buffered, chunk]);
  while (buffered.length >= 4) {
    const length = buffered.readUInt32BE(0);
    if (buffered.length < 4 + length) break;
    const message = deserialize(buffered.subarray(4, 4 + length));
    buffered = buffered.subarray(4 + length);
    queue = queue.then(() => handle(message));
  }
});

try {
  solution = await import(pathToFileURL(bundle).href);
  if (overPrinted) throw Object.assign(new Error(outputError().message), { name: 'OutputLimit' });
  send({ type: 'ready', exports: Object.keys(solution).map((name) => ({ name, kind: typeof solution[name] })) });
} catch (thrown) {
  const error = describeThrown(thrown);
  send({ type: 'load-error', error: { code: 'load', message: `loading the solution failed: ${error.message}` } });
}
