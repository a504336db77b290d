/**
 * The student build (`npm run build:student`, scripts/build-student.mjs), built into a folder
 * outside the repository, with node_modules beside it standing for `npm install` from its own
 * package.json.
 *
 * What must not be in any byte of it is derived, not hand-picked: the checks the rubric marks
 * hidden are graded by the full harness on every example under solutions/ (with a rubric that
 * enables only them), and each value they report (`expected`), each fragment of their messages
 * and diagnoses, and the rubric's Q3 and Q5 keys become needles; the reference modules that no
 * check imports (what `hw2 reference` alone computes with) must not be among the build's inputs.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStudent, type StudentBuild } from '../../scripts/build-student.mjs';
import { REGISTRY } from '../../checks/index.ts';
import { jsonSchema } from '../../src/contract/schema.ts';
import { gradePath } from '../../src/engine/pipeline.ts';
import type { Rubric } from '../../src/rubric/rubric.ts';
import { hw2, ROOT } from '../helpers-cli.ts';
import { RUBRIC } from '../helpers.ts';

const exec = promisify(execFile);
let work: string;
let build: StudentBuild;
let bytes: { file: string; text: string }[];

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules') continue;
    if (e.isDirectory()) out.push(...(await filesUnder(join(dir, e.name))));
    else out.push(join(dir, e.name));
  }
  return out;
}

/** Runs the student build's hw2.mjs from its folder outside the repository. */
async function student(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [join(build.outDir, 'hw2.mjs'), ...args], { cwd: work, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const hiddenIds = REGISTRY.filter((c) => RUBRIC.checks[c.id]?.visibility === 'hidden').map((c) => c.id);

/** The words of the public contract: an enum value there ("model-wise") is no secret on its own. */
const PUBLIC_WORDS = JSON.stringify(jsonSchema());

/** Leaves of a value worth searching for alone: long numbers, and strings the public schema does not hold. */
function leaves(value: unknown, out: string[]): void {
  if (typeof value === 'number') {
    // Significant digits: 20000 (a round range end, also a limit elsewhere) says nothing; 132863336 does.
    const digits = String(Math.abs(value)).replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
    if (digits.length >= 4) out.push(String(value));
    if (Number.isInteger(value) && Math.abs(value) >= 10_000) out.push(value.toLocaleString('en-US'));
  } else if (typeof value === 'string') {
    if (value.length >= 6 && !PUBLIC_WORDS.includes(`"${value}"`)) out.push(value);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) leaves(v, out);
  }
}

/** A value as it may be written: compact JSON, indented JSON (rubric.json), and its leaves. */
function needlesOf(value: unknown): string[] {
  const out = [JSON.stringify(value), JSON.stringify(value, null, 2)].filter((s) => s.length >= 6 && !PUBLIC_WORDS.includes(s));
  leaves(value, out);
  return out;
}

/** Pieces of a hidden check's message or diagnosis: the sentences it explains itself with. */
function fragmentsOf(text: string): string[] {
  return text.split(/[.;:()"]|, /).map((s) => s.trim()).filter((s) => s.length >= 24 && !/\d/.test(s));
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'hw2-student-build-'));
  build = await buildStudent(join(work, 'hw2-student'));
  // `npm install` in the folder, without the network: the packages its package.json names.
  await symlink(join(ROOT, 'node_modules'), join(build.outDir, 'node_modules'), 'dir');
  bytes = await Promise.all((await filesUnder(build.outDir)).map(async (file) => ({ file: relative(build.outDir, file), text: (await readFile(file)).toString('latin1') })));
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the student build', () => {
  it('compiles every hidden check without its run, and leaves out the reference modules no check imports', async () => {
    expect(hiddenIds.length).toBeGreaterThanOrEqual(6);
    expect(build.hiddenStripped).toBe(hiddenIds.length);
    const imported = new Set<string>();
    for (const file of await readdir(join(ROOT, 'checks'))) {
      for (const m of (await readFile(join(ROOT, 'checks', file), 'utf8')).matchAll(/from '\.\.\/reference\/([\w-]+\.ts)'/g)) imported.add(`reference/${m[1]}`);
    }
    const referenceModules = (await readdir(join(ROOT, 'reference'))).filter((f) => f.endsWith('.ts')).map((f) => `reference/${f}`);
    const unused = referenceModules.filter((m) => !imported.has(m));
    expect(unused).toContain('reference/index.ts');
    expect(unused).toContain('reference/q3.ts');
    expect(build.inputs.filter((i) => unused.includes(i))).toEqual([]);
    expect(build.inputs).toContain('withheld:reference/index.ts');
  });

  it('holds none of the hidden checks\' values, messages or diagnoses, nor the Q3 and Q5 keys', async () => {
    // The hidden checks and the public ones that run no model (nothing else: models, the
    // sandbox), graded once per example. Wording a public check also prints (a shared phrase such
    // as "judged at 4 to 6 significant digits (each value at the digits written…") is no hidden
    // check's secret.
    const modelFree = new Set(REGISTRY.filter((c) => !c.needs.some((n) => n === 'models' || n === 'histories')).map((c) => c.id));
    const graded: Rubric = { ...RUBRIC, checks: Object.fromEntries(Object.entries(RUBRIC.checks).map(([id, c]) => [id, { ...c, points: hiddenIds.includes(id) || modelFree.has(id) ? c.points : 0 }])) };
    const needles = new Set<string>();
    const fragments = new Set<string>();
    const publicTexts: string[] = [];
    const examples = (await readdir(join(ROOT, 'solutions'))).filter((n) => !n.startsWith('_'));
    for (const name of examples) {
      const { result } = await gradePath(join(ROOT, 'solutions', name), REGISTRY, graded, { mode: 'grade', seed: 211 });
      for (const row of result.checks) {
        const texts = [row.message, ...(row.diagnoses ?? []).map((d) => d.text)];
        if (!hiddenIds.includes(row.id)) {
          publicTexts.push(...texts);
          continue;
        }
        if (row.expected !== undefined) for (const n of needlesOf(row.expected)) needles.add(n);
        for (const text of texts) for (const f of fragmentsOf(text)) fragments.add(f);
      }
    }
    for (const f of fragments) if (!publicTexts.some((t) => t.includes(f))) needles.add(f);
    const rubricFile = JSON.parse(await readFile(join(ROOT, 'reference/rubric.json'), 'utf8')) as
      { q3: { key: unknown }; q5: { invariancesKey: unknown; scaleEffectKey: unknown }; manual?: Record<string, { notes?: string }> };
    for (const n of needlesOf(rubricFile.q3.key)) needles.add(n);
    // The TAs' reference notes spell out answers (Q3's plot types among them).
    const notes = Object.values(rubricFile.manual ?? {}).flatMap((m) => (m.notes ? fragmentsOf(m.notes) : []));
    expect(notes.length).toBeGreaterThan(5);
    // A phrase a check's (public) title also says is no secret: "input and output dimensions".
    for (const f of notes) if (!REGISTRY.some((c) => c.title.includes(f))) needles.add(f);
    for (const [field, value] of Object.entries({ invariancesKey: rubricFile.q5.invariancesKey, scaleEffectKey: rubricFile.q5.scaleEffectKey })) {
      for (const n of needlesOf(value)) needles.add(n);
      needles.add(`"${field}": ${JSON.stringify(value)}`);
      needles.add(`"${field}":${JSON.stringify(value)}`);
    }
    // The search finds what it looks for: q6.total's 132,863,336 (the published VGG-11 count) and the key's axis are needles.
    expect(needles).toContain('132863336');
    expect([...needles].some((n) => n.includes('ResNet18'))).toBe(true);
    expect(needles.size).toBeGreaterThan(30);
    const found = [...needles].flatMap((n) => bytes.filter((b) => b.text.includes(n)).map((b) => `${b.file}: ${n}`));
    expect(found).toEqual([]);
    // And the same search over the full harness's own files finds them (the needles are not vacuous).
    const source = await readFile(join(ROOT, 'reference/rubric.json'), 'latin1');
    expect([...needles].filter((n) => source.includes(n)).length).toBeGreaterThan(3);
  }, 120_000);

  it('checks a submission outside the repository as the full harness\'s hw2 check does, and has no hw2 reference', async () => {
    const example = join(ROOT, 'solutions/flawed-q2-sign-error-w3');
    const [fromBuild, fromHarness, reference, grade, rubric] = await Promise.all([
      student(['check', example, '--out', join(work, 'student-out'), '--reporter', 'json']),
      hw2(['check', example, '--out', join(work, 'harness-out'), '--reporter', 'json']),
      student(['reference', 'q3']), student(['grade', example]), student(['rubric']),
    ]);
    expect(fromBuild.stderr).toBe('');
    expect(fromBuild.code).toBe(fromHarness.code);
    const read = async (dir: string) => JSON.parse(await readFile(join(dir, 'flawed-q2-sign-error-w3', 'result.json'), 'utf8')) as { score: number; checks: Record<string, unknown>[] };
    const [a, b] = [await read(join(work, 'student-out')), await read(join(work, 'harness-out'))];
    const rows = (r: typeof a) => r.checks.map(({ id, status, score, message, diagnoses, expected, actual }) => ({ id, status, score, message, diagnoses, expected, actual }));
    // Every row the same: public ones in full (the sign error diagnosed), hidden ones only as "graded later".
    expect(rows(a)).toEqual(rows(b));
    expect(a.score).toBe(b.score);
    expect(a.checks.find((c) => c.id === 'q2.gradients')!.diagnoses).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'q2.gradient-sign' })]));
    expect(a.checks.filter((c) => c.status === 'hidden').map((c) => c.id).sort()).toEqual([...hiddenIds].sort());

    expect(reference.code).toBe(2);
    expect(reference.stderr).toMatch(/"reference" is not part of the student build/);
    expect(grade.code).toBe(2);
    expect(rubric.code).toBe(0);
    expect(rubric.stdout).toContain('q3.types');
  }, 120_000);

  it('is an npm package whose bin is hw2.mjs and whose dependencies are the packages it imports', async () => {
    const pkg = JSON.parse(await readFile(join(build.outDir, 'package.json'), 'utf8')) as { bin: Record<string, string>; dependencies: Record<string, string> };
    expect(pkg.bin).toEqual({ hw2: 'hw2.mjs' });
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['onnxruntime-node', 'zod', 'yauzl']));
    expect(pkg.dependencies).not.toHaveProperty('vitest');
  });
});
