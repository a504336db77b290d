/**
 * Every string a submission controls, bounded before a result is written. A student's name,
 * id, answer text, printed output or a value echoed back as `actual` is data we keep, but
 * not without limit: one 40 MB string would be copied into result.json, report.html, the
 * PDF, summary.html, the CSVs and junit.xml. boundResult cuts each string to a length with a
 * visible marker, so a TA sees that something was cut and how much.
 *
 * The walk is iterative (a result's `expected`/`actual` can hold what the student nested)
 * and builds a new value, so the input is left as it was. Nesting deeper than MAX_DEPTH is
 * replaced by a note: the writers after this (JSON.stringify, templates) recurse.
 */
import type { SubmissionResult } from '../core/vocabulary.ts';
import { DEFAULT_MAX_NAME_CHARS, DEFAULT_MAX_STRING_CHARS } from '../rubric/rubric.ts';
import { boundString } from '../util/text.ts';
const MAX_DEPTH = 64;


interface Frame {
  src: object;
  dst: Record<string, unknown> | unknown[];
  depth: number;
  parent?: Frame;
  key?: string | number;
}

/** Keys from the root, for frames near it (names live at most four levels down). */
function pathOf(frame: Frame | undefined, key: string | number): (string | number)[] {
  const path: (string | number)[] = [key];
  for (let f = frame; f && f.key !== undefined; f = f.parent) path.unshift(f.key);
  return path;
}

/** Where a result holds an id or a name rather than prose. */
function isName(path: (string | number)[]): boolean {
  const [a, b, c, d] = path;
  if (a === 'submission') return b === 'id' || b === 'path' || b === 'group' || (b === 'files' && d === 'name');
  if (a === 'solution') return b === 'file' || b === 'exports';
  if (a === 'checks') return c === 'id' || c === 'title';
  return false;
}

/** Sets a property as data, whatever its name ("__proto__" included). */
function put(target: Record<string, unknown> | unknown[], key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A copy of `result` with every string at most `maxChars` characters (ids and names at most
 * `maxNameChars`), object keys included, and nesting cut at MAX_DEPTH levels.
 */
export function boundResult(result: SubmissionResult, maxChars: number, maxNameChars: number = Math.min(maxChars, DEFAULT_MAX_NAME_CHARS)): SubmissionResult {
  const root: Record<string, unknown> = {};
  const stack: Frame[] = [{ src: result, dst: root, depth: 0 }];
  while (stack.length) {
    const frame = stack.pop()!;
    const entries: [string | number, unknown][] = Array.isArray(frame.src)
      ? frame.src.map((v, i) => [i, v])
      : Object.keys(frame.src).map((k) => [k, (frame.src as Record<string, unknown>)[k]]);
    for (const [rawKey, value] of entries) {
      const key = typeof rawKey === 'string' ? boundString(rawKey, maxNameChars) : rawKey;
      if (typeof value === 'string') {
        const limit = frame.depth < 4 && isName(pathOf(frame, rawKey)) ? maxNameChars : maxChars;
        put(frame.dst, key, boundString(value, limit));
      } else if (typeof value === 'object' && value !== null) {
        if (frame.depth + 1 >= MAX_DEPTH) {
          put(frame.dst, key, `… (nested deeper than ${MAX_DEPTH} levels; cut)`);
          continue;
        }
        const dst = Array.isArray(value) ? new Array<unknown>(value.length) : {};
        put(frame.dst, key, dst);
        stack.push({ src: value, dst, depth: frame.depth + 1, parent: frame, key: rawKey });
      } else {
        put(frame.dst, key, value);
      }
    }
  }
  return root as unknown as SubmissionResult;
}
