/**
 * Options are resolved once, in the documented order: flag > environment > rubric > default.
 * Each expectation below is worked out from that rule and the README, not from the output.
 */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/core/errors.ts';
import { dataDirOf, reporterNamesOf, resolveOptions, shardOf } from '../../src/cli/options.ts';

const usage = (f: () => unknown, message: RegExp) => {
  let thrown: unknown;
  try {
    f();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(HarnessError);
  expect((thrown as HarnessError).code).toBe('E_USAGE');
  expect((thrown as Error).message).toMatch(message);
};

describe('the shard', () => {
  it('--shard beats HW2_SHARD, which beats JOB_COMPLETION_INDEX with HW2_SHARDS', () => {
    const env = { HW2_SHARD: '1/3', JOB_COMPLETION_INDEX: '0', HW2_SHARDS: '5' };
    expect(resolveOptions(['grade', 'x', '--shard', '2/3'], env).shard).toEqual({ index: 2, count: 3 });
    expect(resolveOptions(['grade', 'x'], env).shard).toEqual({ index: 1, count: 3 });
    expect(resolveOptions(['grade', 'x'], { JOB_COMPLETION_INDEX: '0', HW2_SHARDS: '5' }).shard).toEqual({ index: 1, count: 5 });
  });

  it('takes a Kubernetes Indexed Job\'s 0-based index as the 1-based i of i/n', () => {
    expect(shardOf(undefined, { JOB_COMPLETION_INDEX: '2', HW2_SHARDS: '3' })).toEqual({ index: 3, count: 3 });
    // without HW2_SHARDS the index alone says nothing: every submission
    expect(shardOf(undefined, { JOB_COMPLETION_INDEX: '2' })).toBeUndefined();
    expect(resolveOptions(['grade', 'x'], {}).shard).toBeUndefined();
  });

  it('is refused with the name of where the bad value came from', () => {
    usage(() => shardOf('0/3', {}), /^--shard: expected i\/n/);
    usage(() => shardOf(undefined, { HW2_SHARD: '4/3' }), /^HW2_SHARD: expected i\/n .*got "4\/3"/);
    // index 3 of 3 shards, 0-based, is the fourth of three
    usage(() => shardOf(undefined, { JOB_COMPLETION_INDEX: '3', HW2_SHARDS: '3' }), /^JOB_COMPLETION_INDEX=3 with HW2_SHARDS=3: .*got "4\/3"/);
    usage(() => shardOf(undefined, { JOB_COMPLETION_INDEX: 'x', HW2_SHARDS: '3' }), /^JOB_COMPLETION_INDEX=x with HW2_SHARDS=3/);
    // a good flag is not spoilt by a bad environment: the flag wins before the variable is read
    expect(shardOf('1/2', { HW2_SHARD: 'nonsense' })).toEqual({ index: 1, count: 2 });
  });
});

describe('the data folder and the browser', () => {
  it('--data-dir beats HW2_DATA; an empty value is no value', () => {
    expect(dataDirOf('/flag', { HW2_DATA: '/env' })).toBe('/flag');
    expect(dataDirOf(undefined, { HW2_DATA: '/env' })).toBe('/env');
    expect(dataDirOf('', { HW2_DATA: '/env' })).toBe('/env');
    expect(dataDirOf(undefined, { HW2_DATA: '' })).toBeUndefined();
    expect(resolveOptions(['data', 'fetch', 'fashion'], { HW2_DATA: '/env' }).dataDir).toBe('/env');
    expect(resolveOptions(['grade', 'x', '--data-dir', '/flag'], { HW2_DATA: '/env' }).dataDir).toBe('/flag');
  });

  it('HW2_CHROMIUM names the browser; unset, none is named and the system\'s is looked for', () => {
    expect(resolveOptions(['grade', 'x'], { HW2_CHROMIUM: '/opt/chrome' }).chromium).toBe('/opt/chrome');
    expect(resolveOptions(['grade', 'x'], {}).chromium).toBeUndefined();
  });
});

describe('the reporters', () => {
  const ALL = ['github', 'gradescope', 'html', 'json', 'junit', 'moodle', 'pdf', 'scores', 'summary'];

  it('are all of them by default, all but pdf with --no-pdf', () => {
    expect([...resolveOptions(['grade', 'x'], {}).reporters].sort()).toEqual(ALL);
    expect([...resolveOptions(['grade', 'x', '--no-pdf'], {}).reporters].sort()).toEqual(ALL.filter((n) => n !== 'pdf'));
  });

  it('are those named, and json (result.json) always', () => {
    expect([...resolveOptions(['grade', 'x', '--reporter', 'scores,html'], {}).reporters].sort()).toEqual(['html', 'json', 'scores']);
    expect(reporterNamesOf('json,scores', true).sort()).toEqual(['json', 'scores']);
    expect(reporterNamesOf('', true)).toEqual(['json']);
    expect(reporterNamesOf('pdf, junit', false).sort()).toEqual(['json', 'junit']);
  });

  it('refuses an unknown name, listing the known ones', () => {
    usage(() => reporterNamesOf('html,xml', true), /^--reporter: unknown reporter "xml" \(known: (.*)\)$/);
    try {
      reporterNamesOf('xml', true);
    } catch (error) {
      const known = /\(known: (.*)\)$/.exec((error as Error).message)![1]!.split(', ');
      expect(known.sort()).toEqual(ALL);
    }
  });
});

describe('the other options', () => {
  it('have the defaults --help states', () => {
    const o = resolveOptions(['grade', 'x'], {});
    expect(o).toMatchObject({ command: 'grade', args: ['x'], out: 'out', seed: 211, verbose: false, quiet: false, allowIncomplete: false, help: false, version: false });
    expect(o.rubric).toBeUndefined(); // the harness's reference/rubric.json, resolved where it is loaded
    expect(o.jobs).toBe(availableParallelism());
  });

  it('refuses bad values and Node\'s own argument errors as usage errors', () => {
    usage(() => resolveOptions(['grade', 'x', '--seed', '1.5'], {}), /^--seed: expected a non-negative integer, got "1.5"$/);
    usage(() => resolveOptions(['grade', 'x', '--jobs', '0'], {}), /^--jobs: expected a positive integer, got "0"$/);
    usage(() => resolveOptions(['grade', 'x', '--frobnicate'], {}), /Unknown option '--frobnicate'/);
    usage(() => resolveOptions(['grade', 'x', '--out'], {}), /--out/);
  });
});

describe('hw2 review\'s options', () => {
  it('--port is a port from 0 to 65535 (0: any free one); --ta is the name saved with each decision', () => {
    expect(resolveOptions(['review', 'out', '--port', '8080', '--ta', 'alice'], {})).toMatchObject({ port: 8080, ta: 'alice' });
    expect(resolveOptions(['review', 'out', '--port', '0'], {}).port).toBe(0);
    expect(resolveOptions(['review', 'out'], {})).not.toHaveProperty('port');
    usage(() => resolveOptions(['review', 'out', '--port', '70000'], {}), /^--port: expected a port from 0 to 65535, got "70000"$/);
    usage(() => resolveOptions(['review', 'out', '--port', 'http'], {}), /^--port: expected a non-negative integer, got "http"$/);
  });
});
