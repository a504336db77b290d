import { describe, expect, it } from 'vitest';
import { boundString, terminalLine, terminalLines } from '../../src/util/text.ts';

describe('text a submission controls', () => {
  it('is cut to its bound, never inside a surrogate pair', () => {
    expect(boundString('abcdef', 4)).toBe('abcd… (2 more characters)');
    // '😀' is two UTF-16 units: a cut after 2 units would split it, so it is cut after 1.
    expect(boundString('a😀bc', 2)).toBe('a… (4 more characters)');
  });

  it('is one line on a terminal: every control written as its escape', () => {
    // A folder named so that a CI log would read a GitHub workflow command on its own line.
    expect(terminalLine('pair\n::error::pwned')).toBe('pair\\n::error::pwned');
    expect(terminalLine('a\r\tb\x1b[31mred\x7f')).toBe('a\\r\\tb\\x1b[31mred\\x7f');
    // C1 controls, Unicode's line separator, a right-to-left override.
    expect(terminalLine('x\u0085y\u2028z\u202eq')).toBe('x\\x85y\\u2028z\\u202eq');
    expect(terminalLine('Ünïcödé × 224, ok')).toBe('Ünïcödé × 224, ok');
  });

  it('keeps our own line breaks in text of several lines, and nothing else', () => {
    expect(terminalLines('first\nsecond \x1b[2J')).toBe('first\nsecond \\x1b[2J');
  });
});
