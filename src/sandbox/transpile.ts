/**
 * Bundles a pair's solution module into one ESM file without running any of it. esbuild
 * reads only files inside the submission folder (checked on the real path, so a symlink
 * cannot lead out); Node's built-in modules stay imports (the permission model and the
 * child's own guards govern them); the packages the harness provides resolve to its copy,
 * so a student folder needs no node_modules.
 */
import { builtinModules, createRequire } from 'node:module';
import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { isInside } from '../util/paths.ts';
import { pathToFileURL } from 'node:url';
import { build, type Message, type Plugin } from 'esbuild';

export const SOLUTION_FILES = ['solution.ts', 'solution.mts', 'solution.js', 'solution.mjs'] as const;

/** Packages a solution may import; they resolve to the harness's own installed copy. */
export const PROVIDED_PACKAGES = ['@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu'];

const harnessRequire = createRequire(import.meta.url);
const BUILTINS = new Set(builtinModules);

export function findSolution(dir: string): string | undefined {
  return SOLUTION_FILES.map((f) => join(dir, f)).find((f) => existsSync(f));
}

function confine(root: string): Plugin {
  return {
    name: 'confine-to-submission',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const spec = args.path;
        if (spec.startsWith('node:') || BUILTINS.has(spec)) return { path: spec, external: true };
        const pkg = PROVIDED_PACKAGES.find((p) => spec === p || spec.startsWith(`${p}/`));
        if (pkg) {
          try {
            return { path: pathToFileURL(harnessRequire.resolve(spec)).href, external: true };
          } catch {
            return { errors: [{ text: `imports ${spec}, which is not installed with this harness` }] };
          }
        }
        if (spec.startsWith('.') || isAbsolute(spec)) {
          const target = resolve(args.resolveDir, spec);
          if (!isInside(root, target)) return { errors: [{ text: `imports ${spec}, which is outside the submission folder` }] };
          return undefined;
        }
        return { errors: [{ text: `imports the package ${spec}; a solution may import only Node's built-in modules and ${PROVIDED_PACKAGES.join(', ')}` }] };
      });
      b.onLoad({ filter: /.*/ }, (args) => {
        let real: string;
        try {
          real = realpathSync(args.path);
        } catch {
          return undefined;
        }
        if (!isInside(realpathSync(root), real)) return { errors: [{ text: `${relative(root, args.path)} leads outside the submission folder` }] };
        return undefined;
      });
    },
  };
}

function formatMessage(root: string, m: Message): string {
  const where = m.location ? `${relative(root, resolve(root, m.location.file))}:${m.location.line}:${m.location.column + 1}: ` : '';
  return `${where}${m.text}`;
}

export type Bundled = { ok: true; entry: string; file: string; dir: string } | { ok: false; entry?: string; message: string };

/** Bundles `<dir>/solution.(ts|mts|js|mjs)` into a fresh temporary folder. */
export async function bundleSolution(dir: string): Promise<Bundled> {
  const root = resolve(dir);
  const entry = findSolution(root);
  if (!entry) return { ok: false, message: `no ${SOLUTION_FILES.join(' / ')} in the submission` };
  try {
    const out = await build({
      entryPoints: [entry], bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20',
      absWorkingDir: root, logLevel: 'silent', plugins: [confine(root)], sourcemap: false,
    });
    const bundleDir = await mkdtemp(join(tmpdir(), 'hw2-solution-'));
    const file = join(bundleDir, 'solution.mjs');
    await writeFile(file, out.outputFiles[0]!.contents);
    return { ok: true, entry, file, dir: bundleDir };
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    const message = errors?.length ? errors.slice(0, 5).map((m) => formatMessage(root, m)).join('; ') : (error as Error).message;
    return { ok: false, entry, message: `${relative(root, entry)} could not be compiled: ${message}` };
  }
}

/** Folders the child may read: its bundle, its own submission, and the provided packages. */
export function childReadPaths(bundleDir: string, submissionDir: string): string[] {
  const paths = [bundleDir, resolve(submissionDir)];
  try {
    paths.push(dirname(harnessRequire.resolve('@tensorflow/tfjs-core/package.json')).replace(/@tensorflow.*$/, ''));
  } catch {
    // TensorFlow.js is not installed: solutions simply cannot import it.
  }
  return paths;
}

/**
 * Bundles one of the harness's own modules (the model evaluator) for a sandboxed child:
 * every package import becomes the absolute file URL of the harness's installed copy.
 */
export async function bundleHarnessModule(entry: string): Promise<{ file: string; dir: string }> {
  const out = await build({
    entryPoints: [entry], bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20', logLevel: 'silent',
    plugins: [{
      name: 'packages-from-harness',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => {
          if (args.path.startsWith('node:') || BUILTINS.has(args.path)) return { path: args.path, external: true };
          return { path: pathToFileURL(harnessRequire.resolve(args.path)).href, external: true };
        });
      },
    }],
  });
  const dir = await mkdtemp(join(tmpdir(), 'hw2-harness-'));
  const file = join(dir, 'module.mjs');
  await writeFile(file, out.outputFiles[0]!.contents);
  return { file, dir };
}
