/**
 * Builds what Moodle's "Download all submissions" gives a TA, from the example submissions:
 * one folder per student, `<Full name>_<participant>_assignsubmission_file_`, holding the
 * pair's upload `ee046211_hw2_<id1>_<id2>.zip`. Each example gets fresh ids, so `copies`
 * rounds of the examples make distinct pairs; the first pair's partner uploads too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeZip, type ZipEntry } from './zip-writer.ts';

const SOLUTIONS = new URL('../solutions/', import.meta.url).pathname;

function filesOf(dir: string, prefix = ''): { name: string; data: Buffer }[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesOf(dir, join(prefix, e.name)) : [{ name: join(prefix, e.name), data: readFileSync(join(dir, prefix, e.name)) }]);
}

export interface MoodleBatch {
  zip: Buffer;
  /** The submission ids the harness should find: ee046211_hw2_<id1>_<id2>. */
  ids: string[];
  /** example folder → submission id */
  origin: Record<string, string>;
}

export function moodleBatch(copies = 1, only?: (name: string) => boolean, limit = Infinity): MoodleBatch {
  const examples = readdirSync(SOLUTIONS).filter((n) => !n.startsWith('_') && !n.startsWith('broken') && (!only || only(n))).sort();
  const entries: ZipEntry[] = [];
  const ids: string[] = [];
  const origin: Record<string, string> = {};
  let participant = 1000;
  let k = 0;
  for (let copy = 0; copy < copies; copy++) {
    for (const example of examples) {
      if (k >= limit) break;
      const pair = [String(300_000_000 + 2 * k), String(300_000_001 + 2 * k)];
      k++;
      const stem = `ee046211_hw2_${pair.join('_')}`;
      const inner = filesOf(join(SOLUTIONS, example)).map(({ name, data }) => {
        if (name === 'hw2.json') {
          const doc = JSON.parse(data.toString());
          if (doc.group) doc.group.ids = pair;
          return { name, data: Buffer.from(JSON.stringify(doc)) };
        }
        return { name: name.endsWith('.ipynb') ? `${stem}.ipynb` : name, data };
      });
      const upload = writeZip(inner.map((f) => ({ ...f, deflate: true })));
      const student = (p: number, who: string) => `${who} ${example}_${p}_assignsubmission_file_/${stem}.zip`;
      entries.push({ name: student(participant++, 'Student'), data: upload });
      if (k === 1) entries.push({ name: student(participant++, 'Partner'), data: upload });
      ids.push(stem);
      if (copy === 0) origin[example] = stem;
    }
  }
  return { zip: writeZip(entries), ids: ids.sort(), origin };
}
