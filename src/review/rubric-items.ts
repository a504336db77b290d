/**
 * The rubric's manual section (reference notes and rubric items per manual check), read from
 * and written back into the rubric file the TA grades with. The file is edited as JSON, every
 * other field kept as it was, under the same lock and atomic write as the decisions.
 */
import { readFile } from 'node:fs/promises';
import { ManualSectionSchema, type ManualSection, type RubricItem } from '../rubric/rubric.ts';
import { writeAtomic } from '../util/atomic.ts';
import { withLock } from './store.ts';

async function readRaw(file: string): Promise<Record<string, unknown>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot read the rubric (${(error as Error).message})`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${file}: expected a JSON object`);
  return raw as Record<string, unknown>;
}

/** The rubric's manual section, validated; `{}` when it has none. */
export async function readManualSection(file: string): Promise<ManualSection> {
  const parsed = ManualSectionSchema.safeParse((await readRaw(file)).manual);
  if (!parsed.success) throw new Error(`${file}: manual: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Replaces the rubric items of `check` (its notes kept), and returns the section as saved. */
export async function saveItems(file: string, check: string, items: RubricItem[]): Promise<ManualSection> {
  return withLock(file, async () => {
    const raw = await readRaw(file);
    const manual = { ...(raw.manual as ManualSection | undefined) };
    manual[check] = { ...manual[check], items };
    const parsed = ManualSectionSchema.safeParse(manual);
    if (!parsed.success) throw new Error(`rubric items of ${check}: ${parsed.error.issues.map((i) => `${i.path.slice(1).join('.')}: ${i.message}`).join('; ')}`);
    // A rubric without the section gets it after `total`, where the default rubric has it.
    const next: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (k !== 'manual') next[k] = v;
      if (k === 'total' || (k === 'manual' && 'manual' in raw)) next.manual = manual;
    }
    next.manual ??= manual;
    await writeAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
    return parsed.data;
  });
}
