#!/usr/bin/env node
// `npm run bench [-- name...]`: runs bench/<name>.ts (all of them by default), one after another.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../bench/', import.meta.url));
// Names first; from the first --flag on, the arguments are the bench's own (`npm run bench -- course --pairs 300`).
const firstFlag = process.argv.slice(2).findIndex((a) => a.startsWith('--'));
const wanted = firstFlag < 0 ? process.argv.slice(2) : process.argv.slice(2, 2 + firstFlag);
const benchArgs = firstFlag < 0 ? [] : process.argv.slice(2 + firstFlag);
const benches = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).filter((b) => !wanted.length || wanted.includes(b));
let failed = 0;
for (const bench of benches) {
  console.log(`\n## bench/${bench}.ts`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${bench}.ts`, ...benchArgs], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
