/**
 * The layers (.dependency-cruiser.cjs) hold: no import runs against them and there is no
 * circle. The rules themselves are shown to bite on a small tree made for the purpose, so a
 * config that silently allowed everything would fail here too.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers-cli.ts';

const run = promisify(execFile);
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation { rule: { name: string }; from: string; to: string }

async function violations(cwd: string, roots: string[]): Promise<Violation[]> {
  const { stdout } = await run(process.execPath, [DEPCRUISE, ...roots, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd, maxBuffer: 64 * 1024 * 1024 })
    // depcruise exits non-zero when it finds violations; its JSON is on stdout either way.
    .catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('the layers', () => {
  it('hold for the whole tree: no arrow against them, no circle', async () => {
    const found = await violations(ROOT, ['src', 'checks', 'reference', 'bench', 'bin']);
    expect(found.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  }, 120_000);

  describe('bite when broken', () => {
    let dir: string;
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('an engine that imports a check, a check that runs the sandbox, a circle in core', async () => {
      dir = await mkdtemp(join(tmpdir(), 'hw2-layers-'));
      const files: Record<string, string> = {
        'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', allowImportingTsExtensions: true, noEmit: true } }),
        'package.json': JSON.stringify({ type: 'module' }),
        'checks/q9.ts': "import { run } from '../src/sandbox/process.ts';\nexport const q9 = run;\n",
        'src/sandbox/process.ts': 'export const run = 1;\n',
        'src/engine/grade.ts': "import { q9 } from '../../checks/q9.ts';\nexport const graded = q9;\n",
        'src/core/a.ts': "import { b } from './b.ts';\nexport const a = b;\n",
        'src/core/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
        'src/util/text.ts': "import { graded } from '../engine/grade.ts';\nexport const t = graded;\n",
      };
      for (const [name, text] of Object.entries(files)) {
        await mkdir(dirname(join(dir, name)), { recursive: true });
        await writeFile(join(dir, name), text);
      }
      await copyFile(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
      const found = (await violations(dir, ['src', 'checks'])).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
      expect(found).toEqual(expect.arrayContaining([
        'engine-imports-no-check-reference-or-report: src/engine/grade.ts → checks/q9.ts',
        'checks-are-pure: checks/q9.ts → src/sandbox/process.ts',
        'no-circular: src/core/a.ts → src/core/b.ts',
        'util-imports-only-below: src/util/text.ts → src/engine/grade.ts',
      ]));
    }, 120_000);
  });
});
