/**
 * Bundling reads nothing outside the submission: no tsconfig.json or jsconfig.json is
 * consulted (`extends` could name any file on the machine), imports that lead out are
 * refused, and a compile error never quotes a file from outside, only names it.
 */
import { readFileSync, symlinkSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleSolution } from '../../src/sandbox/transpile.ts';
import { submission } from './sandbox-helpers.ts';

const SECRET = 'TOPSECRET-hunter2';
let secretFile: string;

beforeAll(async () => {
  const outside = await mkdtemp(join(tmpdir(), 'hw2-outside-'));
  // Not JSON: esbuild's parse error would quote it, token by token.
  secretFile = join(outside, 'secret.txt');
  await writeFile(secretFile, `${SECRET} is the answer key\n`);
});

/** Bundles and returns everything a report could show: the message, or the bundle's text. */
async function shown(dir: string): Promise<string> {
  const bundled = await bundleSolution(dir);
  return bundled.ok ? readFileSync(bundled.file, 'utf8') : bundled.message;
}

describe('what esbuild may read', () => {
  it('ignores a tsconfig.json that extends a file outside the tree, for a module that compiles and one that does not', async () => {
    const good = await submission('export const x: number = 1;', { 'tsconfig.json': JSON.stringify({ extends: secretFile }) });
    expect(await bundleSolution(good)).toMatchObject({ ok: true });
    const bad = await submission('export const x: number = ;', { 'tsconfig.json': JSON.stringify({ extends: secretFile }) });
    const message = await shown(bad);
    expect(message).toMatch(/^solution\.ts could not be compiled: solution\.ts:1:\d+: Unexpected ";"$/);
    expect(message).not.toContain(SECRET);
  });

  it('ignores jsconfig.json, a tsconfig.json in a subfolder, and a tsconfig.json that is a link to the secret', async () => {
    const dir = await submission("import { y } from './lib/y';\nexport const x = y;", { 'jsconfig.json': JSON.stringify({ extends: secretFile }) });
    await mkdir(join(dir, 'lib'));
    await writeFile(join(dir, 'lib', 'y.ts'), 'export const y = 2;');
    await writeFile(join(dir, 'lib', 'tsconfig.json'), JSON.stringify({ extends: secretFile, compilerOptions: { paths: { x: [secretFile] } } }));
    symlinkSync(secretFile, join(dir, 'tsconfig.json'));
    const text = await shown(dir);
    expect(text).toMatch(/var y = 2;/);
    expect(text).not.toContain(SECRET);
  });

  it('refuses a package.json whose main leads to the secret, naming the file without quoting it', async () => {
    const dir = await submission("import y from './lib';\nexport const x = y;");
    await mkdir(join(dir, 'lib'));
    await writeFile(join(dir, 'lib', 'package.json'), JSON.stringify({ main: relative(join(dir, 'lib'), secretFile) }));
    const message = await shown(dir);
    expect(message).toMatch(/^solution\.ts could not be compiled: solution\.ts:1:\d+: .*secret\.txt leads outside the submission folder$/);
    expect(message).not.toContain(SECRET);
  });

  it('names, never quotes, a malformed package.json in a folder above the submission', async () => {
    const above = await mkdtemp(join(tmpdir(), 'hw2-above-'));
    await writeFile(join(above, 'package.json'), `{ "type": ${SECRET} }`);
    const dir = join(above, 'pair');
    await mkdir(dir);
    await writeFile(join(dir, 'solution.ts'), 'export const x: number = 1;');
    const message = await shown(dir);
    expect(message).toBe('solution.ts could not be compiled: ../package.json, outside the submission folder, could not be used (its content is not shown)');
  });

  it('refuses an import of the secret by absolute path, and one through a link', async () => {
    const dir = await submission(`import s from ${JSON.stringify(secretFile)};\nexport const x = s;`);
    expect(await shown(dir)).toMatch(/imports \/.*secret\.txt, which is outside the submission folder/);
    const linked = await submission("import s from './s.txt';\nexport const x = s;");
    symlinkSync(secretFile, join(linked, 's.txt'));
    const message = await shown(linked);
    expect(message).toMatch(/s\.txt leads outside the submission folder/);
    expect(message).not.toContain(SECRET);
  });
});
