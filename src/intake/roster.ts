/**
 * The course's roster, from Moodle: the participants export (Participants → select all →
 * "Download table data as" CSV, with "ID number" among the identity fields shown) or the
 * assignment's grading worksheet ("Identifier", "Full name", "ID number", ...). It tells who
 * uploaded each folder of "Download all submissions": that folder is named
 * `<Full name>_<participant>_assignsubmission_file_`, where <participant> is Moodle's own
 * per-assignment number (not the student's ID number), so the uploader is found by the
 * worksheet's "Identifier" ("Participant 1234567") when the roster has it, else by full name.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { UsageError } from '../core/errors.ts';

export interface Roster {
  file: string;
  /** Every ID number on the roster. */
  ids: Set<string>;
  /** Moodle's participant number → ID number (from a grading worksheet's Identifier). */
  byParticipant: Map<string, string>;
  /** Normalized full name → ID numbers (more than one: namesakes, so the name cannot decide). */
  byName: Map<string, string[]>;
}

/** Names as Moodle writes them into folder names: '_' became ' '; case and spacing vary. */
export const normalizeName = (name: string) => name.normalize('NFC').replace(/_/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase();
const header = (h: string) => h.normalize('NFC').toLowerCase().replace(/[^a-z0-9]/g, '');

export function parseRoster(text: string, file: string): Roster {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
  } catch (error) {
    throw new UsageError(`--roster ${file}: not a readable CSV (${String((error as Error).message).slice(0, 200)})`);
  }
  const [head, ...body] = rows;
  const columns = (head ?? []).map(header);
  const col = (...names: string[]) => columns.findIndex((c) => names.includes(c));
  const idCol = col('idnumber');
  if (idCol < 0) {
    throw new UsageError(`--roster ${file}: no "ID number" column (found: ${(head ?? []).join(', ') || 'nothing'}); export the participants with ID number shown`);
  }
  const identifierCol = col('identifier');
  const fullCol = col('fullname');
  const firstCol = col('firstname');
  const lastCol = col('lastname', 'surname');
  const roster: Roster = { file, ids: new Set(), byParticipant: new Map(), byName: new Map() };
  for (const row of body) {
    const id = row[idCol]?.trim();
    if (!id) continue;
    roster.ids.add(id);
    const participant = identifierCol >= 0 ? /(\d+)\s*$/.exec(row[identifierCol] ?? '')?.[1] : undefined;
    if (participant) roster.byParticipant.set(participant, id);
    const name = fullCol >= 0 ? row[fullCol] : firstCol >= 0 && lastCol >= 0 ? `${row[firstCol] ?? ''} ${row[lastCol] ?? ''}` : undefined;
    if (name?.trim()) {
      const key = normalizeName(name);
      roster.byName.set(key, [...(roster.byName.get(key) ?? []), id]);
    }
  }
  if (!roster.ids.size) throw new UsageError(`--roster ${file}: no row has an ID number`);
  return roster;
}

export async function loadRoster(file: string): Promise<Roster> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new UsageError(`--roster ${file}: cannot read the file`);
  });
  return parseRoster(text, file);
}

/** The ID number of whoever uploaded a Moodle folder, or why it cannot be told. */
export function uploaderOf(roster: Roster, fullName: string, participant: string): { id: string } | { problem: string } {
  const byNumber = roster.byParticipant.get(participant);
  if (byNumber) return { id: byNumber };
  const ids = roster.byName.get(normalizeName(fullName));
  if (!ids?.length) return { problem: `its uploader, ${fullName} (participant ${participant}), is not on the roster ${roster.file}` };
  if (new Set(ids).size > 1) return { problem: `its uploader's name, ${fullName}, belongs to several students on the roster ${roster.file} (ID numbers ${ids.join(', ')}); a roster with Moodle's Identifier column (the grading worksheet) tells them apart` };
  return { id: ids[0]! };
}
