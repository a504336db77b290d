/**
 * A course's batch end to end: 50 submissions (the examples, copied with new ids, packed as
 * Moodle's "Download all submissions"), graded by the CLI with --jobs 1 and --jobs 2, reports
 * and PDFs included. Reports submissions per minute and the peak resident memory of the
 * largest process of the run (GNU time's %M; Debian package `time`).
 * Run: npm run bench -- batch
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { moodleBatch } from '../tests/moodle.ts';

const root = new URL('..', import.meta.url).pathname;
const dir = await mkdtemp(join(tmpdir(), 'hw2-bench-batch-'));
const batch = moodleBatch(4, undefined, 50);
const zip = join(dir, 'download.zip');
await writeFile(zip, batch.zip);
const timeTool = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

console.log(`| --jobs | submissions | wall time | submissions/min | peak RSS (largest process) |`);
console.log('|---|---|---|---|---|');
for (const jobs of [1, 2]) {
  const args = [process.execPath, join(root, 'bin/hw2.mjs'), 'grade', zip, '--out', join(dir, `out${jobs}`), '--jobs', String(jobs), '--quiet'];
  const started = performance.now();
  const r = timeTool ? spawnSync(timeTool, ['-f', '%M', ...args], { cwd: root, encoding: 'utf8' }) : spawnSync(args[0]!, args.slice(1), { cwd: root, encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`hw2 grade failed: ${r.stderr}`);
  const kb = timeTool ? Number(r.stderr.trim().split('\n').pop()) : NaN;
  console.log(`| ${jobs} | ${batch.ids.length} | ${seconds.toFixed(1)} s | ${((batch.ids.length / seconds) * 60).toFixed(0)} | ${Number.isFinite(kb) ? `${(kb / 1024).toFixed(0)} MB` : 'n/a (no /usr/bin/time)'} |`);
}
