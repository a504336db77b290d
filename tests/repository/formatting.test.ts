/**
 * The sources keep .editorconfig's formatting: UTF-8 without a byte-order mark, LF line ends,
 * a final newline, no trailing spaces, no tabs. Read from git's list, so a new file counts.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers-cli.ts';

const files = execFileSync('git', ['ls-files', '-z', 'src', 'checks', 'reference', 'tests', 'bench', 'bin', 'reports', '.ci'], { cwd: ROOT, encoding: 'utf8' })
  .split('\0').filter((f) => f && !f.startsWith('tests/fixtures/') && /\.(ts|mts|mjs|hbs|css|json)$|^\.ci\//.test(f));

describe('formatting (.editorconfig)', () => {
  it('holds in every source file git tracks', () => {
    const problems: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      if (text.startsWith('\uFEFF')) problems.push(`${file}: starts with a byte-order mark`);
      if (text.includes('\r\n')) problems.push(`${file}: CRLF line ends`);
      if (text.length && !text.endsWith('\n')) problems.push(`${file}: no newline at the end`);
      text.split('\n').forEach((line, i) => {
        if (/[ \t]+$/.test(line)) problems.push(`${file}:${i + 1}: trailing whitespace`);
        if (line.includes('\t')) problems.push(`${file}:${i + 1}: a tab`);
      });
    }
    expect(files.length).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });
});
