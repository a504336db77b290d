/**
 * Student mode: checks a TypeScript solution against the shipped types/solution.d.ts and
 * turns the compiler's diagnostics into readable lines. Static only: nothing is run. The
 * compiler host reads only the submission folder, the shipped types and TypeScript's own
 * library files, so an import of the answer key finds nothing to read.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const TYPES = fileURLToPath(new URL('../../types/solution.d.ts', import.meta.url));
const LIB_DIR = dirname(ts.getDefaultLibFilePath({}));

export function typecheckSolution(entry: string): string[] {
  const root = realpathSync(dirname(entry));
  const probe = join(root, '__hw2_typecheck__.ts');
  const probeSource = [
    `import type { Solution } from ${JSON.stringify(TYPES.replace(/\.d\.ts$/, ''))};`,
    `import * as solution from ${JSON.stringify(`./${relative(root, entry)}`)};`,
    'const exportsMatch: Partial<Solution> = solution;',
    'void exportsMatch;',
  ].join('\n');
  const allowed = (file: string) => {
    const full = resolve(file);
    return full === probe || full === TYPES || full.startsWith(LIB_DIR) || (full.startsWith(root) && !full.includes('node_modules'));
  };
  const options: ts.CompilerOptions = {
    // Bundler resolution is what esbuild does when it bundles the solution for the sandbox.
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler, allowImportingTsExtensions: true, allowJs: false, skipLibCheck: true, types: [],
    lib: ['lib.es2022.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => (file === probe ? probeSource : allowed(file) ? readFile(file) : undefined);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => file === probe || (allowed(file) && fileExists(file));
  const roots = [root, dirname(TYPES), LIB_DIR];
  host.directoryExists = (dir) => roots.some((r) => r.startsWith(resolve(dir)) || resolve(dir).startsWith(r));
  const program = ts.createProgram([probe], options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  return diagnostics.map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n    ');
    if (!d.file || d.file.fileName === probe) return `solution exports do not match types/solution.d.ts: ${text}`;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    return `${relative(root, d.file.fileName)}:${line + 1}:${character + 1}: ${text}`;
  });
}

export function readTypes(): string {
  return readFileSync(TYPES, 'utf8');
}
