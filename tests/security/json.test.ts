/**
 * JSON a submission wrote is parsed with limits (depth, counts, prototype keys) before
 * anything recursive sees it; strings a submission controls are bounded in results; and
 * junit.xml stays well-formed whatever characters an id or a message holds.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSubmission } from '../../src/contract/load.ts';
import { parseNotebook } from '../../src/intake/notebook.ts';
import { parseHistory } from '../../src/data/history.ts';
import { parseNpy } from '../../src/data/npy.ts';
import { gradePath } from '../../src/engine/pipeline.ts';
import { boundResult } from '../../src/engine/bound.ts';
import { junitXml } from '../../src/report/sheets.ts';
import type { SubmissionResult } from '../../src/core/vocabulary.ts';
import { correctAnswers, RUBRIC } from '../helpers.ts';
import { REGISTRY } from '../../checks/index.ts';

const deep = (n: number, inner = '1') => `${'['.repeat(n)}${inner}${']'.repeat(n)}`;

async function submission(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hw2-sec-json-'));
  await writeFile(join(dir, 'hw2.json'), text);
  return dir;
}

describe('hw2.json: prototype keys and depth', () => {
  it('drops "__proto__" and "constructor" keys with a warning naming the field; nothing is polluted', async () => {
    const answers = correctAnswers();
    const text = `{"contract": 1, "__proto__": {"polluted": "top"}, "group": {"ids": ["123456782", "234567891"]},
      "answers": {"constructor": {"prototype": {"polluted": "part"}}, "__proto__": {"polluted": "answers"},
                  "q4": ${JSON.stringify(answers.q4).replace(/^\{/, '{"__proto__": {"polluted": "q4"},')}}}`;
    const sub = await loadSubmission(await submission(text));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(sub.problems).toEqual([]);
    expect(sub.answers.q4).toEqual(answers.q4);
    expect(sub.warnings).toEqual(expect.arrayContaining([
      'hw2.json __proto__: the key "__proto__" is not allowed (it could change what an object inherits); ignored',
      'hw2.json answers.constructor: the key "constructor" is not allowed (it could change what an object inherits); ignored',
      'hw2.json answers.__proto__: the key "__proto__" is not allowed (it could change what an object inherits); ignored',
      'hw2.json answers.q4.__proto__: the key "__proto__" is not allowed (it could change what an object inherits); ignored',
    ]));
  });

  it('an answers part named "constructor" or "toString" is an unknown part, not a crash', async () => {
    const sub = await loadSubmission(await submission('{"contract": 1, "group": {"ids": ["123456782"]}, "answers": {"constructor": {"x": 1}, "toString": 1}}'));
    expect(sub.problems).toEqual([]);
    expect(sub.warnings.join('\n')).toMatch(/hw2\.json answers\.constructor: unknown part .*; ignored/);
    expect(sub.warnings.join('\n')).toMatch(/hw2\.json answers\.toString: unknown part .*; ignored/);
  });

  it('nesting past the limit is refused by depth, valid or not, before zod or any recursive reader', async () => {
    const valid = await loadSubmission(await submission(`{"contract": 1, "group": {"ids": ["123456782"]}, "answers": {"q1": {"proof": ${deep(200_000)}}}}`));
    expect(valid.problems).toEqual(['hw2.json is nested more than 32 levels deep at line 1, column 107 (limit); it was not read']);
    const broken = await loadSubmission(await submission(`{"answers": ${deep(200_000).slice(0, -5)}`));
    expect(broken.problems[0]).toMatch(/^hw2\.json is nested more than 32 levels deep/);
  });

  it('a whole batch goes on: the deep hw2.json is graded 0 with the reason', async () => {
    const dir = await submission(`{"contract": 1, "group": {"ids": ["123456782"]}, "answers": {"q6": ${deep(100_000)}}}`);
    const { result } = await gradePath(dir, REGISTRY, RUBRIC, { mode: 'grade', seed: 211 });
    // The submission rules look at the files alone, so only they may still score.
    expect(result.checks.filter((c) => c.question !== 'rules').every((c) => c.score === 0)).toBe(true);
    expect(result.problems[0]).toMatch(/nested more than 32 levels deep/);
  });
});

describe('notebooks and histories: the same limits', () => {
  it('a deeply nested notebook is that notebook\'s error', () => {
    const nb = `{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": ${deep(100_000)}}`;
    expect(parseNotebook(nb, 'ee046211_hw2_1_2.ipynb')).toEqual({ ok: false, message: 'ee046211_hw2_1_2.ipynb is nested more than 64 levels deep at line 1, column 126 (limit); it was not read' });
    const proto = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }).replace('{', '{"__proto__": {"polluted": 1},');
    expect(parseNotebook(proto, 'nb.ipynb').ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a history nested too deep, or with a prototype column, is read safely', () => {
    expect(parseHistory(`{"loss": ${deep(10_000)}}`, 'history/mlp.json')).toEqual({ ok: false, message: 'history/mlp.json is nested more than 8 levels deep at line 1, column 17 (limit); it was not read' });
    const csv = parseHistory('epoch,__proto__,loss\n1,5,0.9\n2,5,0.5\n', 'history/mlp.csv');
    expect(csv).toEqual({ ok: true, history: { x: [1, 2], xLabel: 'epoch', series: { loss: [0.9, 0.5] } } });
  });
});

describe('.npy headers are bounded, and no message copies a long one', () => {
  const npy = (header: string) => {
    const h = Buffer.from(header, 'latin1');
    const out = Buffer.alloc(12 + h.length);
    Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0]).copy(out);
    out.writeUInt32LE(h.length, 8);
    h.copy(out, 12);
    return out;
  };
  it('a 1 MB header is refused by its length', () => {
    expect(() => parseNpy(npy(`{'descr': '<f4', 'fortran_order': False, 'shape': (${'1, '.repeat(350_000)}), }`), 'x.npy'))
      .toThrow('x.npy: the header is 1050055 bytes, more than the limit of 10000 (NumPy\'s own); save it again with np.save');
  });
  it('a long shape inside the limit is cut in the message', () => {
    let message = '';
    try {
      parseNpy(npy(`{'descr': '<f4', 'fortran_order': False, 'shape': (${'x'.repeat(9000)}), }`), 'x.npy');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^x\.npy: shape \(x{80}… \(8920 more characters\)\) is not a tuple of sizes$/);
  });
});

function result(over: Partial<SubmissionResult> = {}): SubmissionResult {
  return {
    contract: 1, harness: { name: 'hw2-harness', version: 't' }, mode: 'grade',
    submission: { id: 'pair', path: '/x', hash: '' }, score: 0, maxScore: 100, pendingManual: 0, heldBack: 0, incomplete: [], problems: [],
    checks: [{ id: 'q1.proof', question: 'q1', title: 'Q1', kind: 'auto', visibility: 'public', status: 'fail', score: 0, points: 1, message: 'm' }],
    ...over,
  } as SubmissionResult;
}

describe('boundResult: every string a submission controls, cut with a visible marker', () => {
  it('cuts messages, texts, output, expected/actual and evidence; ids and names shorter; the input is untouched', () => {
    let nested: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) nested = [nested];
    const big = 'A'.repeat(50_000);
    const input = result({
      submission: { id: 'i'.repeat(500), path: '/x', hash: '', group: { ids: ['1'.repeat(300)], names: ['n'.repeat(300)] } },
      problems: [big],
      solution: { file: 'solution.ts', ms: 1, exports: [], output: big },
      checks: [{ id: 'q1.proof', question: 'q1', title: 'Q1', kind: 'manual', visibility: 'public', status: 'manual', score: 0, points: 1, message: big, text: big, diagnoses: [{ code: 'q1.x', text: big }],
        actual: { [`__proto__`]: big, deep: nested }, expected: [big],
        evidence: { type: 'curves', xLabel: big, yLabel: 'y', x: [1], series: { [big]: [1] } } }],
    });
    const bounded = boundResult(input, 1000);
    const marker = '… (49000 more characters)';
    expect(bounded.problems[0]).toBe(`${'A'.repeat(1000)}${marker}`);
    expect(bounded.solution!.output).toBe(`${'A'.repeat(1000)}${marker}`);
    const c = bounded.checks[0]!;
    for (const s of [c.message, c.text, c.diagnoses![0]!.text, (c.expected as string[])[0], (c.evidence as { xLabel: string }).xLabel]) expect(s).toBe(`${'A'.repeat(1000)}${marker}`);
    expect(Object.getOwnPropertyDescriptor(c.actual, '__proto__')?.value).toBe(`${'A'.repeat(1000)}${marker}`);
    expect(bounded.submission.id).toBe(`${'i'.repeat(200)}… (300 more characters)`);
    expect(bounded.submission.group!.names![0]).toBe(`${'n'.repeat(200)}… (100 more characters)`);
    expect(JSON.stringify(bounded).length).toBeLessThan(20_000);
    expect(input.problems[0]).toBe(big);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

/** A strict XML 1.0 parser (Python's expat): refuses any character XML cannot hold. */
function wellFormed(xml: string): void {
  execFileSync('python3', ['-c', 'import sys, xml.dom.minidom; xml.dom.minidom.parseString(sys.stdin.buffer.read())'], { input: Buffer.from(xml, 'utf8') });
}

describe('junit.xml stays well-formed', () => {
  it('drops the characters XML 1.0 forbids from ids, names and messages', () => {
    const hostile = 'a\u0001b\u001fc\ufffed\uffffe\ud800f\udc00g😀"<&>\'\t\n\r';
    const r = result({ submission: { id: `pair${hostile}`, path: '/x', hash: '' } });
    r.checks[0]!.message = hostile;
    r.checks[0]!.diagnoses = [{ code: 'q1.x', text: hostile }];
    const out = junitXml([r]);
    expect(() => wellFormed(out)).not.toThrow();
    expect(out).toContain('name="pairabcdefg😀&quot;&lt;&amp;&gt;&apos;&#9;&#10;&#13;"');
  });
});
