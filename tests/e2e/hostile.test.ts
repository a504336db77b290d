/**
 * Hostile and broken submissions, graded in one batch beside a correct one by the real CLI.
 * Each must get a clear error on the checks it affects, keep the rest of its grade, and
 * leave the correct submission's result untouched.
 */
import { cp, mkdir, mkdtemp, readFile, readdir, truncate, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SubmissionResult } from '../../src/core/vocabulary.ts';
import { correctAnswers, RUBRIC } from '../helpers.ts';
import { writeZip } from '../zip-writer.ts';
import { hw2 } from '../helpers-cli.ts';

const FIXTURES = new URL('../fixtures/hostile/', import.meta.url).pathname;
const CORRECT = new URL('../../solutions/correct', import.meta.url).pathname;
const AUTO_POINTS = 55; // automatic points in the default rubric: 38 in Part 1, 13 in Task 1, 4 for the rules (hand sum of the checks' points, `hw2 rubric`)
const Q5_MODULE_CHECKS = ['q5.reversal', 'q5.complement'];

/** What each fixture must show: the checks that error and what their message says. */
const EXPECTED: Record<string, { errors: string[]; message: RegExp }> = {
  'loop-at-import': { errors: Q5_MODULE_CHECKS, message: /did not finish loading within 2000 ms/ },
  'busy-loop-in-call': { errors: ['q5.reversal'], message: /projectReversal did not return within 2000 ms/ },
  'heap-exhaustion': { errors: ['q5.reversal'], message: /ran out of memory \(heap limit 96 MB\)|used more than 400 MB of memory/ },
  'exit-at-import': { errors: Q5_MODULE_CHECKS, message: /ended the process \(exit code 0\)/ },
  'read-reference-and-other-submission': { errors: ['q5.reversal'], message: /the sandbox refused reading .*correct\/hw2\.json: a solution may read only its own submission folder/ },
  'import-reference': { errors: Q5_MODULE_CHECKS, message: /imports \.\.\/\.\.\/\.\.\/reference\/rubric\.json, which is outside the submission folder/ },
  'write-file': { errors: ['q5.reversal'], message: /the sandbox refused writing/ },
  'spawn-process': { errors: ['q5.reversal'], message: /the sandbox refused starting a process/ },
  'fetch-remote': { errors: ['q5.reversal'], message: /network access is not allowed in the grading sandbox/ },
  'print-100mb': { errors: ['q5.reversal'], message: /printed more than 1048576 bytes/ },
  'throw-non-error': { errors: ['q5.reversal'], message: /threw a non-Error value: \{"reason":"not an Error","code":42\}/ },
  'return-1gb': { errors: ['q5.reversal'], message: /returned (more than )?\d+ bytes|used more than 400 MB|ran out of memory/ },
  'does-not-parse': { errors: Q5_MODULE_CHECKS, message: /solution\.ts:2:\d+: Unexpected "?;"?/ },
};
const WHOLE_FILE: Record<string, RegExp> = {
  'hw2-json-not-json': /hw2\.json is not valid JSON: PropertyNameExpected at line 1, column 94/, // the trailing comma, counted by hand
  'hw2-json-200mb': /hw2\.json is 200\.0 MB, larger than the 10 MB limit; it was not read/,
  'zip-dotdot': /zip-dotdot\.zip: .*"\.\.\/evil\.txt"|zip-dotdot\.zip: .*invalid relative path/,
  'zip-symlink': /zip-symlink\.zip: entry "link" is a symbolic link/,
  'zip-bomb': /zip-bomb\.zip: entry "bomb\.bin" expands \d+ times \(limit 200\): a zip bomb\?/,
};

