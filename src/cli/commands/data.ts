/** `hw2 data fetch fashion|svhn [splits]`: downloads the datasets, with checksums. */
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import * as harness from '../harness.ts';
import type { SvhnSplit } from '../harness.ts';
import type { Options } from '../options.ts';

const SPLITS: readonly SvhnSplit[] = ['train', 'test', 'extra'];

export async function command(opts: Options): Promise<ExitCode> {
  const [verb, dataset, ...splits] = opts.args;
  // --data-dir, else HW2_DATA (options.ts), else ./data: where a download goes.
  const dir = opts.dataDir ?? 'data';
  if (verb !== 'fetch' || !['fashion', 'svhn'].includes(dataset ?? '') || (dataset === 'fashion' && splits.length)) {
    throw new UsageError(`hw2 data: expected "fetch fashion" or "fetch svhn [train] [test] [extra]", got "${opts.args.join(' ')}"`);
  }
  const bad = splits.find((s) => !(SPLITS as readonly string[]).includes(s));
  if (bad) throw new UsageError(`hw2 data fetch svhn: expected train, test or extra, got "${bad}"`);
  try {
    if (dataset === 'svhn') await harness.fetchSvhn(dir, (splits.length ? splits : ['train', 'test']) as SvhnSplit[], (line) => console.log(line));
    else await harness.fetchFashion(dir, (line) => console.log(line));
  } catch (error) {
    console.error(`hw2 data fetch: ${(error as Error).message}`);
    return EXIT.notFullyGraded;
  }
  if (dataset === 'svhn') {
    console.log(`SVHN is in ${resolve(dir, 'svhn')}; grade or train with --data-dir ${dir} or HW2_DATA=${dir}`);
    return EXIT.graded;
  }
  console.log(`FashionMNIST is in ${resolve(dir, 'fashion-mnist')}; grade with --data-dir ${dir} or HW2_DATA=${dir}`);
  return EXIT.graded;
}
