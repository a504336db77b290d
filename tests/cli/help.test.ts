/**
 * --help and --version: answered by bin/hw2.mjs from package.json and help.mjs alone (no
 * TypeScript, no command loaded), and a help text that names every option, command, reporter,
 * reference topic and exit code the code has, so the one text stays in step with the code.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFERENCE_TOPICS } from '../../reference/index.ts';
import { EXIT } from '../../src/cli/exit-codes.ts';
import { helpText, version } from '../../src/cli/help.mjs';
import { COMMANDS } from '../../src/cli/main.ts';
import { OPTIONS } from '../../src/cli/options.ts';
import { REPORTER_NAMES, REPORTERS } from '../../src/report/reporters.ts';
import { ROOT } from '../helpers-cli.ts';

const help = helpText();

describe('bin/hw2.mjs', () => {
  it('answers --version, --help and a bare hw2 with nothing but package.json and help.mjs', () => {
    // A copy of those three files alone, with no node_modules: tsx cannot load, nor can any command.
    const dir = mkdtempSync(join(tmpdir(), 'hw2-help-'));
    mkdirSync(join(dir, 'bin'));
    mkdirSync(join(dir, 'src', 'cli'), { recursive: true });
    for (const f of ['bin/hw2.mjs', 'src/cli/help.mjs', 'package.json']) copyFileSync(join(ROOT, f), join(dir, f));
    const hw2 = (...args: string[]) => spawnSync(process.execPath, [join(dir, 'bin/hw2.mjs'), ...args], { encoding: 'utf8' });
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(hw2('--version')).toMatchObject({ status: 0, stdout: `${pkg.version}\n`, stderr: '' });
    expect(hw2('--help')).toMatchObject({ status: 0, stdout: `${help}\n`, stderr: '' });
    expect(hw2('-h')).toMatchObject({ status: 0, stdout: `${help}\n` });
    expect(hw2()).toMatchObject({ status: 2, stdout: `${help}\n` });
    // anything else needs the real harness: here, without tsx, it cannot start
    expect(hw2('schema').status).not.toBe(0);
  });

  it('prints the same text through the real CLI', () => {
    expect(execFileSync(process.execPath, [join(ROOT, 'bin/hw2.mjs'), '--help'], { encoding: 'utf8' })).toBe(`${help}\n`);
    expect(version()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
});

describe('the help text', () => {
  it('names every option', () => {
    for (const [name, spec] of Object.entries(OPTIONS)) {
      const shown = name === 'pdf' ? '--no-pdf' : `--${name}`;
      expect(help, shown).toMatch(new RegExp(`${shown}\\b`));
      if ('short' in spec) expect(help).toContain(`-${spec.short}, --${name}`);
    }
  });

  it('names every command, with train', () => {
    for (const command of [...Object.keys(COMMANDS), 'train']) expect(help, command).toContain(`hw2 ${command}`);
  });

  it('lists every reporter with its file', () => {
    const paragraph = help.slice(help.indexOf('--reporter NAME,...  '), help.indexOf('--no-pdf '));
    for (const name of REPORTER_NAMES) expect(paragraph, name).toContain(`${name} (${REPORTERS[name].file}`);
  });

  it('lists the reference topics', () => {
    expect(help).toContain(`hw2 reference <${REFERENCE_TOPICS.join('|')}>`);
  });

  it('states every exit code, in order', () => {
    const codes = [...help.slice(help.indexOf('Exit codes:')).matchAll(/^ {2}(\d) {2}/gm)].map((m) => Number(m[1]));
    expect(codes).toEqual(Object.values(EXIT).sort());
  });
});
