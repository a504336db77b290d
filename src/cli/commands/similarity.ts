/**
 * `hw2 similarity <out-dir | submissions...> [--out DIR] [--template NOTEBOOK]`: every pair
 * of a course ranked by the evidence they share (src/similarity), written as similarity.html
 * (each pair side by side) and similarity.json, and, when it read an out-dir of `hw2 grade`,
 * as a section of DIR/summary.html. It ranks; it accuses no one.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from '../../core/errors.ts';
import { renderSummary } from '../../report/render.ts';
import { renderSimilarity, similaritySectionHtml } from '../../report/similarity.ts';
import { writeAtomic } from '../../util/atomic.ts';
import { terminalLine } from '../../util/text.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import * as harness from '../harness.ts';
import type { Options } from '../options.ts';

export async function similarityCommand(paths: string[], out: string, options: { template?: string; quiet?: boolean } = {}): Promise<ExitCode> {
  if (!paths.length) throw new UsageError('hw2 similarity: name an output folder of hw2 grade, or the submissions (a folder of them, zips, Moodle\'s download)');
  const started = performance.now();
  const { course, report } = await harness.similarity(paths, options.template);
  await mkdir(out, { recursive: true });
  const generated = new Date();
  await writeAtomic(join(out, 'similarity.json'), `${JSON.stringify(report, null, 1)}\n`);
  await writeAtomic(join(out, 'similarity.html'), renderSimilarity(report, generated));
  if (course.results.length) await writeAtomic(join(out, 'summary.html'), renderSummary(course.results, generated, { similarityHtml: similaritySectionHtml(report) }));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (!options.quiet) {
    for (const note of course.notes) console.error(`hw2 similarity: ${terminalLine(note)}`);
    const flagged = report.pairs.filter((p) => p.flagged);
    console.log(`${report.submissions} submissions, ${report.pairsWithEvidence} pairs with any uncommon evidence, ${flagged.length} at or above ${report.threshold} bits (${seconds} s):`);
    report.pairs.slice(0, Math.max(flagged.length, 5)).forEach((p, i) => {
      console.log(terminalLine(`${String(i + 1).padStart(3)}. ${p.score.toFixed(1).padStart(6)}  ${p.a}  ${p.b}${p.flagged ? '' : '  (below the threshold)'}`));
      for (const reason of p.reasons) console.log(`         ${terminalLine(reason)}`);
    });
  }
  console.log(`Wrote ${resolve(out, 'similarity.html')}, similarity.json${course.results.length ? ' and the section of summary.html' : ''}`);
  return EXIT.graded;
}

export const command = (opts: Options): Promise<ExitCode> => similarityCommand(opts.args, opts.out, { ...(opts.template ? { template: opts.template } : {}), quiet: opts.quiet });
