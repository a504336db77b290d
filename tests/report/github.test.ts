/**
 * The `github` reporter: the job summary, the annotations and the outputs, each compared with
 * text written by hand from the result (the sums and the line/column counts are worked out in
 * the comments), then rendered by a second Markdown implementation to see that a student's
 * text stays text. The writer runs against real files in a temporary folder.
 */
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { parse as parseHtml } from 'node-html-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { RESULT_VERSION } from '../../src/core/result-schema.ts';
import type { CheckResult, SubmissionResult } from '../../src/core/vocabulary.ts';
import {
  annotationLines, commandData, commandProperty, fieldPosition, githubReporter, jsonPathKeys, markdownText, outputLines, summaryMarkdown,
} from '../../src/report/github.ts';

const row = (id: string, points: number, extra: Partial<CheckResult> = {}): CheckResult => ({
  id, question: id.split('.')[0] as CheckResult['question'], title: id, kind: 'auto', visibility: 'public', status: 'pass', score: points, points, message: 'Right.', ...extra,
});

const hiddenRow = (id: string, points: number): CheckResult => ({
  ...row(id, points), visibility: 'hidden', status: 'hidden', score: 0, message: 'Hidden check: graded later by the course.',
});

function result(extra: Partial<SubmissionResult> = {}): SubmissionResult {
  return {
    contract: 1, resultVersion: RESULT_VERSION, harness: { name: 'hw2-harness', version: '0.1.0' }, mode: 'check',
    submission: { id: 'pair', path: '/ws/pair', hash: 'h' },
    score: 0, maxScore: 0, pendingManual: 0, heldBack: 0, incomplete: [], problems: [], checks: [], ...extra,
  };
}

/**
 * A pair's `hw2 check`: q2.forward 1.5 of 4 with a diagnosis, q2.update 2 of 2, q2.hidden 4
 * points hidden, q3.explain 2 points waiting for a TA. Q2: 1.5 + 2 = 3.5 of 4 + 2 + 4 = 10;
 * Q3: 0 of 2; total 3.5 of 12, 4 hidden and 2 pending.
 */
const pairCheck = result({
  score: 3.5, maxScore: 12, pendingManual: 2,
  problems: ['hw2.json answers.q9: unknown part (expected one of q1, q2); ignored'],
  checks: [
    row('q2.forward', 4, { status: 'partial', score: 1.5, message: 'E is wrong', diagnoses: [{ code: 'q2.sign', text: 'The sign of the gradient is flipped' }] }),
    row('q2.update', 2),
    hiddenRow('q2.hidden', 4),
    row('q3.explain', 2, { kind: 'manual', status: 'manual', score: 0, message: 'Graded by a TA.' }),
  ],
});

