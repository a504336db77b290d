import { describe, expect, it } from 'vitest';
import { bundleSolution } from '../../src/sandbox/transpile.ts';
import { submission as solution } from '../security/sandbox-helpers.ts';

describe('the child-process sandbox', () => {
  it('refuses packages the harness does not provide, naming them', async () => {
    const bundled = await bundleSolution(await solution("import _ from 'lodash';\nexport const x = _;"));
    expect(bundled).toMatchObject({ ok: false, message: expect.stringMatching(/solution\.ts:1:\d+: imports the package lodash; a solution may import only/) });
  });
});
