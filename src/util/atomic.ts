import { rename, writeFile } from 'node:fs/promises';

/**
 * Writes a file whole or not at all: to a temporary name beside it, then renamed over it, so a
 * run killed at any moment leaves the old file or the new one, never half of one.
 */
export async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}
