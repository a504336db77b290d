/**
 * Reading a course from disk: an output folder of hw2 grade (results and the submissions they
 * name) or the submissions themselves, each read through intake's staged copy, so what a
 * submission holds (a link, a broken notebook) is a note, never a read outside it.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import { readBase, readCourse } from '../../src/similarity/read.ts';
import { generateCourse, writeCourse } from './course.ts';

let dir: string;
let paths: Awaited<ReturnType<typeof writeCourse>>;
const course = generateCourse({ size: 6, seed: 11, plants: ['npy', 'weights'] });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hw2-similarity-read-'));
  paths = await writeCourse(course, dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readCourse', () => {
  it('reads an output folder: each result, and the submission it names, from a staged copy', async () => {
    const read = await readCourse([paths.out]);
    expect(read.results).toHaveLength(6);
    expect(read.profiles.map((p) => p.id)).toEqual(course.submissions.map((s) => s.id).sort());
    expect(read.notes).toEqual([]);
    const copier = read.profiles.find((p) => p.id === course.planted[1]!.b)!;
    expect(copier.draws.map((d) => d.file).sort()).toEqual(['history/mlp.json', 'models/mlp/weights.bin', 'xavier_128_64.npy']);
    expect(copier.code.length).toBeGreaterThan(3);
    expect(copier.text.some((d) => d.label === 'hw2.json answers.q1.proof')).toBe(true);
    const wrong = course.submissions.filter((s) => s.q6Total !== 132863336);
    for (const s of wrong) expect(read.profiles.find((p) => p.id === s.id)!.wrong).toContainEqual({ field: 'q6.total', value: String(s.q6Total) });
  });

  it('reads submissions without results, and says that wrong answers need them', async () => {
    const read = await readCourse([paths.submissions]);
    expect(read.results).toEqual([]);
    expect(read.profiles).toHaveLength(6);
    expect(read.profiles.every((p) => p.wrong.length === 0 && p.draws.length > 0)).toBe(true);
    expect(read.notes.join('\n')).toContain('No result.json was read');
  });

  it('turns what it cannot read into notes: a link, a broken notebook, a gone folder, a foreign result', async () => {
    const odd = mkdtempSync(join(tmpdir(), 'hw2-similarity-odd-'));
    try {
      const make = async (id: string, files: Record<string, string>) => {
        await mkdir(join(odd, 'subs', id), { recursive: true });
        await mkdir(join(odd, 'out', id), { recursive: true });
        for (const [name, text] of Object.entries(files)) writeFileSync(join(odd, 'subs', id, name), text);
        const result = JSON.parse(JSON.stringify((await import('./course.ts')).resultOf(course.submissions[0]!, join(odd, 'subs', id))));
        result.submission.id = id;
        writeFileSync(join(odd, 'out', id, 'result.json'), JSON.stringify(result));
      };
      await make('linked', { 'hw2.json': '{}' });
      symlinkSync('/etc/passwd', join(odd, 'subs', 'linked', 'secret.npy'));
      await make('broken', { 'hw2.json': '{}', 'nb.ipynb': '{"cells": 3' });
      await make('gone', {});
      rmSync(join(odd, 'subs', 'gone'), { recursive: true });
      await mkdir(join(odd, 'out', 'foreign'));
      writeFileSync(join(odd, 'out', 'foreign', 'result.json'), '{"resultVersion": 1}');
      const read = await readCourse([join(odd, 'out')]);
      expect(read.profiles.map((p) => p.id)).toEqual(['broken', 'gone', 'linked']);
      const notes = read.notes.join('\n');
      expect(notes).toMatch(/linked: .*secret\.npy is a symbolic link/);
      expect(notes).toMatch(/broken: nb\.ipynb/);
      expect(notes).toMatch(/gone: its submission .* is no longer there/);
      expect(notes).toMatch(/foreign: .*resultVersion: expected 2/);
      // Nothing of /etc/passwd was read: the link refused the whole copy, the result alone was compared.
      expect(read.profiles.find((p) => p.id === 'linked')!.draws).toEqual([]);
    } finally {
      rmSync(odd, { recursive: true, force: true });
    }
  });
});

describe('readBase', () => {
  it('takes the homework text always, and the template notebook\'s cells when named', async () => {
    const plain = await readBase();
    expect(plain.code.size).toBe(0);
    expect(plain.text.size).toBeGreaterThan(100);
    expect([...plain.seeds]).toEqual(['211']);
    const withTemplate = await readBase(paths.template);
    expect(withTemplate.code.size).toBeGreaterThan(10);
    expect(withTemplate.text.size).toBeGreaterThan(plain.text.size);
    await expect(readBase(join(dir, 'none.ipynb'))).rejects.toThrow(UsageError);
  });
});
