/** A mistyped HW2_ISOLATION stops the sandbox instead of quietly weakening it. */
import { afterAll, expect, it } from 'vitest';
import { started, submission } from './sandbox-helpers.ts';

// Read once, on this file's first session (vitest gives each file its own modules).
process.env.HW2_ISOLATION = 'bubblewrapp';
let close = async () => {};
afterAll(() => close());

it('refuses to run student code under an HW2_ISOLATION it does not know, naming the values it does', async () => {
  const { session, loaded } = await started(await submission('export function one() { return 1; }'));
  close = () => session.close();
  const error = { code: 'isolation', message: 'HW2_ISOLATION=bubblewrapp is not one of auto, unshare-net, none; student code was not run' };
  expect(loaded).toEqual({ ok: false, error });
  expect(await session.call('one', [])).toEqual({ ok: false, error });
});
