/**
 * Intake never follows a link and reads only a private, bounded copy: each fixture is built
 * here, in a temporary folder, from real files (links, a FIFO, /dev/zero, folders where files
 * are expected, empty files, a submission that vanishes), and graded by the real pipeline.
 * A hostile submission must cost only its own score, with a message that names the entry as
 * the submission names it — never the temporary folder, never the linked file's contents.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradePath } from '../../src/engine/pipeline.ts';
import { removeStaged, stageSubmission, DEFAULT_STAGE_LIMITS } from '../../src/intake/stage.ts';
import { readSubmissionFile } from '../../src/intake/files.ts';
import { readArrays } from '../../src/data/attachments.ts';
import { loadSubmission } from '../../src/contract/load.ts';
import { DEFAULT_ZIP_LIMITS, extractZip } from '../../src/sandbox/zip.ts';
import { correctAnswers, RUBRIC } from '../helpers.ts';
import { writeZip } from '../zip-writer.ts';
import { REGISTRY } from '../../checks/index.ts';

const REFERENCE_RUBRIC = new URL('../../reference/rubric.json', import.meta.url).pathname;
const manifest = (answers: unknown = { q4: correctAnswers().q4 }) => JSON.stringify({ contract: 1, group: { ids: ['123456782', '234567891'] }, answers });

async function batchDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'hw2-sec-intake-'));
}

async function pair(root: string, name: string, extra: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir);
  await writeFile(join(dir, 'hw2.json'), manifest());
  await extra(dir);
  return dir;
}

async function grade(dir: string) {
  const graded = await gradePath(dir, REGISTRY, RUBRIC, { mode: 'grade', seed: 211 });
  return { result: graded.result, text: JSON.stringify(graded.result) };
}

/** Temporary folders of the harness still on disk (a staged copy must be removed). */
async function stagedLeft(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((n) => n.startsWith('hw2-stage-'));
}

