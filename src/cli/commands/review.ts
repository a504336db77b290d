/**
 * `hw2 review <out-dir>`: the TAs' grading page for the manual checks (src/review/server.ts),
 * served on 127.0.0.1 until Ctrl-C. Decisions go to --manual (default <out-dir>/manual.csv),
 * rubric items to --rubric's manual section (default: the harness's reference/rubric.json).
 */
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from '../../core/errors.ts';
import { DEFAULT_RUBRIC_PATH } from '../../rubric/rubric.ts';
import { startReview } from '../../review/server.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import type { Options } from '../options.ts';

export async function command(opts: Options): Promise<ExitCode> {
  if (opts.args.length !== 1) throw new UsageError('hw2 review: name one output folder of hw2 grade (hw2 review <out-dir>)');
  const out = resolve(opts.args[0]!);
  const manualFile = resolve(opts.manual ?? join(out, 'manual.csv'));
  const rubricFile = resolve(opts.rubric ?? DEFAULT_RUBRIC_PATH);
  let server;
  try {
    server = await startReview({
      out, manualFile, rubricFile, ta: opts.ta ?? userInfo().username, ...(opts.port !== undefined ? { port: opts.port } : {}),
      ...(opts.chromium ? { chromium: opts.chromium } : {}), log: (line) => console.error(`hw2: ${line}`),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UsageError(`--port ${opts.port}: the port is in use; pick another, or leave --port out for a free one`);
    throw new UsageError((error as Error).message);
  }
  console.log(`hw2 review: grading ${out}\n  decisions: ${manualFile}\n  rubric items: ${rubricFile}\n\n  Open ${server.url}\n\n(Ctrl-C to stop; every decision is already saved.)`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await server.close();
  return EXIT.graded;
}
