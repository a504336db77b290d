/** A pair's folder with a solution.ts (and any files beside it), as the sandbox tests build it. */
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function solution(source: string, files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hw2-sb-'));
  // Readable to uid 65534, the child's user where a root grader has no bubblewrap.
  await chmod(dir, 0o755);
  await writeFile(join(dir, 'solution.ts'), source);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}
