/**
 * The pairs' LaTeX, typeset on our side by KaTeX: a markdown-it rule that takes `$…$`,
 * `$$…$$`, `\(…\)` and `\[…\]` out of the Markdown before anything else reads them, and a
 * renderer that turns each into KaTeX's HTML. Nothing runs in the reader's browser, so the
 * reports stay script-free, and the stylesheet carries its fonts as data: URLs, so they stay
 * self-contained (their CSP allows fonts from data: only).
 *
 * KaTeX is run untrusted: `trust: false` refuses \href, \url, \includegraphics and \htmlClass;
 * `maxExpand` and `maxSize` bound what a macro loop or a huge \rule can cost; an error is shown
 * as the escaped source, in red, and never stops the report.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import katex from 'katex';
import type { MarkdownIt, StateInline } from 'markdown-it';

/** Longest formula typeset; a longer one is shown as its source. */
export const MAX_FORMULA_CHARS = 4000;

const OPTIONS = { throwOnError: false, output: 'html', trust: false, strict: 'ignore', maxExpand: 500, maxSize: 20 } as const;

const asSource = (tex: string, max: number) =>
  `<code class="katex-error">${tex.slice(0, max).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}${tex.length > max ? '…' : ''}</code>`;

/** One formula as KaTeX's HTML (or, too long or failing, its escaped source). */
export function renderFormula(tex: string, display: boolean): string {
  if (tex.length > MAX_FORMULA_CHARS) return asSource(tex, 200);
  try {
    return katex.renderToString(tex, { ...OPTIONS, displayMode: display });
  } catch {
    // throwOnError: false catches only KaTeX's ParseError: 2,000 nested braces overflow its
    // recursion with a RangeError, which must not take a report (or a TA's page) down with it.
    return asSource(tex, MAX_FORMULA_CHARS);
  }
}

/** The delimiters, with the closing one; `$` is last so that `$$` is tried first. */
const DELIMITERS: readonly { open: string; close: string; display: boolean }[] = [
  { open: '$$', close: '$$', display: true },
  { open: '\\[', close: '\\]', display: true },
  { open: '\\(', close: '\\)', display: false },
  { open: '$', close: '$', display: false },
];

/** Where the closing delimiter is, from `from`, skipping backslash-escaped characters; -1 if none. */
function closing(src: string, from: number, close: string, end: number): number {
  for (let i = from; i < end; i++) {
    if (src.startsWith(close, i)) return i;
    if (src[i] === '\\' && close !== '\\]' && close !== '\\)') i++;
  }
  return -1;
}

function mathRule(state: StateInline, silent: boolean): boolean {
  const { src, pos, posMax } = state;
  for (const d of DELIMITERS) {
    if (!src.startsWith(d.open, pos)) continue;
    const start = pos + d.open.length;
    const end = closing(src, start, d.close, posMax);
    if (end < 0 || end === start) continue;
    const tex = src.slice(start, end);
    // Pandoc's rule for a single $: no space just inside, no digit just after ("$5 and $6").
    if (d.open === '$' && (/^\s/.test(tex) || /\s$/.test(tex) || /\d/.test(src[end + 1] ?? ''))) continue;
    if (!silent) {
      const token = state.push(d.display ? 'math_display' : 'math_inline', 'math', 0);
      token.content = tex;
    }
    state.pos = end + d.close.length;
    return true;
  }
  return false;
}

/** The markdown-it plugin: `md.use(math)`. */
export function math(md: MarkdownIt): void {
  // Before `escape`, which would otherwise read \( and \[ as escaped brackets.
  md.inline.ruler.before('escape', 'math', mathRule);
  md.renderer.rules.math_inline = (tokens, idx) => renderFormula(tokens[idx]!.content, false);
  md.renderer.rules.math_display = (tokens, idx) => `<span class="math-display">${renderFormula(tokens[idx]!.content, true)}</span>`;
}

let css: string | undefined;

/**
 * KaTeX's stylesheet with its woff2 fonts inlined as data: URLs (about 350 kB): a page adds it
 * only when it shows a formula (`hasMath`). The woff and ttf fallbacks are dropped; every
 * browser that prints our reports reads woff2.
 */
export function katexCss(): string {
  if (css === undefined) {
    const dist = join(dirname(createRequire(import.meta.url).resolve('katex/package.json')), 'dist');
    css = readFileSync(join(dist, 'katex.min.css'), 'utf8').replace(/src:url\(fonts\/([\w-]+\.woff2)\) format\("woff2"\)[^;}]*/g, (_m, font: string) =>
      `src:url(data:font/woff2;base64,${readFileSync(join(dist, 'fonts', font)).toString('base64')}) format("woff2")`);
    css += '.math-display{display:block;overflow-x:auto;overflow-y:hidden}.katex-error{color:#b42318}';
  }
  return css;
}

/** Whether rendered HTML holds a formula, so needs katexCss(). */
export const hasMath = (html: string): boolean => html.includes('class="katex');
