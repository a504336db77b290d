/**
 * The schema of result.json, checked wherever a result is read back rather than made: the
 * cache (a stale or foreign record is regraded, never trusted) and `hw2 merge` (a record of
 * another shape is refused with the file, the field and what was expected). `resultVersion`
 * changes whenever the shape does; it is the record's own, apart from the hw2.json contract.
 */
import { z } from 'zod';
import { QUESTIONS, type SubmissionResult } from './vocabulary.ts';

/** 2: diagnoses as data ({ code, text }), resultVersion itself. (1: no resultVersion field.) */
export const RESULT_VERSION = 2;

const cell = z.union([z.string(), z.number(), z.null()]);
const verdict = z.enum(['right', 'carried', 'wrong', 'missing']);
const evidence = z.discriminatedUnion('type', [
  z.object({ type: z.literal('table'), columns: z.array(z.string()), rows: z.array(z.object({ cells: z.array(cell), verdicts: z.array(verdict.nullable()) })) }),
  z.object({ type: z.literal('histogram'), label: z.string(), min: z.number(), max: z.number(), counts: z.array(z.number()), expected: z.array(z.number()), expectedName: z.string() }),
  z.object({ type: z.literal('curves'), xLabel: z.string(), yLabel: z.string(), x: z.array(z.number()), series: z.record(z.string(), z.array(z.number())) }),
  z.object({ type: z.literal('thresholds'), label: z.string(), value: z.number(), thresholds: z.array(z.object({ label: z.string(), value: z.number() })) }),
]);
const integrity = z.object({ what: z.string(), claimed: z.number(), measured: z.number() });

const checkResult = z.object({
  id: z.string(),
  question: z.enum(QUESTIONS as [string, ...string[]]),
  title: z.string(),
  kind: z.enum(['auto', 'manual']),
  visibility: z.enum(['public', 'hidden']),
  status: z.enum(['pass', 'partial', 'fail', 'error', 'manual', 'hidden']),
  score: z.number(),
  points: z.number(),
  message: z.string(),
  diagnoses: z.array(z.object({ code: z.string(), text: z.string(), path: z.string().optional() })).optional(),
  issues: z.array(z.object({ code: z.string(), text: z.string(), path: z.string().optional() })).optional(),
  expected: z.unknown().optional(),
  actual: z.unknown().optional(),
  text: z.string().optional(),
  seed: z.number().optional(),
  evidence: evidence.optional(),
  ta: z.object({ points: z.number(), comment: z.string() }).optional(),
  cause: z.enum(['environment', 'harness']).optional(),
});

const ResultSchema = z.object({
  contract: z.literal(1),
  resultVersion: z.literal(RESULT_VERSION),
  harness: z.object({ name: z.literal('hw2-harness'), version: z.string() }),
  mode: z.enum(['grade', 'check']),
  cacheKey: z.string().optional(),
  submission: z.object({
    id: z.string(),
    path: z.string(),
    group: z.object({ ids: z.array(z.string()), names: z.array(z.string()).optional() }).optional(),
    hash: z.string(),
    files: z.array(z.object({ name: z.string(), bytes: z.number() })).optional(),
  }),
  score: z.number(),
  maxScore: z.number(),
  pendingManual: z.number(),
  heldBack: z.number(),
  incomplete: z.array(z.string()),
  problems: z.array(z.string()),
  integrity: z.array(integrity).optional(),
  solution: z.object({
    file: z.string(),
    isolation: z.object({ os: z.enum(['bubblewrap', 'unshare-net', 'none']), user: z.enum(['nobody', 'same']), permissionModel: z.literal(true) }).optional(),
    ms: z.number(),
    exports: z.array(z.string()),
    output: z.string().optional(),
    error: z.string().optional(),
  }).optional(),
  checks: z.array(checkResult),
});

export type ParsedResult = { ok: true; result: SubmissionResult } | { ok: false; message: string };

/** "result.json checks[3].status: expected one of ..., found ..." — the first few problems. */
function describe(error: z.ZodError): string {
  const where = (path: readonly PropertyKey[]) =>
    path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '') || '(top level)';
  const shown = error.issues.slice(0, 3).map((i) => `${where(i.path)}: ${i.message}`);
  return shown.join('; ') + (error.issues.length > 3 ? `; and ${error.issues.length - 3} more` : '');
}

/**
 * A result read back from a file, checked against this harness's shape. A record of another
 * version is named as such, so a TA knows to regrade rather than to look for a typo.
 */
export function parseResult(value: unknown): ParsedResult {
  const version = (value as { resultVersion?: unknown } | null)?.resultVersion;
  if (version !== RESULT_VERSION) {
    return { ok: false, message: `resultVersion: expected ${RESULT_VERSION}, found ${version === undefined ? 'none (an older harness wrote it)' : JSON.stringify(version)}; regrade with this harness` };
  }
  const parsed = ResultSchema.safeParse(value);
  if (!parsed.success) return { ok: false, message: describe(parsed.error) };
  return { ok: true, result: parsed.data as SubmissionResult };
}
