/**
 * JSON a submission wrote (hw2.json, notebooks, histories), parsed with limits. V8's
 * JSON.parse is itself iterative, so it cannot overflow the stack; what can is everything
 * that walks the result afterwards (zod, structuredClone, JSON.stringify), so the depth is
 * checked here, by an explicit stack, before anything else sees the value. Keys that would
 * reach an object's prototype when a value is later copied by assignment (`__proto__`, and
 * `constructor` holding a `prototype`, the two forms secure-json-parse removes) are dropped,
 * and each drop is reported with the field's path so the student knows what was ignored.
 *
 * secure-json-parse (fastify) was considered: it installs and is maintained, but it removes
 * such keys silently and does not bound depth or counts, so this walk would be needed anyway;
 * doing the removal here as well keeps one pass and lets the message name the field.
 */

export interface JsonLimits {
  /** Nesting of arrays and objects; the top-level value is depth 1. */
  maxDepth: number;
  /** Values in the whole document (every object, array, string, number...). */
  maxValues: number;
  /** Keys of one object. */
  maxKeys: number;
  /** Characters of one key: a key lands in messages. */
  maxKeyChars: number;
}

/** hw2.json: Q5's parameters nest 7 deep at most; 1,000,000 values is far past any honest answer. */
export const MANIFEST_JSON_LIMITS: JsonLimits = { maxDepth: 32, maxValues: 1_000_000, maxKeys: 10_000, maxKeyChars: 200 };
/** Notebooks: outputs are lists of lines, so they hold many values, but nest little. */
export const NOTEBOOK_JSON_LIMITS: JsonLimits = { maxDepth: 64, maxValues: 5_000_000, maxKeys: 100_000, maxKeyChars: 1000 };
/** Training histories: rows or series of numbers. */
export const HISTORY_JSON_LIMITS: JsonLimits = { maxDepth: 8, maxValues: 2_000_000, maxKeys: 10_000, maxKeyChars: 200 };

export type BoundedJson =
  | { ok: true; value: unknown; /** Fields that were dropped, one sentence each. */ dropped: string[] }
  | { ok: false; message: string; /** JSON.parse's own failure, for callers that locate it themselves. */ syntax?: boolean };

/** A path for messages: answers.q2["__proto__"], bounded so a long key cannot flood them. */
function pathText(path: readonly (string | number)[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)}]`;
  }
  return out || '(top level)';
}

const forbidden = (key: string, value: unknown): boolean =>
  key === '__proto__' ||
  (key === 'constructor' && typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, 'prototype'));

/**
 * The deepest nesting of brackets in JSON text, outside strings, or the offset where it
 * first passes `max`. Run before JSON.parse so that a document nested a million deep is
 * refused without being built, and before any recursive tool (a parser that locates a
 * syntax error, say) sees it.
 */
export function depthExceeded(text: string, max: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

/** "line L, column C" of an offset, for messages. */
export function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

/**
 * Parses `text` and checks it against `limits`; never throws for what a submission wrote.
 * `file` names the document in messages (its path inside the submission).
 */
export function parseBoundedJson(text: string, file: string, limits: JsonLimits): BoundedJson {
  const deep = depthExceeded(text, limits.maxDepth);
  if (deep >= 0) return { ok: false, message: `${file} is nested more than ${limits.maxDepth} levels deep at ${lineColumn(text, deep)} (limit); it was not read` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // V8's message quotes the text around the error; bounded so a long line is not copied.
    const message = String((error as Error).message).slice(0, 200);
    return { ok: false, syntax: true, message: `${file} is not valid JSON (${message})` };
  }
  const dropped: string[] = [];
  let values = 1;
  // An explicit stack of containers, each with a link to its parent for messages: no
  // recursion on the submission's nesting, and no per-value path arrays. Scalars are only
  // counted, never pushed, so a long array of numbers costs no stack entries.
  interface Frame { node: object; depth: number; parent?: Frame; key?: string | number }
  const pathOf = (frame: Frame | undefined, last?: string | number): string => {
    const keys: (string | number)[] = last === undefined ? [] : [last];
    for (let f = frame; f && f.key !== undefined; f = f.parent) keys.unshift(f.key);
    return pathText(keys);
  };
  const tooMany = (): BoundedJson => ({ ok: false, message: `${file} holds more than ${limits.maxValues} values (limit); it was not read` });
  if (typeof value !== 'object' || value === null) return { ok: true, value, dropped };
  const stack: Frame[] = [{ node: value, depth: 1 }];
  while (stack.length) {
    const frame = stack.pop()!;
    if (frame.depth > limits.maxDepth) {
      return { ok: false, message: `${file} ${pathOf(frame)}: nested more than ${limits.maxDepth} levels deep (limit); it was not read` };
    }
    const visit = (child: unknown, key: string | number) => {
      values++;
      if (typeof child === 'object' && child !== null) stack.push({ node: child, depth: frame.depth + 1, parent: frame, key });
    };
    if (Array.isArray(frame.node)) {
      if (values + frame.node.length > limits.maxValues) return tooMany();
      for (let i = frame.node.length - 1; i >= 0; i--) visit(frame.node[i], i);
      continue;
    }
    const record = frame.node as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length > limits.maxKeys) {
      return { ok: false, message: `${file} ${pathOf(frame)}: has ${keys.length} keys, more than the limit of ${limits.maxKeys}; it was not read` };
    }
    if (values + keys.length > limits.maxValues) return tooMany();
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      if (key.length > limits.maxKeyChars) {
        return { ok: false, message: `${file} ${pathOf(frame)}: a key of ${key.length} characters, more than the limit of ${limits.maxKeyChars}; it was not read` };
      }
      if (forbidden(key, record[key])) {
        dropped.unshift(`${file} ${pathOf(frame, key)}: the key "${key}" is not allowed (it could change what an object inherits); ignored`);
        delete record[key];
        continue;
      }
      visit(record[key], key);
    }
  }
  return { ok: true, value, dropped };
}
