/**
 * `hw2 similarity` end to end, as a TA runs it: on the output folder of a generated course of
 * 80 submissions with five planted copies, each of another kind, it ranks the five first and
 * flags no independent pair; it writes similarity.html, similarity.json and summary.html's
 * section; and it refuses a call without a course.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimilarityReport } from '../../src/core/similarity.ts';
import { hw2 } from '../helpers-cli.ts';
import { generateCourse, PLANTS, writeCourse } from '../similarity/course.ts';

let dir: string;
let paths: Awaited<ReturnType<typeof writeCourse>>;
const course = generateCourse({ size: 80, seed: 19, plants: PLANTS });
const key = (p: { a: string; b: string }) => `${p.a} ${p.b}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hw2-similarity-e2e-'));
  paths = await writeCourse(course, dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hw2 similarity', () => {
  it('ranks the five planted copies first, flags nothing else, and writes the page and the summary section', async () => {
    const out = join(dir, 'report');
    const run = await hw2(['similarity', paths.out, '--out', out, '--template', paths.template]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'similarity.json'), 'utf8')) as SimilarityReport;
    expect(report.submissions).toBe(80);
    expect(new Set(report.pairs.slice(0, 5).map(key))).toEqual(new Set(course.planted.map(key)));
    expect(report.pairs.filter((p) => p.flagged).map(key).sort()).toEqual(course.planted.map(key).sort());
    // Each kind is found by its own evidence.
    const byKind = new Map(course.planted.map((p) => [p.kind, report.pairs.find((r) => key(r) === key(p))!]));
    expect(byKind.get('code')!.kinds.code).toBeGreaterThanOrEqual(report.threshold);
    expect(byKind.get('wrong-q2')!.kinds.wrong).toBeGreaterThanOrEqual(report.threshold);
    expect(byKind.get('npy')!.draws.map((d) => d.fileA)).toEqual(['xavier_128_64.npy']);
    expect(byKind.get('weights')!.draws.map((d) => d.fileA).sort()).toEqual(['history/mlp.json', 'models/mlp/weights.bin']);
    expect(byKind.get('text')!.kinds.text).toBeGreaterThanOrEqual(report.threshold);
    const html = readFileSync(join(out, 'similarity.html'), 'utf8');
    expect(html.match(/class="simpair flagged"/g)).toHaveLength(5);
    expect(html).toContain('<mark>');
    const summary = readFileSync(join(out, 'summary.html'), 'utf8');
    expect(summary).toContain('Similarity across the course');
    expect(summary).toContain(course.planted[0]!.a);
    expect(run.stdout).toMatch(/80 submissions, \d+ pairs with any uncommon evidence, 5 at or above 24 bits/);
  });

  it('reads submissions without results, and refuses a call without a course', async () => {
    const out = join(dir, 'plain');
    const run = await hw2(['similarity', paths.submissions, '--out', out, '--quiet']);
    expect(run.code).toBe(0);
    expect(existsSync(join(out, 'similarity.html'))).toBe(true);
    expect(existsSync(join(out, 'summary.html'))).toBe(false);
    const none = await hw2(['similarity']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('hw2 similarity: name an output folder of hw2 grade');
  });
});
