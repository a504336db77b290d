import { rename, rm, writeFile } from 'node:fs/promises';

/**
 * Writes a file whole or not at all: to a temporary name beside it, then renamed over it, so a
 * run killed at any moment leaves the old file or the new one, never half of one.
 */
let writes = 0;

export async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  // Unique within the process too: two writers of one file (two review servers in one test) must not share a temporary.
  const tmp = `${file}.${process.pid}.${++writes}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (error) {
    // A full disk or a folder gone: the half-written temporary goes too.
    await rm(tmp, { force: true });
    throw error;
  }
}