describe('a batch with hostile submissions', () => {
  const results = new Map<string, SubmissionResult>();
  let batch: string;
  let run: Awaited<ReturnType<typeof hw2>>;

  beforeAll(async () => {
    batch = await mkdtemp(join(tmpdir(), 'hw2-hostile-'));
    const base = correctAnswers();
    delete base.q5!.reversal;
    delete base.q5!.complement; // the fixtures give Q5's constraints through solution.ts
    delete base.task2; // and carry no models (Task 2's checks score 0 as not submitted)
    // the correct pair's ids, so that its notebook's name matches
    const manifest = (answers: unknown, names = ['A', 'B']) => JSON.stringify({ contract: 1, group: { ids: ['123456782', '234567891'], names }, answers });
    const companions = ['xavier_128_64.npy', 'kaiming_128_64.npy', 'ee046211_hw2_123456782_234567891.ipynb'];
    await cp(CORRECT, join(batch, 'correct'), { recursive: true });
    for (const name of await readdir(FIXTURES)) {
      await cp(join(FIXTURES, name), join(batch, name), { recursive: true });
      if (!existsSync(join(batch, name, 'hw2.json'))) {
        await writeFile(join(batch, name, 'hw2.json'), manifest(base));
        for (const f of companions) await cp(join(CORRECT, f), join(batch, name, f));
      }
    }
    await mkdir(join(batch, 'hw2-json-200mb'));
    await writeFile(join(batch, 'hw2-json-200mb', 'hw2.json'), '{}');
    await truncate(join(batch, 'hw2-json-200mb', 'hw2.json'), 200 * 1024 * 1024);
    await mkdir(join(batch, 'hw2-json-script-in-name'));
    await writeFile(join(batch, 'hw2-json-script-in-name', 'hw2.json'), manifest(correctAnswers(), ['<script>alert(1)</script>', '<img src=x onerror=alert(2)>']));
    for (const f of companions) await cp(join(CORRECT, f), join(batch, 'hw2-json-script-in-name', f));
    const noSamples = correctAnswers();
    delete noSamples.task1!.samples; // zips carry hw2.json alone: Task 1's init checks are not submitted there
    delete noSamples.task2;
    const good = Buffer.from(manifest(noSamples));
    await writeFile(join(batch, 'zip-dotdot.zip'), writeZip([{ name: 'hw2.json', data: good }, { name: '../evil.txt', data: Buffer.from('x') }]));
    await writeFile(join(batch, 'zip-symlink.zip'), writeZip([{ name: 'hw2.json', data: good }, { name: 'link', data: Buffer.from('/etc/passwd'), mode: 0o120777 }]));
    await writeFile(join(batch, 'zip-bomb.zip'), writeZip([{ name: 'hw2.json', data: good }, { name: 'bomb.bin', data: Buffer.alloc(64 * 1024 * 1024), deflate: true }]));
    await writeFile(join(batch, 'zip-good.zip'), writeZip([{ name: 'pair/hw2.json', data: good, deflate: true }]));

    const rubric = structuredClone(RUBRIC);
    rubric.limits.sandbox = { ...rubric.limits.sandbox, loadTimeoutMs: 2000, callTimeoutMs: 2000, heapMb: 96, rssMb: 400, maxReturnBytes: 16 * 1024 * 1024 };
    await writeFile(join(batch, '_rubric.json'), JSON.stringify(rubric));
    // PDFs are tests/report/pdf.test.ts's business: here stderr must hold only the harness's faults.
    run = await hw2(['grade', batch, '--out', join(batch, '_out'), '--rubric', join(batch, '_rubric.json'), '--no-pdf']);
    for (const e of await readdir(join(batch, '_out'), { withFileTypes: true })) {
      if (e.isDirectory()) results.set(e.name, JSON.parse(await readFile(join(batch, '_out', e.name, 'result.json'), 'utf8')));
    }
  }, 180_000);

  it('grades every submission and exits 0: the faults are the submissions\', not the harness\'s', () => {
    // The fixtures all name the correct pair's students, so grades.csv grades neither and says so.
    expect(run.stderr.split('\n').filter((l) => l && !l.startsWith('hw2: grades.csv has no grade for student '))).toEqual([]);
    expect(run.code).toBe(0);
    expect(results.size).toBe(1 + Object.keys(EXPECTED).length + Object.keys(WHOLE_FILE).length + 2);
  });

  it('gives the correct submission, and a good zip, their full results', () => {
    const correct = results.get('correct')!; // with its models: Task 2's 11 automatic points, and Task 3's 4 that need no SVHN
    expect(correct.score).toBe(AUTO_POINTS + 11 + 4);
    expect(correct.checks.filter((c) => c.kind === 'auto' && c.question !== 'task3').every((c) => c.status === 'pass')).toBe(true);
    const named = results.get('hw2-json-script-in-name')!; // the correct answers without the model files
    expect(named.checks.filter((c) => c.kind === 'auto' && c.status !== 'pass' && c.question !== 'task3').map((c) => c.id)).toEqual(['task2.accuracy', 'task2.reinit', 'task2.curves']);
    expect(named.score).toBe(AUTO_POINTS + 1); // the description stands without the files
    const zipped = results.get('zip-good')!;
    // hw2.json alone: no init samples (2 + 2), no notebook to name (0.5) or to have run (2).
    expect(zipped.score).toBe(AUTO_POINTS - 4 - 2.5);
    expect(zipped.checks.filter((c) => c.status !== 'pass' && c.kind === 'auto' && c.question !== 'task2' && c.question !== 'task3').map((c) => c.id)).toEqual(['task1.xavierInit', 'task1.kaimingInit', 'rules.fileName', 'rules.executed']);
    // Student text is kept as data, verbatim; escaping is the renderers' job.
    expect(results.get('hw2-json-script-in-name')!.submission.group!.names![0]).toBe('<script>alert(1)</script>');
  });

  it.each(Object.entries(EXPECTED))('%s: a clear error on the affected checks, the rest graded', (id, exp) => {
    const r = results.get(id)!;
    for (const c of r.checks.filter((c) => c.kind === 'auto' && c.question !== 'task2' && c.question !== 'task3')) {
      if (exp.errors.includes(c.id)) {
        expect(c.status, c.id).toBe('error');
        expect(c.score).toBe(0);
        expect(c.message, c.id).toMatch(exp.message);
      } else {
        expect(c.status, `${c.id}: ${c.message}`).toBe('pass');
      }
    }
    expect(r.score).toBe(AUTO_POINTS - exp.errors.reduce((a, id) => a + RUBRIC.checks[id]!.points, 0));
  });

  it.each(Object.entries(WHOLE_FILE))('%s: every automatic check scores 0 with the reason', (id, message) => {
    const r = results.get(id)!;
    // A readable folder with a broken hw2.json still has its files judged by the rule checks.
    const rulesRan = id.startsWith('hw2-json');
    for (const c of r.checks.filter((c) => c.kind === 'auto')) {
      if (rulesRan && c.question === 'rules') continue;
      expect(c.status).toBe('error');
      expect(c.message).toMatch(message);
    }
    expect(r.score).toBe(rulesRan ? r.checks.filter((c) => c.question === 'rules').reduce((a, c) => a + c.score, 0) : 0);
  });

  it('let nothing escape: no file written, no process spawned, no zip entry outside the folder', () => {
    expect(existsSync(join(batch, 'write-file', 'pwned.txt'))).toBe(false);
    expect(existsSync('/tmp/hw2-hostile-spawned')).toBe(false);
    expect(existsSync(join(batch, 'evil.txt'))).toBe(false);
    expect(existsSync(join(tmpdir(), 'evil.txt'))).toBe(false);
  });

  it('leaks nothing of the key or of another submission into a hostile result', () => {
    // The rubric's comment and the correct pair's names exist only in the files it tried to read.
    const text = JSON.stringify(results.get('read-reference-and-other-submission'));
    expect(text).not.toContain('Default rubric for EE 046211');
    expect(text).not.toContain('Noa Levi');
  });
});
