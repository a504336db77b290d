/** The harness fingerprint is tested on a tree of its own, where one changed byte must change it. */
import { mkdir, mkdtemp, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourcesFingerprint } from '../../src/engine/fingerprint.ts';

describe('the harness fingerprint', () => {
  it('changes with one byte of a source file, with a renamed file, and not otherwise', async () => {
    const root = await mkdtemp(join(tmpdir(), 'hw2-fp-'));
    await mkdir(join(root, 'src', 'engine'), { recursive: true });
    await mkdir(join(root, 'checks'));
    await writeFile(join(root, 'src', 'engine', 'grade.ts'), 'export const points = 5;\n');
    await writeFile(join(root, 'checks', 'q2.ts'), 'export {};\n');
    await writeFile(join(root, 'package-lock.json'), '{}\n');
    const first = sourcesFingerprint(root);
    expect(sourcesFingerprint(root)).toBe(first);
    await writeFile(join(root, 'src', 'engine', 'grade.ts'), 'export const points = 6;\n');
    const edited = sourcesFingerprint(root);
    expect(edited).not.toBe(first);
    await rename(join(root, 'checks', 'q2.ts'), join(root, 'checks', 'q3.ts'));
    expect(sourcesFingerprint(root)).not.toBe(edited);
  });
});
