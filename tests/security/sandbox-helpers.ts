/** Shared by the sandbox's security tests: hostile submissions in fresh folders, and process trees. */
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildProcessSession } from '../../src/sandbox/process.ts';
import { bundleSolution, childReadPaths } from '../../src/sandbox/transpile.ts';
import { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from '../../src/sandbox/types.ts';

/**
 * A submission folder holding solution.ts and `files`. World-readable, as a staged copy
 * must be for the fallback's child, which a root grader runs as uid 65534.
 */
export async function submission(source: string, files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hw2-sec-'));
  await chmod(dir, 0o755);
  await writeFile(join(dir, 'solution.ts'), source);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

export async function started(dir: string, limits: Partial<SandboxLimits> = {}) {
  const bundled = await bundleSolution(dir);
  if (!bundled.ok) throw new Error(bundled.message);
  const session = new ChildProcessSession(bundled.file, childReadPaths(bundled.dir, dir), dir, { ...DEFAULT_SANDBOX_LIMITS, ...limits });
  return { session, loaded: await session.start(), bundle: bundled.file };
}

/** Every live descendant of `pid`, with its command line, from /proc. */
export function descendants(pid: number): { pid: number; cmd: string }[] {
  const found: { pid: number; cmd: string }[] = [];
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    let children: number[] = [];
    try {
      children = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
    } catch {
      continue;
    }
    for (const c of children) {
      try {
        found.push({ pid: c, cmd: readFileSync(`/proc/${c}/cmdline`, 'utf8').split('\0').join(' ') });
        stack.push(c);
      } catch {
        // Ended meanwhile.
      }
    }
  }
  return found;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
