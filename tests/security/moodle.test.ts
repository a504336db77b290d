/**
 * Moodle's "Download all submissions": every upload is its own. One over a limit is refused
 * alone; different uploads claiming one pair are all graded and flagged, none replaces
 * another; identical uploads from both partners are graded once; and with --roster an upload
 * that is not its uploader's pair's is refused and named. Built here from small real zips.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover } from '../../src/intake/discover.ts';
import { parseRoster } from '../../src/intake/roster.ts';
import { gradePath } from '../../src/engine/pipeline.ts';
import { DEFAULT_ZIP_LIMITS } from '../../src/sandbox/zip.ts';
import type { SubmissionResult } from '../../src/core/vocabulary.ts';
import { correctAnswers, RUBRIC } from '../helpers.ts';
import { hw2 } from '../helpers-cli.ts';
import { writeZip, type ZipEntry } from '../zip-writer.ts';
import { REGISTRY } from '../../checks/index.ts';

const A = '123456782';
const B = '234567891';
const C = '345678902';
const D = '456789013';
const upload = (ids: string[], answers: unknown = { q4: correctAnswers().q4 }) =>
  writeZip([{ name: 'hw2.json', data: Buffer.from(JSON.stringify({ contract: 1, group: { ids }, answers })), deflate: true }]);
const folder = (name: string, participant: number) => `${name}_${participant}_assignsubmission_file_`;

async function download(entries: ZipEntry[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hw2-sec-moodle-'));
  const file = join(dir, 'HW2-Download all submissions.zip');
  await writeFile(file, writeZip(entries));
  return file;
}

describe('a Moodle download where each upload is its own', () => {
  it('an upload over the compression-ratio limit is refused alone; the others are found, and grading it gives the reason', async () => {
    const file = await download([
      { name: `${folder('Alice Good', 1001)}/ee046211_hw2_${A}_${B}.zip`, data: upload([A, B]) },
      // A raw hw2.json of 4 MB of spaces: 4,000 times smaller deflated.
      { name: `${folder('Carol Bomb', 1003)}/hw2.json`, data: Buffer.alloc(4 * 1024 * 1024, 32), deflate: true },
    ]);
    const warnings: string[] = [];
    const { units } = await discover([file], DEFAULT_ZIP_LIMITS, warnings);
    expect(units.map((u) => u.id).sort()).toEqual(['Carol_Bomb_1003_assignsubmission_file_', `ee046211_hw2_${A}_${B}`]);
    const refused = units.find((u) => u.origin === folder('Carol Bomb', 1003))!;
    expect(refused.problem).toMatch(/^the upload of Carol Bomb_1003_assignsubmission_file_ was refused: entry "Carol Bomb_1003_assignsubmission_file_\/hw2\.json" expands \d+ times \(limit 200\): a zip bomb\?$/);
    expect(warnings).toEqual([refused.problem]);
    const graded = await gradePath(refused.path, REGISTRY, RUBRIC, { mode: 'grade', seed: 211, id: refused.id, warnings: refused.warnings, ...(refused.problem ? { problem: refused.problem } : {}) });
    expect(graded.result.score).toBe(0);
    expect(graded.result.problems[0]).toBe(refused.problem);
  });

  it('the CLI grades the rest of the batch and exits 0', async () => {
    const file = await download([
      { name: `${folder('Alice Good', 1001)}/ee046211_hw2_${A}_${B}.zip`, data: upload([A, B]) },
      { name: `${folder('Carol Bomb', 1003)}/hw2.json`, data: Buffer.alloc(4 * 1024 * 1024, 32), deflate: true },
    ]);
    const out = join(file, '..', 'out');
    const run = await hw2(['grade', file, '--out', out, '--no-pdf', '--jobs', '1']);
    expect(run.stderr).toMatch(/the upload of Carol Bomb_1003_assignsubmission_file_ was refused: .*a zip bomb\?/);
    expect(run.code).toBe(0);
    const good: SubmissionResult = JSON.parse(await readFile(join(out, `ee046211_hw2_${A}_${B}`, 'result.json'), 'utf8'));
    expect(good.submission.group?.ids).toEqual([A, B]);
    expect(existsSync(join(out, 'Carol_Bomb_1003_assignsubmission_file_', 'result.json'))).toBe(true);
  }, 120_000);

  it('an upload that spells the pair\'s name in other case or order claims the same pair, and is flagged', async () => {
    // found by an independent attacker: EE046211_HW2_… was graded apart, with no warning
    const file = await download([
      { name: `${folder('Alice Good', 1001)}/ee046211_hw2_${A}_${B}.zip`, data: upload([A, B]) },
      { name: `${folder('Mallory Other', 1004)}/EE046211_HW2_${B}_${A}.zip`, data: upload([A, B], {}) },
    ]);
    const { units } = await discover([file], DEFAULT_ZIP_LIMITS);
    expect(units.map((u) => u.id)).toEqual([`ee046211_hw2_${A}_${B}-1001`, `ee046211_hw2_${A}_${B}-1004`]);
    for (const u of units) expect(u.warnings.join(' ')).toMatch(/two different uploads claim pair/);
  });

  it('two different uploads claiming one pair are both graded under their own ids, each with the conflict', async () => {
    const file = await download([
      { name: `${folder('Alice Good', 1001)}/ee046211_hw2_${A}_${B}.zip`, data: upload([A, B]) },
      { name: `${folder('Eve Other', 1005)}/ee046211_hw2_${A}_${B}.zip`, data: upload([A, B], {}) },
    ]);
    const { units } = await discover([file], DEFAULT_ZIP_LIMITS);
    expect(units.map((u) => u.id)).toEqual([`ee046211_hw2_${A}_${B}-1001`, `ee046211_hw2_${A}_${B}-1005`]);
    const conflict = `two different uploads claim pair ${A}_${B}: from ${folder('Alice Good', 1001)} and from ${folder('Eve Other', 1005)}; both graded, a TA must decide`;
    for (const u of units) expect(u.warnings).toEqual([conflict]);
  });

  it('identical uploads from both partners are graded once, with the note', async () => {
    const same = upload([A, B]);
    const file = await download([
      { name: `${folder('Alice Good', 1001)}/ee046211_hw2_${A}_${B}.zip`, data: same },
      { name: `${folder('Bob Partner', 1002)}/ee046211_hw2_${A}_${B}.zip`, data: same },
    ]);
    const { units } = await discover([file], DEFAULT_ZIP_LIMITS);
    expect(units).toHaveLength(1);
    expect(units[0]!.warnings).toEqual([`submitted twice, by ${folder('Alice Good', 1001)} and by ${folder('Bob Partner', 1002)}; graded the copy of ${folder('Alice Good', 1001)}`]);
  });
});

describe('--roster: who uploaded for which ids', () => {
  const roster = ['First name,Last name,ID number,Email address', `Alice,Good,${A},a@x`, `Bob,Partner,${B},b@x`, `Eve,Other,${C},e@x`].join('\n');

  it('reads the participants export and finds uploaders by full name or by the worksheet\'s Identifier', () => {
    const r = parseRoster(`\ufeff${roster}`, 'participants.csv');
    expect([...r.ids]).toEqual([A, B, C]);
    expect(r.byName.get('alice good')).toEqual([A]);
    const worksheet = parseRoster(`Identifier,Full name,ID number\nParticipant 1005,Eve Other,${C}\n`, 'grades.csv');
    expect(worksheet.byParticipant.get('1005')).toBe(C);
    expect(() => parseRoster('First name,Last name\nA,B\n', 'p.csv')).toThrow('--roster p.csv: no "ID number" column (found: First name, Last name); export the participants with ID number shown');
  });

  it('refuses, and names, an upload for a pair its uploader is not in, or for ids not on the roster; the pair\'s own upload stands', async () => {
    const file = await download([
      { name: `${folder('Alice Good', 1001)}/ee046211_hw2_${A}_${B}.zip`, data: upload([A, B]) },
      // Eve uploads a different zip named after Alice and Bob's pair.
      { name: `${folder('Eve Other', 1005)}/ee046211_hw2_${A}_${B}.zip`, data: upload([A, B], {}) },
      { name: `${folder('Eve Other2', 1006)}/ee046211_hw2_${C}_${D}.zip`, data: upload([C, D]) },
      { name: `${folder('Mallory Unknown', 1007)}/ee046211_hw2_${C}.zip`, data: upload([C]) },
    ]);
    const rosterFile = join(file, '..', 'participants.csv');
    await writeFile(rosterFile, `${roster}\nEve,Other2,${C},e2@x\n`);
    const { units } = await discover([file], DEFAULT_ZIP_LIMITS, [], { roster: parseRoster(await readFile(rosterFile, 'utf8'), 'participants.csv') });
    const byOrigin = Object.fromEntries(units.map((u) => [u.origin, u]));
    expect(byOrigin[folder('Alice Good', 1001)]).toMatchObject({ id: `ee046211_hw2_${A}_${B}`, warnings: [] });
    expect(byOrigin[folder('Alice Good', 1001)]!.problem).toBeUndefined();
    expect(byOrigin[folder('Eve Other', 1005)]).toMatchObject({
      id: `ee046211_hw2_${A}_${B}-1005`,
      problem: `the upload of ${folder('Eve Other', 1005)} was refused: it claims pair ${A}_${B}, but its uploader's ID number is ${C}`,
    });
    expect(byOrigin[folder('Eve Other2', 1006)]).toMatchObject({ problem: `the upload of ${folder('Eve Other2', 1006)} was refused: it claims id ${D}, not on the roster participants.csv` });
    expect(byOrigin[folder('Mallory Unknown', 1007)]).toMatchObject({ problem: `the upload of ${folder('Mallory Unknown', 1007)} was refused: its uploader, Mallory Unknown (participant 1007), is not on the roster participants.csv` });
    // Graded, each refused upload scores 0 with its reason; the pair's own result is untouched.
    const eve = byOrigin[folder('Eve Other', 1005)]!;
    const graded = await gradePath(eve.path, REGISTRY, RUBRIC, { mode: 'grade', seed: 211, id: eve.id, problem: eve.problem! });
    expect(graded.result.score).toBe(0);
    expect(graded.result.problems[0]).toBe(eve.problem);
  });

  it('hw2 grade --roster: a missing ID number column is a usage error (exit 2)', async () => {
    const file = await download([{ name: `${folder('Alice Good', 1001)}/ee046211_hw2_${A}_${B}.zip`, data: upload([A, B]) }]);
    const rosterFile = join(file, '..', 'bad.csv');
    await writeFile(rosterFile, 'First name,Last name\nA,B\n');
    const run = await hw2(['grade', file, '--out', join(file, '..', 'out'), '--no-pdf', '--roster', rosterFile]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no "ID number" column/);
    expect(existsSync(join(file, '..', 'out'))).toBe(false);
  }, 60_000);
});