describe('staging refuses what is not a plain file or folder, in folders as in zips', () => {
  it('a link to / : refused with the entry named; nothing of /proc or /etc reaches the result', async () => {
    const root = await batchDir();
    const dir = await pair(root, 'root-link', async (d) => symlink('/', join(d, 'root')));
    const before = await stagedLeft();
    const { result, text } = await grade(dir);
    expect(result.score).toBe(0);
    expect(result.problems[0]).toBe('root-link: root is a symbolic link; links are not accepted (a submission must hold its files, not point elsewhere)');
    expect(text).not.toMatch(/root:x:0:0|PATH=|hw2-stage-/);
    expect(await stagedLeft()).toEqual(before);
  });

  it('a link to a file outside (the answer key) and hw2.json as a link to a neighbour\'s: refused, never read', async () => {
    const root = await batchDir();
    const key = await pair(root, 'key-link', async (d) => symlink(REFERENCE_RUBRIC, join(d, 'key.json')));
    expect((await grade(key)).result.problems[0]).toMatch(/^key-link: key\.json is a symbolic link/);
    const neighbour = await pair(root, 'neighbour', async () => undefined);
    await writeFile(join(neighbour, 'hw2.json'), manifest(correctAnswers()));
    const thief = join(root, 'thief');
    await mkdir(thief);
    await symlink(join(neighbour, 'hw2.json'), join(thief, 'hw2.json'));
    const { result } = await grade(thief);
    expect(result.score).toBe(0);
    expect(result.problems[0]).toMatch(/^thief: hw2\.json is a symbolic link/);
    expect(result.submission.group).toBeUndefined();
  });

  it('a link to /dev/zero and a FIFO: refused at once, not read until memory runs out', async () => {
    const root = await batchDir();
    const zero = await pair(root, 'zero', async (d) => symlink('/dev/zero', join(d, 'xavier_128_64.npy')));
    const started = Date.now();
    expect((await grade(zero)).result.problems[0]).toMatch(/^zero: xavier_128_64\.npy is a symbolic link/);
    const fifo = await pair(root, 'fifo', async (d) => {
      execFileSync('mkfifo', [join(d, 'history.json')]);
    });
    expect((await grade(fifo)).result.problems[0]).toBe('fifo: history.json is a FIFO (named pipe); only files and folders are accepted');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('a zip: a link, a FIFO entry, and a file that is also a folder are each named', async () => {
    const root = await batchDir();
    const zip = async (name: string, entries: Parameters<typeof writeZip>[0]) => {
      const file = join(root, name);
      await writeFile(file, writeZip(entries));
      return (await grade(file)).result.problems[0];
    };
    const good = { name: 'hw2.json', data: Buffer.from(manifest()) };
    expect(await zip('fifo.zip', [good, { name: 'pipe', data: Buffer.alloc(0), mode: 0o010644 }])).toBe('fifo.zip: entry "pipe" is a FIFO (named pipe); only files and folders are accepted');
    expect(await zip('both.zip', [good, { name: 'models', data: Buffer.from('x') }, { name: 'models/mlp.onnx', data: Buffer.from('y') }])).toBe('both.zip: entry "models" is both a file and a folder');
    expect(await zip('both2.zip', [good, { name: 'models/', data: Buffer.alloc(0) }, { name: 'models', data: Buffer.from('y') }])).toBe('both2.zip: entry "models" is both a file and a folder');
    expect(await zip('twice.zip', [good, good])).toBe('twice.zip: entry "hw2.json" appears twice');
  });

  it('limits come from lstat before a byte is read: files, depth, one file\'s size, the total', async () => {
    const root = await batchDir();
    const deep = await pair(root, 'deep', async (d) => {
      await mkdir(join(d, ...Array.from({ length: 20 }, (_, i) => `d${i}`)), { recursive: true });
    });
    expect((await grade(deep)).result.problems[0]).toMatch(/^deep: d0\/d1\/.*d16 is nested 17 levels deep, more than the limit of 16$/);
    const src = await pair(root, 'sizes', async (d) => writeFile(join(d, 'big.bin'), Buffer.alloc(2048)));
    const limits = { ...DEFAULT_STAGE_LIMITS, maxFileBytes: 1024 };
    expect(await stageSubmission(src, 'sizes', limits, DEFAULT_ZIP_LIMITS)).toEqual({ ok: false, message: 'sizes: big.bin is 2048 bytes, more than the limit of 1024 for one file' });
    expect(await stageSubmission(src, 'sizes', { ...DEFAULT_STAGE_LIMITS, maxTotalBytes: 1024 }, DEFAULT_ZIP_LIMITS)).toMatchObject({ ok: false, message: 'sizes: holds more than 1024 bytes (limit)' });
    expect(await stageSubmission(src, 'sizes', { ...DEFAULT_STAGE_LIMITS, maxFiles: 1 }, DEFAULT_ZIP_LIMITS)).toMatchObject({ ok: false, message: 'sizes: holds more than 1 files and folders (limit)' });
  });

  it('the copy is read-only, readable by any uid, private in listing, and removed afterwards', async () => {
    const root = await batchDir();
    const src = await pair(root, 'sealed', async (d) => {
      await mkdir(join(d, 'history'));
      await writeFile(join(d, 'history', 'mlp.json'), '[{"epoch":1,"loss":1}]');
    });
    const staged = await stageSubmission(src, 'sealed', DEFAULT_STAGE_LIMITS, DEFAULT_ZIP_LIMITS);
    if (!staged.ok) throw new Error(staged.message);
    expect(statSync(staged.root).mode & 0o777).toBe(0o711);
    expect(statSync(staged.dir).mode & 0o777).toBe(0o555);
    expect(statSync(join(staged.dir, 'history')).mode & 0o777).toBe(0o555);
    expect(statSync(join(staged.dir, 'hw2.json')).mode & 0o777).toBe(0o444);
    await removeStaged(staged.root);
    expect(existsSync(staged.root)).toBe(false);
  });
});

describe('every file a submission names is checked to be a regular file of a bounded size', () => {
  it('hw2.json that is a folder, or empty: that submission\'s clear error, not EISDIR for the batch', async () => {
    const root = await batchDir();
    const folder = join(root, 'folder');
    await mkdir(join(folder, 'hw2.json'), { recursive: true });
    const { result } = await grade(folder);
    expect(result.problems[0]).toBe('hw2.json is a folder; expected a file: every automatic check is scored as not submitted');
    const empty = join(root, 'empty');
    await mkdir(empty);
    await writeFile(join(empty, 'hw2.json'), '');
    expect((await grade(empty)).result.problems[0]).toBe('hw2.json is empty (0 bytes): every automatic check is scored as not submitted');
  });

  it('an .npy sample that is a folder or empty, named with the field that names it', async () => {
    const root = await batchDir();
    const dir = join(root, 'npy');
    await mkdir(join(dir, 'xavier_128_64.npy'), { recursive: true });
    await writeFile(join(dir, 'kaiming_128_64.npy'), '');
    const answers = correctAnswers();
    await writeFile(join(dir, 'hw2.json'), manifest(answers));
    const sub = await loadSubmission(dir);
    const arrays = await readArrays(sub.dir, sub.answers, 1e6);
    expect(arrays['xavier_128_64.npy']).toEqual({ ok: false, message: 'xavier_128_64.npy (hw2.json answers.task1.samples) is a folder; expected a file' });
    expect(arrays['kaiming_128_64.npy']).toEqual({ ok: false, message: 'kaiming_128_64.npy (hw2.json answers.task1.samples) is empty (0 bytes)' });
  });

  it('readSubmissionFile (for histories and models): a folder, a link, a climb out, a missing file, too big', async () => {
    const root = await batchDir();
    await mkdir(join(root, 'history', 'mlp.json'), { recursive: true });
    await symlink('/etc/passwd', join(root, 'passwd.csv'));
    await writeFile(join(root, 'big.json'), '[1,2,3]');
    const what = 'hw2.json answers.task2.history';
    expect(await readSubmissionFile(root, 'history/mlp.json', 100, what)).toEqual({ ok: false, message: 'history/mlp.json (hw2.json answers.task2.history) is a folder; expected a file' });
    expect(await readSubmissionFile(root, 'passwd.csv', 100, what)).toEqual({ ok: false, message: 'passwd.csv (hw2.json answers.task2.history) is a symbolic link; expected a file' });
    expect(await readSubmissionFile(root, '../x.json', 100, what)).toEqual({ ok: false, message: '../x.json (hw2.json answers.task2.history) climbs out of the submission with ..' });
    expect(await readSubmissionFile(root, 'nope.json', 100, what)).toEqual({ ok: false, message: 'nope.json (hw2.json answers.task2.history) is not in the submission' });
    expect(await readSubmissionFile(root, 'big.json', 3, what)).toEqual({ ok: false, message: 'big.json (hw2.json answers.task2.history) is 7 bytes, more than the limit of 3' });
    expect(await readSubmissionFile(root, './big.json', 100, what)).toEqual({ ok: true, bytes: Buffer.from('[1,2,3]') });
  });

  it('a submission that disappears between discovery and grading is its own error, named by its name', async () => {
    const root = await batchDir();
    const dir = await pair(root, 'vanishing', async () => undefined);
    await rm(dir, { recursive: true });
    const { result, text } = await grade(dir);
    expect(result.score).toBe(0);
    expect(result.problems[0]).toBe('vanishing: not found (it disappeared before it could be read)');
    expect(text).not.toMatch(/hw2-stage-/);
  });

  it('hw2.json missing: the message names the submission, not a temporary folder', async () => {
    const root = await batchDir();
    const file = join(root, 'nomanifest.zip');
    await writeFile(file, writeZip([{ name: 'pair/solution.txt', data: Buffer.from('x') }]));
    const { result, text } = await grade(file);
    expect(result.problems[0]).toBe('hw2.json not found in the submission: every automatic check is scored as not submitted');
    expect(text).not.toMatch(/hw2-(stage|zip)-/);
  });
});

describe('extractZip groups (a course download): one upload\'s fault is its own', () => {
  it('refuses the group that breaks a limit and extracts the others', async () => {
    const root = await batchDir();
    const file = join(root, 'course.zip');
    await writeFile(file, writeZip([
      { name: 'A_1_assignsubmission_file_/hw2.json', data: Buffer.from(manifest()) },
      { name: 'B_2_assignsubmission_file_/hw2.json', data: Buffer.alloc(4 * 1024 * 1024, 32), deflate: true },
      { name: 'B_2_assignsubmission_file_/more.txt', data: Buffer.from('x') },
      { name: 'C_3_assignsubmission_file_/x', data: Buffer.from('x') },
      { name: 'C_3_assignsubmission_file_/x/y', data: Buffer.from('y') },
    ]));
    const r = await extractZip(file, DEFAULT_ZIP_LIMITS, { groups: { of: (n) => n.split('/')[0], limits: DEFAULT_ZIP_LIMITS } });
    if (!r.ok) throw new Error(r.message);
    expect([...r.refused.keys()].sort()).toEqual(['B_2_assignsubmission_file_', 'C_3_assignsubmission_file_']);
    expect(r.refused.get('B_2_assignsubmission_file_')).toMatch(/^entry "B_2_assignsubmission_file_\/hw2\.json" expands \d+ times \(limit 200\): a zip bomb\?$/);
    expect(r.refused.get('C_3_assignsubmission_file_')).toBe('entry "C_3_assignsubmission_file_/x" is both a file and a folder');
    expect(existsSync(join(r.root, 'A_1_assignsubmission_file_', 'hw2.json'))).toBe(true);
    expect(existsSync(join(r.root, 'B_2_assignsubmission_file_'))).toBe(false);
    await rm(r.root, { recursive: true, force: true });
  });
});
