import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { typecheckSolution } from '../../src/sandbox/typecheck.ts';
import { submission as solution } from '../security/sandbox-helpers.ts';

describe('typecheckSolution', () => {
  it('explains an export whose type does not match types/solution.d.ts', async () => {
    const dir = await solution('export function xavierInit(fanIn: number, fanOut: number): string { return "no"; }');
    const messages = typecheckSolution(join(dir, 'solution.ts'));
    expect(messages.join('\n')).toMatch(/solution exports do not match types\/solution\.d\.ts: .*xavierInit/s);
  });

  it('is silent for a well-typed solution', async () => {
    const dir = await solution('export function xavierInit(a: number, b: number): number[][] { return [[a, b]]; }');
    expect(typecheckSolution(join(dir, 'solution.ts'))).toEqual([]);
  });
});
