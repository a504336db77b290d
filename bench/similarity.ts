/**
 * `hw2 similarity` on a generated course (tests/similarity/course.ts) of 300 submissions with
 * five planted copies, each of another kind: the time of the real CLI on its output folder
 * (staging and reading every submission, then the index and the scoring), the ranking, and
 * where the first independent pair falls.
 * Run: npm run bench -- similarity
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SimilarityReport } from '../src/core/similarity.ts';
import { readBase, readCourse } from '../src/similarity/read.ts';
import { compare } from '../src/similarity/score.ts';
import { generateCourse, PLANTS, writeCourse } from '../tests/similarity/course.ts';

const SIZE = 300;
const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'hw2-bench-similarity-'));
try {
  const course = generateCourse({ size: SIZE, seed: 2026, plants: PLANTS });
  const paths = await writeCourse(course, dir);
  const out = join(dir, 'report');
  const t = performance.now();
  execFileSync(process.execPath, [join(root, 'bin/hw2.mjs'), 'similarity', paths.out, '--out', out, '--template', paths.template, '--quiet'], { stdio: 'inherit' });
  const seconds = (performance.now() - t) / 1000;
  const report = JSON.parse(readFileSync(join(out, 'similarity.json'), 'utf8')) as SimilarityReport;
  // The same work in this process, split: reading (staging each submission, fingerprinting) and the index with the scoring.
  const t1 = performance.now();
  const read = await readCourse([paths.out]);
  const base = await readBase(paths.template);
  const t2 = performance.now();
  compare(read.profiles, base);
  const t3 = performance.now();
  const planted = new Map(course.planted.map((p) => [`${p.a} ${p.b}`, p.kind]));
  const firstIndependent = report.pairs.findIndex((p) => !planted.has(`${p.a} ${p.b}`));
  console.log(`${SIZE} submissions (${(SIZE * (SIZE - 1)) / 2} pairs), 5 planted copies: hw2 similarity took ${seconds.toFixed(1)} s (Node ${process.versions.node}, ${process.arch})`);
  console.log(`in process: reading and fingerprinting ${((t2 - t1) / 1000).toFixed(1)} s, the index and the scoring ${((t3 - t2) / 1000).toFixed(2)} s`);
  console.log(`${report.pairsWithEvidence} pairs share anything uncommon; ${report.pairs.filter((p) => p.flagged).length} at or above ${report.threshold} bits`);
  console.log('| rank | bits | pair | planted | evidence |');
  console.log('|---:|---:|---|---|---|');
  report.pairs.slice(0, 8).forEach((p, i) => {
    const kinds = Object.entries(p.kinds).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`| ${i + 1} | ${p.score} | ${p.a.slice(13)} ${p.b.slice(13)} | ${planted.get(`${p.a} ${p.b}`) ?? 'independent'} | ${kinds} |`);
  });
  const ok = firstIndependent === 5 || (firstIndependent === -1 && report.pairs.length === 5);
  console.log(ok ? `the 5 planted copies rank 1–5; the first independent pair is rank 6 with ${report.pairs[5]?.score ?? 0} bits` : `NOT the planted copies first: an independent pair at rank ${firstIndependent + 1}`);
  if (!ok) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
