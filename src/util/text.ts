/** Text a submission controls, made safe to put in a message or an output. */

/** `text` cut to `max` characters plus "… (N more characters)"; never splits a surrogate pair. */
export function boundString(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--; // a high surrogate without its low half
  return `${text.slice(0, cut)}… (${text.length - cut} more characters)`;
}

// C0 and C1 controls (an escape sequence, a carriage return, a line break), Unicode's line and
// paragraph separators, and the bidirectional overrides that reorder what a reader sees.
export const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * One line for a terminal or a CI log, whatever a submission put in it: every control character
 * is written as its escape (`\n`, `\x1b`, `\u202e`), so a folder's name or a key cannot start a
 * new line (a GitHub workflow command such as `::error::` is read only at a line's start),
 * move the cursor, recolour the terminal or reverse the text.
 */
export function terminalLine(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Text of several lines (ours, joined by `\n`) for a terminal: each line made safe on its own. */
export const terminalLines = (text: string): string => text.split('\n').map(terminalLine).join('\n');
