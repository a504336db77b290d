#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx: no build step between a clone and a grade.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/cli/main.ts');
await run(process.argv.slice(2));