describe('the job summary', () => {
  it('shows the score, the table by question and every check that lost points, hidden checks only as points graded later', () => {
    // & # 46 ; is ".", & # 58 ; ":", & # 40 ; and & # 41 ; the parentheses: see markdownText below.
    expect(summaryMarkdown([pairCheck])).toBe(`## hw2 check: pair

**Score: 3.5 of 12** (not counted yet: 4 graded later by the course; 2 wait for a TA)

| Question | Score | Out of | Not counted yet |
| --- | ---: | ---: | --- |
| Q2 Backpropagation by hand | 3.5 | 10 | 4 graded later by the course |
| Q3 Deep double descent | 0 | 2 | 2 wait for a TA |
| **Total** | **3.5** | **12** | 4 graded later by the course; 2 wait for a TA |

### Problems with the submission

- hw2&#46;json answers&#46;q9&#58; unknown part &#40;expected one of q1, q2&#41;; ignored

### Checks that lost points

| Check | Points | What the check found | Likely mistake |
| --- | ---: | --- | --- |
| q2&#46;forward | 1.5 of 4 | E is wrong | The sign of the gradient is flipped |
`);
  });

  it('says so when no check lost points, and shows a TA\'s points and comment when they are below the check\'s', () => {
    const full = result({ score: 4, maxScore: 4, checks: [row('q2.forward', 4)] });
    expect(summaryMarkdown([full])).toContain('### Checks that lost points\n\nNone.\n');
    const ta = result({ mode: 'grade', score: 1, maxScore: 2, checks: [row('q3.explain', 2, { kind: 'manual', status: 'manual', score: 0, message: 'See notebook.', ta: { points: 1, comment: 'half' } })] });
    expect(summaryMarkdown([ta])).toContain('| q3&#46;explain | 1 of 2 | See notebook&#46; &#40;a TA&#58; half&#41; |  |');
  });

  it('writes a student\'s Markdown, HTML, pipes, backticks and line breaks as the characters they are', () => {
    const hostile = 'x|y <img src=x onerror=alert(1)>\n# h @team `c` [l](http://e.com) $m$ :+1: ~~s~~ *b* _i_ \\|';
    // Each ASCII mark by its code: | 124, < 60, = 61, ( 40, ) 41, > 62, # 35, @ 64, ` 96, [ 91,
    // ] 93, : 58, . 46, $ 36, + 43, ~ 126, * 42, _ 95, \ 92; the line break is a space.
    expect(markdownText(hostile)).toBe(
      'x&#124;y &#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62; &#35; h &#64;team &#96;c&#96; &#91;l&#93;&#40;http&#58;//e&#46;com&#41; ' +
      '&#36;m&#36; &#58;&#43;1&#58; &#126;&#126;s&#126;&#126; &#42;b&#42; &#95;i&#95; &#92;&#124;');
    // The same text as a folder name and a message, rendered by markdown-it (tables on, raw HTML
    // allowed: more than GitHub allows): the table keeps its rows and cells, no element comes
    // from the text, and each cell reads as the student's characters.
    const r = result({
      submission: { id: hostile, path: '/ws/x', hash: 'h' }, score: 0, maxScore: 3,
      checks: [row('q2.forward', 3, { status: 'fail', score: 0, message: hostile, diagnoses: [{ code: 'd', text: `</td></tr></table>${hostile}` }] })],
    });
    const html = parseHtml(new MarkdownIt({ html: true, linkify: true }).render(summaryMarkdown([r])));
    expect(html.querySelectorAll('img, a, script, code, em, strong s, del, h1, table table')).toHaveLength(0);
    expect(html.querySelector('h2')!.text).toBe(`hw2 check: ${hostile.replace('\n', ' ')}`);
    const tables = html.querySelectorAll('table');
    expect(tables).toHaveLength(2);
    const lost = tables[1]!.querySelectorAll('tbody tr');
    expect(lost).toHaveLength(1);
    expect(lost[0]!.querySelectorAll('td').map((td) => td.text)).toEqual(['q2.forward', '0 of 3', hostile.replace('\n', ' '), `</td></tr></table>${hostile.replace('\n', ' ')}`]);
  });

  it('for a batch: a table of submissions, then each one folded, stopping short of GitHub\'s limit with a line saying so', () => {
    const batch = ['a', 'b', 'c'].map((id, i) => result({ mode: 'grade', submission: { id, path: `/ws/${id}`, hash: 'h' }, score: i, maxScore: 4, checks: [row('q2.forward', 4, { status: i === 4 ? 'pass' : 'partial', score: i })] }));
    const all = summaryMarkdown(batch);
    expect(all.startsWith(`## hw2 grade: 3 submissions

| Submission | Score | Out of | Not counted yet |
| --- | ---: | ---: | --- |
| a | 0 | 4 |  |
| b | 1 | 4 |  |
| c | 2 | 4 |  |

<details><summary>a: 0 of 4</summary>

### hw2 grade: a
`)).toBe(true);
    expect(all.match(/<details>/g)).toHaveLength(3);
    // Room for the table and one folded part, not two.
    const one = Buffer.byteLength(summaryMarkdown(batch.slice(0, 1)));
    const cut = summaryMarkdown(batch, Buffer.byteLength(all.slice(0, all.indexOf('<details>'))) + one + 200);
    expect(cut.match(/<details>/g)).toHaveLength(1);
    expect(cut.endsWith('The details of 2 more submissions would pass GitHub\'s limit on a summary: see each one\'s report.html in the artifact.\n')).toBe(true);
  });
});

