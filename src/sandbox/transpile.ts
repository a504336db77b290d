/**
 * Bundles a pair's solution module into one ESM file without running any of it. esbuild
 * reads only files inside the submission folder (checked on the real path, so a symlink
 * cannot lead out) and no tsconfig.json at all (a fixed one is passed: `extends` could name
 * any file on the machine); Node's built-in modules stay imports (the permission model and
 * the child's own guards govern them); the packages the harness provides resolve to its
 * copy, so a student folder needs no node_modules.
 */
import { builtinModules, createRequire } from 'node:module';
import { existsSync, realpathSync } from 'node:fs';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { isInside } from '../util/paths.ts';
import { pathToFileURL } from 'node:url';
import { build, stop, type BuildOptions, type Message, type Plugin } from 'esbuild';

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

/**
 * A compile message with its path relative to the submission. A message about a file
 * outside it (esbuild also reads package.json files in the folders above) is named, never
 * quoted: its text can carry that file's content.
 */
function formatMessage(root: string, m: Message): string {
  if (!m.location) return m.text;
  const file = resolve(root, m.location.file);
  if (!isInside(root, file)) return `${relative(root, file)}, outside the submission folder, could not be used (its content is not shown)`;
  return `${relative(root, file)}:${m.location.line}:${m.location.column + 1}: ${m.text}`;
}

/**
 * esbuild's build, surviving the death of its service process (a child of this process
 * that anything able to signal us can kill): esbuild does not restart it by itself, and
 * every later build would fail with "The service is no longer running". stop() forgets
 * the dead service, so one retry starts a fresh one.
 */
async function buildOnce(options: BuildOptions & { write: false }) {
  try {
    return await build(options);
  } catch (error) {
    if (!/The service (was stopped|is no longer running)/.test((error as Error).message ?? '')) throw error;
    await stop();
    return build(options);
  }
}

/** The folder and file a child reads, readable to uid 65534 (the fallback's child on a root grader). */
async function writeForChild(prefix: string, name: string, contents: Uint8Array): Promise<{ file: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o755);
  const file = join(dir, name);
  await writeFile(file, contents, { mode: 0o644 });
  return { file, dir };
}

/** The tsconfig every solution is compiled with, whatever the submission holds. */
const TSCONFIG = { compilerOptions: {} };

export type Bundled = { ok: true; entry: string; file: string; dir: string } | { ok: false; entry?: string; message: string };

/** Bundles `<dir>/solution.(ts|mts|js|mjs)` into a fresh temporary folder. */
export async function bundleSolution(dir: string): Promise<Bundled> {
  const root = resolve(dir);
  const entry = findSolution(root);
  if (!entry) return { ok: false, message: `no ${SOLUTION_FILES.join(' / ')} in the submission` };
  try {
    const out = await buildOnce({
      entryPoints: [entry], bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20',
      absWorkingDir: root, logLevel: 'silent', plugins: [confine(root)], sourcemap: false, tsconfigRaw: TSCONFIG,
      // Links keep their own path, so an error names the link in the submission, not its target.
      preserveSymlinks: true,
    });
    const { file, dir: bundleDir } = await writeForChild('hw2-solution-', 'solution.mjs', out.outputFiles[0]!.contents);
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
  const out = await buildOnce({
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
  return writeForChild('hw2-harness-', 'module.mjs', out.outputFiles[0]!.contents);
}
