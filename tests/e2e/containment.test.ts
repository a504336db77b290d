/**
 * One submission's failure stays inside it: a submission the harness fails on (here its
 * folder vanishes between discovery and grading, so reading it throws) becomes its own result,
 * every check an error of the harness with its points held back and nothing of the fault
 * shown but where it is logged; its neighbour is graded as if alone; the batch's sheets are
 * written.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeBatch, logFile } from '../../src/engine/batch.ts';
import { gradePath } from '../../src/engine/pipeline.ts';
import { writeBatchOutputs } from '../../src/report/outputs.ts';
import { RUBRIC } from '../helpers.ts';
import { REGISTRY } from '../../checks/index.ts';

const NEIGHBOUR = new URL('../../solutions/flawed-q3-types-swapped', import.meta.url).pathname;

describe('a submission the harness fails on', () => {
  it('gets a result of its own, its points held back, the stack in the log; the batch goes on', async () => {
    const out = await mkdtemp(join(tmpdir(), 'hw2-contain-'));
    const gone = join(out, 'vanished-submission');
    const units = [
      { id: 'vanished', path: gone, origin: gone, warnings: [] },
      { id: 'neighbour', path: NEIGHBOUR, origin: NEIGHBOUR, warnings: [] },
    ];
    const outcome = await gradeBatch(units, REGISTRY, RUBRIC, { out, mode: 'grade', seed: 211, jobs: 2 });
    expect(outcome.results.map((r) => r.submission.id)).toEqual(['vanished', 'neighbour']);

    const vanished = outcome.results[0]!;
    expect(vanished.checks.every((c) => c.status === 'error' && c.cause === 'harness' && c.score === 0)).toBe(true);
    expect(vanished.score).toBe(0);
    // every point of the rubric (100) is held back, none is the student's 0
    expect(vanished.heldBack).toBe(RUBRIC.total);
    expect(vanished.checks[0]!.message).toBe('Not graded yet: the harness failed while grading this submission (details for the course staff in logs/vanished.log).');
    expect(outcome.harnessFaults).toEqual([`vanished (unexpected error, logged in ${logFile(out, 'vanished')})`]);
    const log = await readFile(logFile(out, 'vanished'), 'utf8');
    expect(log).toContain('ENOENT');
    expect(log).toContain(gone);
    // The stack is for the staff: the student's files never carry it.
    expect(await readFile(join(out, 'vanished', 'result.json'), 'utf8')).not.toContain('ENOENT');

    // The neighbour's result is what it gets alone.
    const alone = await gradePath(NEIGHBOUR, REGISTRY, RUBRIC, { mode: 'grade', seed: 211, id: 'neighbour' });
    expect(outcome.results[1]!.checks.map((c) => [c.id, c.status, c.score])).toEqual(alone.result.checks.map((c) => [c.id, c.status, c.score]));

    const faults: string[] = [];
    await writeBatchOutputs(out, outcome.results, faults);
    expect(faults).toEqual([]);
    for (const f of ['summary.html', 'grades.csv', 'scores.csv', 'junit.xml']) expect(existsSync(join(out, f)), f).toBe(true);
  }, 120_000);
});
