/** What a submission is called: its manifest's file name, and the id a folder's name gives it. */
import { basename, resolve } from 'node:path';

/** The manifest a submission folder holds (the contract: src/contract/schema.ts). */
export const MANIFEST = 'hw2.json';

export function submissionIdOf(dir: string): string {
  return basename(resolve(dir)).replace(/[^0-9A-Za-z._-]/g, '_') || 'submission';
}
