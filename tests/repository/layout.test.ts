/**
 * Tests mirror the sources: a unit test of src/<dir>/<name>.ts lives in
 * tests/<dir>/<name>.test.ts, of checks/<name>.ts in tests/checks/<name>.test.ts, and of
 * reference/<name>.ts in tests/reference/<name>.test.ts. Suites about a concern across modules
 * are named for it and live apart: tests/e2e (the CLI end to end), tests/security (attacks), tests/properties (the grader's own properties),
 * tests/cli and tests/repository (the layers, the formatting, this layout). Shared helpers are files that do not end in .test.ts.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const CONCERNS = ['e2e', 'security', 'cli', 'repository', 'properties'];

/** Every test file under tests/, as a path from tests/, that is held to mirror a module. */
const unitTests = readdirSync(join(ROOT, 'tests'), { recursive: true, encoding: 'utf8' })
  .map((f) => f.split('\\').join('/'))
  .filter((f) => f.endsWith('.test.ts') && !CONCERNS.includes(f.split('/')[0]!))
  .sort();

/** The module a test file mirrors, as paths from the repository's root (either may exist). */
function mirrored(test: string): string[] {
  const stem = test.slice(0, -'.test.ts'.length);
  if (!stem.includes('/')) return [];
  const top = stem.split('/')[0]!;
  return top === 'checks' || top === 'reference' ? [`${stem}.ts`] : [`src/${stem}.ts`, `src/${stem}.mjs`];
}

describe('the tests mirror the sources', () => {
  it('finds the unit tests', () => {
    expect(unitTests.length).toBeGreaterThan(0);
  });

  it.each(unitTests)('tests/%s tests a module that exists', (test) => {
    const modules = mirrored(test);
    const where = `tests/${test}`;
    expect(modules.length, `${where} is not in a folder: a unit test of src/<dir>/<name>.ts belongs in tests/<dir>/<name>.test.ts, and a suite about a concern across modules in tests/e2e, tests/security, tests/cli, tests/properties or tests/repository`).toBeGreaterThan(0);
    expect(
      modules.some((m) => existsSync(join(ROOT, m))),
      `${where} should test ${modules.join(' or ')}, which does not exist: move its tests to the test file of the module they test, or, if they are about a concern across modules, to tests/e2e, tests/security, tests/cli, tests/properties or tests/repository`,
    ).toBe(true);
  });
});
