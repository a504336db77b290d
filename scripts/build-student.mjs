#!/usr/bin/env node
/**
 * `npm run build:student`: the student build of the harness, `dist/student/`, an npm-packable
 * folder whose `hw2.mjs` runs `hw2 check` (and `schema`, `types`, `rubric`) where this
 * repository is absent. It carries no answer key:
 *
 * - every hidden check (visibility "hidden" in its definition) is compiled without its `run`:
 *   its id, title, points and visibility stay, so `hw2 check` lists it as "graded later", and
 *   what its `run` computed or imported is left out by the bundler;
 * - `rubric.json` beside it is reference/rubric.json without the Q3 and Q5 keys;
 * - `hw2 reference` (reference/index.ts), `grade`, `merge`, `train` and `data` are replaced
 *   by a module that says they are not part of this build.
 *
 * Every `new URL('<file>', import.meta.url)` in our sources is pointed at the copy beside
 * the bundle; one that has no copy fails the build, so nothing reads back into a repository.
 * npm packages stay external: `package.json` lists those the bundle imports (`npm install`
 * in the folder, or the repository's node_modules above it).
 *
 * Usage: node scripts/build-student.mjs [OUT_DIR]   (default dist/student). tests/e2e/
 * student-build.test.ts builds it and searches every byte for each hidden value.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const at = (p) => join(ROOT, p);

/** Files and folders our sources open through import.meta.url, and their place in the build. */
const DATA = {
  'reference/rubric.json': 'rubric.json',
  'types/solution.d.ts': 'types/solution.d.ts',
  'reports/': 'reports/',
  'vendor/fashion-mnist': 'vendor/fashion-mnist',
  'package.json': 'package.json',
  'src/sandbox/child.mjs': 'child.mjs',
  'src/sandbox/codec.mjs': 'codec.mjs',
  'src/models/evaluate-child.ts': 'evaluate-child.mjs',
  // The cache key's "harness sources": the build's own folder.
  '': './',
};

/** Modules the student build replaces: what they do needs the key, or is not a student's. */
const WITHHELD_COMMANDS = ['grade', 'merge', 'reference', 'train', 'data', 'similarity', 'review'];
const STUBBED = new Map([
  ['reference/index.ts', "export const REFERENCE_TOPICS = []; export async function referenceAnswer() { throw new Error('the reference answers are not part of the student build'); } export async function task1OverSeeds() { throw new Error('not part of the student build'); }"],
  // hw2 similarity compares a course's submissions: a course's tool, reached only by its withheld command.
  ['src/similarity/read.ts', "export async function readBase() { throw new Error('not part of the student build'); } export async function readCourse() { throw new Error('not part of the student build'); }"],
  ['src/similarity/score.ts', "export function compare() { throw new Error('not part of the student build'); }"],
  ...['reference', 'train', 'merge', 'data', 'similarity', 'review'].map((name) => `src/cli/commands/${name}.ts`).map((file) => [file,
    `import { UsageError } from '${at('src/core/errors.ts')}';\nexport async function command() { throw new UsageError('hw2 ${file.split('/').pop().replace('.ts', '')} is not part of the student build (it has check, schema, types and rubric)'); }`]),
]);