describe('the outputs', () => {
  it('are the score and max-score of the run\'s one submission, and nothing for a batch', () => {
    expect(outputLines([pairCheck])).toBe('score=3.5\nmax-score=12\n');
    expect(outputLines([pairCheck, pairCheck])).toBe('');
  });
});

describe('the annotations', () => {
  const context = { workspace: '/ws' };

  it('escape as GitHub\'s toolkit does: % CR LF in a message, and : , too in a property', () => {
    expect(commandData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(commandProperty('a: b, c%')).toBe('a%3A b%2C c%25');
  });

  it('put a syntax error of hw2.json at the line and column the message names', () => {
    const r = result({ problems: ['hw2.json is not valid JSON: CommaExpected at line 3, column 5'] });
    expect(annotationLines([r], context)).toEqual([
      '::error file=pair/hw2.json,line=3,col=5,title=hw2 check%3A pair::hw2.json is not valid JSON: CommaExpected at line 3, column 5',
    ]);
  });

  it('put TypeScript\'s and the compiler\'s errors in the solution module at their places, one for each', () => {
    const r = result({
      solution: { file: 'solution.ts', ms: 1, exports: [] },
      problems: [
        'type check: solution.ts:12:7: Type \'string\' is not assignable to type \'number\'.',
        'type check: solution exports do not match types/solution.d.ts: Property \'answers\' is incompatible.',
        'solution.ts could not be compiled: solution.ts:3:9: Expected ";" but found "x"; lib/util.ts:1:1: Unexpected "}"; checks that need it score 0, the rest use hw2.json',
      ],
    });
    expect(annotationLines([r], context)).toEqual([
      '::error file=pair/solution.ts,line=12,col=7,title=hw2 check%3A pair::solution.ts:12:7: Type \'string\' is not assignable to type \'number\'.',
      '::error file=pair/solution.ts,title=hw2 check%3A pair::solution exports do not match types/solution.d.ts: Property \'answers\' is incompatible.',
      '::error file=pair/solution.ts,line=3,col=9,title=hw2 check%3A pair::solution.ts:3:9: Expected ";" but found "x"',
      '::error file=pair/lib/util.ts,line=1,col=1,title=hw2 check%3A pair::lib/util.ts:1:1: Unexpected "}"',
    ]);
  });

  it('put a wrong value in a part on its field\'s line in hw2.json, once however many checks report it', () => {
    const manifest = [
      '{', //                                   line 1
      '  "group": { "ids": ["123456782"] },', // line 2
      '  "answers": {', //                       line 3
      '    "q2": {', //                          line 4: "q2" at column 5
      '      "forward": { "E": "0.1" }', //      line 5: six spaces, "forward" (9), ": { " (4): "E" at column 20
      '    }',
      '  }',
      '}',
    ].join('\n');
    const issue = { code: 'invalid_type', path: 'hw2.json answers.q2.forward.E', text: 'expected number, found string "0.1"' };
    const missing = { code: 'invalid_type', path: 'hw2.json answers.q2.gradients.w3', text: 'expected number, found nothing' };
    const r = result({
      problems: ['hw2.json group.ids: "1234" is not a 9-digit id'],
      checks: [row('q2.forward', 4, { status: 'error', score: 0, issues: [issue, missing] }), row('q2.update', 2, { status: 'error', score: 0, issues: [issue] })],
    });
    expect(annotationLines([r], { workspace: '/ws', manifests: new Map([['/ws/pair', manifest]]) })).toEqual([
      // group.ids: the key "ids" on line 2, after two spaces, "group" (7), ": { " (4): column 14.
      '::warning file=pair/hw2.json,line=2,col=14,title=hw2 check%3A pair::hw2.json group.ids: "1234" is not a 9-digit id',
      '::error file=pair/hw2.json,line=5,col=20,title=hw2 check%3A pair::hw2.json answers.q2.forward.E: expected number, found string "0.1"',
      // No gradients in hw2.json: the nearest field there is, answers.q2.
      '::error file=pair/hw2.json,line=4,col=5,title=hw2 check%3A pair::hw2.json answers.q2.gradients.w3: expected number, found nothing',
    ]);
    // Without hw2.json's text the field has a file and no line.
    expect(annotationLines([r], context)[1]).toBe('::error file=pair/hw2.json,title=hw2 check%3A pair::hw2.json answers.q2.forward.E: expected number, found string "0.1"');
  });

  it('give no file for a zip or a folder outside the workspace, and name none for a message without a place', () => {
    const problems = ['hw2.json is not valid JSON: ValueExpected at line 1, column 1', 'hw2.json not found in the submission'];
    expect(annotationLines([result({ submission: { id: 'z', path: '/ws/z.zip', hash: 'h' }, problems })], context)).toEqual([
      '::error title=hw2 check%3A z::hw2.json is not valid JSON: ValueExpected at line 1, column 1',
    ]);
    expect(annotationLines([result({ submission: { id: 'o', path: '/elsewhere/o', hash: 'h' }, problems })], context)).toEqual([
      '::error title=hw2 check%3A o::hw2.json is not valid JSON: ValueExpected at line 1, column 1',
    ]);
  });

  it('keep a student\'s line breaks, colons, commas and percent signs from starting or splitting a command', () => {
    const r = result({
      submission: { id: 'a,b:c%d\n::warning::x', path: '/ws/p', hash: 'h' },
      problems: ['hw2.json answers.q2: unknown field "k\n::set-output name=score::100\r\n::stop-commands::t" (check the spelling against `hw2 schema`); ignored'],
    });
    const lines = annotationLines([r], context);
    expect(lines).toEqual([
      '::warning file=p/hw2.json,title=hw2 check%3A a%2Cb%3Ac%25d%0A%3A%3Awarning%3A%3Ax::hw2.json answers.q2: unknown field ' +
      '"k%0A::set-output name=score::100%0D%0A::stop-commands::t" (check the spelling against `hw2 schema`); ignored',
    ]);
    expect(lines.join('\n').split(/\r|\n/)).toHaveLength(1);
  });
});

describe('places in hw2.json', () => {
  it('read the JSON paths the harness writes, quoted keys and items included', () => {
    expect(jsonPathKeys('answers.q5.params[0].w')).toEqual(['answers', 'q5', 'params', 0, 'w']);
    expect(jsonPathKeys('answers["odd.key"][2]')).toEqual(['answers', 'odd.key', 2]);
    expect(jsonPathKeys('(top level)')).toEqual([]);
  });

  it('are not found, rather than thrown, in a file nested past the stack or not JSON', () => {
    // jsonc-parser recurses once per level: 200,000 levels pass V8's stack, and the place is not found.
    expect(fieldPosition(`${'['.repeat(200_000)}${']'.repeat(200_000)}`, '[0][0]')).toBeUndefined();
    expect(fieldPosition(`${'['.repeat(20)}${']'.repeat(20)}`, '[0][0]')).toEqual({ line: 1, col: 3 });
    expect(fieldPosition('not json', 'answers.q2')).toBeUndefined();
  });
});

describe('the writer', () => {
  let root: string | undefined;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
    root = undefined;
  });

  async function githubFiles() {
    root = await mkdtemp(join(tmpdir(), 'hw2-github-'));
    const env = {
      GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: root,
      GITHUB_STEP_SUMMARY: join(root, 'summary.md'), GITHUB_OUTPUT: join(root, 'output'),
    };
    // GitHub makes both files before a step runs; the writer appends to them.
    await writeFile(env.GITHUB_STEP_SUMMARY, 'before\n');
    await writeFile(env.GITHUB_OUTPUT, 'other=1\n');
    return { root, env };
  }

  it('appends a pair\'s check to the summary and the outputs when its result is made, and prints its annotations', async () => {
    const { root, env } = await githubFiles();
    await mkdir(join(root, 'pair'));
    await writeFile(join(root, 'pair', 'hw2.json'), '{\n  "answers": { "q2": 1 }\n}\n');
    const r = result({ ...pairCheck, submission: { id: 'pair', path: join(root, 'pair'), hash: 'h' }, checks: [...pairCheck.checks, row('q2.x', 0, { status: 'error', score: 0, issues: [{ code: 'invalid_type', path: 'hw2.json answers.q2', text: 'expected object, found number 1' }] })] });
    const printed: string[] = [];
    const reporter = githubReporter(env, (text) => printed.push(text));
    await reporter.submission!(r, join(root, 'out', 'pair'));
    expect(await readFile(env.GITHUB_STEP_SUMMARY, 'utf8')).toBe(`before\n${summaryMarkdown([r])}`);
    expect(await readFile(env.GITHUB_OUTPUT, 'utf8')).toBe('other=1\nscore=3.5\nmax-score=12\n');
    // "q2" on line 2: two spaces, "answers" (9), ": { " (4): column 16.
    expect(printed.join('')).toContain('::error file=pair/hw2.json,line=2,col=16,title=hw2 check%3A pair::hw2.json answers.q2: expected object, found number 1\n');
    // The batch hook of a check run (hw2 check has none; a caller that fires it) writes nothing more.
    await reporter.run!([r], root);
    expect(await readFile(env.GITHUB_OUTPUT, 'utf8')).toBe('other=1\nscore=3.5\nmax-score=12\n');
  });

  it('writes a graded batch once, at the end, and its annotations to HW2_GITHUB_ANNOTATIONS when set', async () => {
    const { root, env } = await githubFiles();
    const annotations = join(root, 'annotations');
    const batch = ['a', 'b'].map((id) => result({ mode: 'grade', submission: { id, path: join(root, id), hash: 'h' }, problems: ['hw2.json is not valid JSON: ValueExpected at line 1, column 1'] }));
    const printed: string[] = [];
    const reporter = githubReporter({ ...env, HW2_GITHUB_ANNOTATIONS: annotations }, (text) => printed.push(text));
    for (const r of batch) await reporter.submission!(r, join(root, 'out', r.submission.id));
    expect(await readFile(env.GITHUB_STEP_SUMMARY, 'utf8')).toBe('before\n');
    await reporter.run!(batch, root);
    expect(await readFile(env.GITHUB_STEP_SUMMARY, 'utf8')).toBe(`before\n${summaryMarkdown(batch)}`);
    expect(await readFile(env.GITHUB_OUTPUT, 'utf8')).toBe('other=1\n');
    expect(printed).toEqual([]);
    expect(await readFile(annotations, 'utf8')).toBe(
      '::error file=a/hw2.json,line=1,col=1,title=hw2 grade%3A a::hw2.json is not valid JSON: ValueExpected at line 1, column 1\n' +
      '::error file=b/hw2.json,line=1,col=1,title=hw2 grade%3A b::hw2.json is not valid JSON: ValueExpected at line 1, column 1\n');
  });

  it('does nothing off GitHub Actions, even with the files named', async () => {
    const { env } = await githubFiles();
    const printed: string[] = [];
    const reporter = githubReporter({ ...env, GITHUB_ACTIONS: undefined }, (text) => printed.push(text));
    expect(reporter).toEqual({});
    expect(await readFile(env.GITHUB_STEP_SUMMARY, 'utf8')).toBe('before\n');
  });
});
