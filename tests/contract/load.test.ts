import { mkdtemp, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSubmission, MAX_ISSUES_PER_PART } from '../../src/contract/load.ts';
import { PART_SCHEMAS } from '../../src/contract/schema.ts';
import { ANSWERS_MIME } from '../../src/intake/notebook.ts';

async function submission(content: string | object): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hw2-load-'));
  await writeFile(join(dir, 'hw2.json'), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return dir;
}
const group = { ids: ['123456782', '234567891'] };

describe('loadSubmission', () => {
  it('reports a missing hw2.json as a problem, not a crash', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hw2-load-'));
    const sub = await loadSubmission(dir);
    expect(sub.problems[0]).toMatch(/^hw2\.json not found/);
  });

  it('names the line and column of a JSON syntax error', async () => {
    const sub = await loadSubmission(await submission('{\n  "contract": 1,\n  "group": ,\n}'));
    // The value of "group" is missing: the ',' at line 3, column 12 (counted by hand) is where it breaks.
    expect(sub.problems[0]).toBe('hw2.json is not valid JSON: ValueExpected at line 3, column 12');
  });

  it('refuses a 200 MB hw2.json without reading it', async () => {
    const dir = await submission('{}');
    await truncate(join(dir, 'hw2.json'), 200 * 1024 * 1024);
    const sub = await loadSubmission(dir);
    expect(sub.problems[0]).toBe('hw2.json is 200.0 MB, larger than the 10 MB limit; it was not read');
  });

  it('keeps 20 problems of a broken part and counts the rest in one more, however many values are wrong', async () => {
    const q6 = { rows: Array.from({ length: 100 }, () => ({ layer: 1, output: true, params: 'many' })) };
    const sub = await loadSubmission(await submission({ contract: 1, group, answers: { q6 } }));
    // Counted by a second route: the part's schema on the same value.
    const all = PART_SCHEMAS.q6.safeParse(q6).error!.issues.length;
    expect(all).toBeGreaterThan(MAX_ISSUES_PER_PART);
    expect(sub.partErrors.q6).toHaveLength(MAX_ISSUES_PER_PART + 1);
    expect(sub.partErrors.q6!.at(-1)).toEqual({ code: 'more', path: 'hw2.json answers.q6', text: `and ${all - MAX_ISSUES_PER_PART} more problems like these` });
  });

  it('names the file, the path, the value and the expectation of a wrong field, and keeps the other parts', async () => {
    const sub = await loadSubmission(await submission({
      contract: 1, group,
      answers: { q2: { gradients: { w3: '0.1' } }, q4: { expectation: 0.5 } },
    }));
    expect(sub.partErrors.q2).toEqual([{ code: 'invalid_type', path: 'hw2.json answers.q2.gradients.w3', text: 'expected number, found string "0.1"' }]);
    expect(sub.answers.q4).toEqual({ expectation: 0.5 });
    expect(sub.problems).toEqual([]);
  });

  it('ignores a misspelt field with a warning that says how to check it', async () => {
    const sub = await loadSubmission(await submission({ contract: 1, group, answers: { q4: { expectaton: 0.5, sigma: 'sqrt(2/d)' } } }));
    expect(sub.answers.q4).toEqual({ sigma: 'sqrt(2/d)' });
    expect(sub.warnings[0]).toMatch(/answers\.q4: unknown field "expectaton" \(check the spelling against `hw2 schema`\); ignored/);
  });

  it('rejects a wrong contract version with the expected value', async () => {
    const sub = await loadSubmission(await submission({ contract: 2, group }));
    expect(sub.problems).toEqual(['hw2.json contract: expected one of 1, found number 2']);
  });

  it('keeps a <script> in a group name as data', async () => {
    const sub = await loadSubmission(await submission({ contract: 1, group: { ...group, names: ['<script>alert(1)</script>', 'x'] } }));
    expect(sub.group?.names?.[0]).toBe('<script>alert(1)</script>');
    expect(sub.problems).toEqual([]);
  });

  it('warns about ids that are not 9 digits without failing', async () => {
    const sub = await loadSubmission(await submission({ contract: 1, group: { ids: ['12345'] } }));
    expect(sub.warnings).toContain('hw2.json group.ids: "12345" is not a 9-digit id');
  });
});

describe('hw2.json saved with a byte-order mark', () => {
  it('is read, with a warning, rather than costing every automatic point', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hw2-bom-'));
    await writeFile(join(dir, 'hw2.json'), `\uFEFF${JSON.stringify({ contract: 1, group: { ids: ['123456782'] }, answers: { q4: { expectation: 0.5 } } })}`);
    const sub = await loadSubmission(dir);
    expect(sub.problems).toEqual([]);
    expect(sub.answers.q4?.expectation).toBe(0.5);
    expect(sub.warnings).toContain('hw2.json starts with a byte-order mark (as some Windows editors save UTF-8); it was ignored');
  });
});

describe('a notebook handed in without hw2.json', () => {
  const NB = 'ee046211_hw2_123456782_234567891.ipynb';
  async function notebookAlone(answers: unknown, withFile?: object): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'hw2-nb-'));
    const output = { output_type: 'display_data', metadata: {}, data: { [ANSWERS_MIME]: answers, 'text/plain': 'hw2.json' } };
    await writeFile(join(dir, NB), JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'code', source: 'sub.save()', execution_count: 3, metadata: {}, outputs: [output] }] }));
    if (withFile) await writeFile(join(dir, 'hw2.json'), JSON.stringify(withFile));
    return dir;
  }

  it('is read from the answers the kit displayed in it, and says so', async () => {
    const sub = await loadSubmission(await notebookAlone({ contract: 1, group, answers: { q4: { expectation: 0.5 } } }));
    expect(sub.problems).toEqual([]);
    expect(sub.answers.q4?.expectation).toBe(0.5);
    expect(sub.warnings).toContain(`hw2.json is not in the submission: the answers were read from ${NB} (the output of cell 1, ${ANSWERS_MIME}), where the kit displayed them`);
    expect(sub.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names the notebook\'s output in what is wrong with its answers', async () => {
    const sub = await loadSubmission(await notebookAlone({ contract: 1, group, answers: { q4: { expectation: '0.5' } } }));
    expect(sub.partErrors.q4?.[0]?.path).toBe(`${NB} (the output of cell 1, ${ANSWERS_MIME}) answers.q4.expectation`);
    const broken = await loadSubmission(await notebookAlone({ contract: 2, group }));
    expect(broken.problems.join('\n')).toContain(`${NB} (the output of cell 1, ${ANSWERS_MIME}) contract`);
  });

  it('is not read when hw2.json is there: the file is the answers', async () => {
    const sub = await loadSubmission(await notebookAlone({ contract: 1, group, answers: { q4: { expectation: 0.25 } } }, { contract: 1, group, answers: { q4: { expectation: 0.5 } } }));
    expect(sub.answers.q4?.expectation).toBe(0.5);
    expect(sub.warnings.join('\n')).not.toContain('the kit displayed');
  });

  it('bounds the answers in a notebook as it bounds hw2.json: too deep is refused, named', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    const sub = await loadSubmission(await notebookAlone({ contract: 1, group, answers: { q4: { proof: deep } } }));
    expect(sub.problems.join('\n')).toContain(`${NB} (the output of cell 1, ${ANSWERS_MIME}) is nested more than 32 levels deep`);
    expect(sub.answers).toEqual({});
  });
});