/** Hidden checks lose their `run` (and `probes`): their definition stays, their work does not. */
export function withoutHiddenWork(source, file) {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const cuts = [];
  const visit = (node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'defineCheck') {
      const def = node.arguments[0];
      if (def && ts.isObjectLiteralExpression(def)) {
        const prop = (name) => def.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === name);
        const visibility = prop('visibility');
        const hidden = visibility && ts.isPropertyAssignment(visibility) && ts.isStringLiteral(visibility.initializer) && visibility.initializer.text === 'hidden';
        if (hidden) {
          for (const name of ['run', 'probes']) {
            const member = prop(name);
            if (!member) continue;
            const text = name === 'run'
              ? "run: () => ({ kind: 'manual', message: 'Hidden check: graded later by the course.' })"
              : 'probes: () => []';
            cuts.push({ start: member.getStart(sf), end: member.end, text });
          }
          if (!prop('run')) throw new Error(`${file}: a hidden check without run: cannot strip it`);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  let out = source;
  for (const cut of cuts.sort((a, b) => b.start - a.start)) out = out.slice(0, cut.start) + cut.text + out.slice(cut.end);
  return { source: out, stripped: cuts.filter((c) => c.text.startsWith('run')).length };
}

const URL_OF_META = /new URL\((['"])([^'"]*)\1,\s*import\.meta\.url\)/g;

/** Points `new URL('x', import.meta.url)` at the copy in the build, from where hw2.mjs is. */
function rewriteUrls(source, file) {
  return source.replace(URL_OF_META, (_, quote, rel) => {
    const target = relative(ROOT, resolve(dirname(file), rel)).split(sep).join('/') + (rel.endsWith('/') && rel !== '../../' ? '/' : '');
    const key = target === '' || target === '/' ? '' : target;
    if (!Object.hasOwn(DATA, key)) throw new Error(`${relative(ROOT, file)}: opens ${rel} (${key}), which the student build does not carry; add it to DATA in scripts/build-student.mjs`);
    const mapped = DATA[key];
    return `new URL(${quote}./${mapped === './' ? '' : mapped}${quote}, import.meta.url)`;
  });
}

function studentPlugin(stats) {
  return {
    name: 'student-build',
    setup(b) {
      // Packages stay external (listed in package.json); our own files are bundled.
      b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('/') ? undefined : { path: args.path, external: true }));
      b.onLoad({ filter: /\.(ts|mts|mjs|js)$/ }, (args) => {
        const rel = relative(ROOT, args.path).split(sep).join('/');
        if (rel.startsWith('node_modules/') || rel.startsWith('..')) return undefined;
        if (STUBBED.has(rel)) return { contents: STUBBED.get(rel), loader: 'js' };
        if (rel.startsWith('src/train/')) return { contents: "export {}; throw new Error('training is not part of the student build');", loader: 'js' };
        let source = readFileSync(args.path, 'utf8');
        if (rel.startsWith('checks/')) {
          const done = withoutHiddenWork(source, rel);
          source = done.source;
          stats.hiddenStripped += done.stripped;
        }
        source = rewriteUrls(source, args.path);
        return { contents: source, loader: /\.m?ts$/.test(rel) ? 'ts' : 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

const ENTRY = `
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => { if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0); throw error; });
}
import { run } from './src/cli/main.ts';
import { version } from './src/cli/help.mjs';
const argv = process.argv.slice(2);
const HELP = \`hw2 \${version()} (student build) — check an EE 046211 HW2 submission before handing it in

Usage:
  hw2 check <folder|zip> [--out DIR] [--reporter NAME,...]
      Public checks in full; hidden checks only as "graded later by the course".
      Writes DIR/<id>/result.json and report.html (default DIR: out).
  hw2 schema     the JSON Schema of hw2.json
  hw2 types      types/solution.d.ts, what a solution.ts may export
  hw2 rubric     every check with its points and visibility
\`;
if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
  console.log(HELP);
  process.exitCode = argv.length ? 0 : 2;
} else if (${JSON.stringify(WITHHELD_COMMANDS)}.includes(argv[0])) {
  console.error(\`hw2: "\${argv[0]}" is not part of the student build (it has check, schema, types and rubric; see hw2 --help)\`);
  process.exitCode = 2;
} else {
  process.exitCode = await run(argv);
}
`;

/**
 * reference/rubric.json without the keys of hidden checks (the rubric schema lets them be
 * absent), and without the TAs' manual section: its reference notes and rubric items spell out
 * answers (Q3's types among them).
 */
export function studentRubric(rubric) {
  const copy = structuredClone(rubric);
  delete copy.q3.key;
  delete copy.q5.invariancesKey;
  delete copy.q5.scaleEffectKey;
  delete copy.manual;
  copy.$comment = 'The student build\'s rubric: the course\'s, without the keys of its hidden checks (Q3, Q5) and without the TAs\' notes.';
  return copy;
}

export async function buildStudent(outDir = at('dist/student')) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const stats = { hiddenStripped: 0 };
  const common = {
    bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning', metafile: true,
    legalComments: 'none', plugins: [studentPlugin(stats)],
  };
  const main = await build({ ...common, stdin: { contents: ENTRY, resolveDir: ROOT, sourcefile: 'student-entry.ts', loader: 'ts' }, outfile: join(outDir, 'hw2.mjs') });
  const child = await build({ ...common, entryPoints: [at('src/models/evaluate-child.ts')], outfile: join(outDir, 'evaluate-child.mjs') });
  cpSync(at('src/sandbox/child.mjs'), join(outDir, 'child.mjs'));
  cpSync(at('src/sandbox/codec.mjs'), join(outDir, 'codec.mjs'));
  cpSync(at('reports'), join(outDir, 'reports'), { recursive: true });
  mkdirSync(join(outDir, 'types'));
  cpSync(at('types/solution.d.ts'), join(outDir, 'types/solution.d.ts'));
  cpSync(at('vendor/fashion-mnist'), join(outDir, 'vendor/fashion-mnist'), { recursive: true });
  writeFileSync(join(outDir, 'rubric.json'), `${JSON.stringify(studentRubric(JSON.parse(readFileSync(at('reference/rubric.json'), 'utf8'))), null, 2)}\n`);
  // The packages the bundles import, at the versions this repository locks.
  const root = JSON.parse(readFileSync(at('package.json'), 'utf8'));
  const imported = new Set();
  for (const meta of [main.metafile, child.metafile]) {
    for (const output of Object.values(meta.outputs)) {
      for (const imp of output.imports) {
        if (!imp.external || imp.path.startsWith('node:')) continue;
        const parts = imp.path.split('/');
        imported.add(imp.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
      }
    }
  }
  const versions = { ...root.dependencies, ...root.devDependencies };
  const dependencies = Object.fromEntries([...imported].filter((p) => versions[p]).sort().map((p) => [p, versions[p]]));
  // The wasm backend is loaded by file, not by import, when a TF.js model is measured.
  for (const p of ['@tensorflow/tfjs-backend-wasm', 'esbuild']) if (versions[p]) dependencies[p] = versions[p];
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify({
    name: 'hw2-student', version: root.version, description: 'EE 046211 HW2: check a submission before handing it in (public checks only)',
    type: 'module', license: root.license, private: true, engines: root.engines, bin: { hw2: 'hw2.mjs' }, dependencies: Object.fromEntries(Object.entries(dependencies).sort()),
    // The cache key hashes package.json among the harness's sources: a new bundle, a new key.
    hw2Build: createHash('sha256').update(readFileSync(join(outDir, 'hw2.mjs'))).update(readFileSync(join(outDir, 'evaluate-child.mjs'))).digest('hex'),
  }, null, 2)}\n`);
  writeFileSync(join(outDir, 'README.md'), `# hw2 (student build)\n\n\`\`\`sh\nnpm install\nnode hw2.mjs check ee046211_hw2_<id1>_<id2>.zip\n\`\`\`\n\nPublic checks in full; hidden checks are listed as "graded later by the course". Reports under \`out/\`.\n`);
  // A replaced module is listed as withheld:<file>: its source is not in the build.
  const inputs = new Set([...Object.keys(main.metafile.inputs), ...Object.keys(child.metafile.inputs)]
    .map((p) => relative(ROOT, resolve(ROOT, p.replace(/^[^:]*:/, ''))).split(sep).join('/'))
    .map((p) => (STUBBED.has(p) || p.startsWith('src/train/') ? `withheld:${p}` : p)));
  return { outDir, inputs: [...inputs].sort(), hiddenStripped: stats.hiddenStripped, dependencies };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = resolve(process.argv[2] ?? at('dist/student'));
  const built = await buildStudent(out);
  const files = [];
  const walk = (d) => { for (const e of readdirSync(d, { withFileTypes: true })) e.isDirectory() ? walk(join(d, e.name)) : files.push(join(d, e.name)); };
  walk(out);
  console.log(`dist: ${relative(process.cwd(), out) || '.'} (${files.length} files); ${built.hiddenStripped} hidden checks compiled without their run; packages: ${Object.keys(built.dependencies).join(', ')}`);
}
