/**
 * The pairs' Markdown with LaTeX: formulas become KaTeX's markup, typeset here; whatever HTML
 * a pair writes stays text. Parsed with node-html-parser, not matched with regular expressions.
 */
import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { hasMath, katexCss } from '../../src/report/math.ts';

/** The text KaTeX typesets, read back from its markup: the annotation is off, so the glyphs. */
const glyphs = (html: string) => parse(html).querySelectorAll('.katex').map((k) => k.text.replace(/\u200b/g, ''));

describe('LaTeX in the pairs\' Markdown', () => {
  it('typesets $…$, $$…$$, \\(…\\) and \\[…\\] with KaTeX: inline and display', () => {
    const doc = parse(renderMarkdown('Let $v = w - w_t$. Then $$R(w) = \\|v\\|^2$$ and \\(x\\) and \\[ \\tfrac12 \\]'));
    expect(doc.querySelectorAll('.katex')).toHaveLength(4);
    expect(doc.querySelectorAll('.katex-display')).toHaveLength(2);
    // KaTeX writes the glyphs of the formula: v = w − w_t reads "v=w−wt" (its minus sign is U+2212).
    expect(glyphs(renderMarkdown('$v = w - w_t$'))).toEqual(['v=w−wt']);
    expect(doc.text).not.toContain('$');
  });

  it('leaves money, escaped dollars and a lone $ as text (pandoc\'s rule: no digit after the closing $)', () => {
    const html = renderMarkdown('It costs $5 and $6, or \\$x\\$ or $ alone');
    expect(hasMath(html)).toBe(false);
    expect(parse(html).text.trim()).toBe('It costs $5 and $6, or $x$ or $ alone');
  });

  it('shows a formula KaTeX cannot parse as its source in red, and the rest of the answer as usual', () => {
    const doc = parse(renderMarkdown('before $\\frac{1}{$ after *it*'));
    expect(doc.querySelector('.katex-error')!.text).toBe('\\frac{1}{');
    expect(doc.querySelector('em')!.text).toBe('it');
  });

  it('refuses \\href, \\url and \\includegraphics (trust off): no link, no image, no script', () => {
    const doc = parse(renderMarkdown('$\\href{javascript:alert(1)}{x}$ $\\url{https://evil.example}$ $\\includegraphics{http://evil.example/a.png}$'));
    expect(doc.querySelectorAll('a, img, script')).toHaveLength(0);
    for (const el of doc.querySelectorAll('*')) for (const value of Object.values(el.attributes)) expect(value).not.toMatch(/javascript:|evil\.example/);
  });

  it('bounds what a formula may cost: a macro that expands forever is refused, not run', () => {
    const html = renderMarkdown('$\\def\\a{\\a\\a}\\a$');
    expect(parse(html).querySelector('.katex-error')).not.toBeNull();
  });

  it('shows a formula nested so deep that KaTeX overflows its stack (a RangeError, not a ParseError) as source, and the rest of the answer', () => {
    // 999 nested superscripts (3,997 characters, under MAX_FORMULA_CHARS); rendered from 3,000
    // frames down, so the overflow comes whatever stack the test's worker started with.
    const tex = `${'x^{'.repeat(999)}x${'}'.repeat(999)}`;
    const deep = (frames: number): string => (frames ? deep(frames - 1) : renderMarkdown(`before $${tex}$ after`));
    const html = deep(3000);
    expect(html).toContain(`<code class="katex-error">${tex}</code>`);
    expect(html).toMatch(/<\/code> after<\/p>/);
  });
});

describe('a pair\'s HTML stays text', () => {
  it('<script>, <img onerror> and javascript: links render as their text, beside a formula', () => {
    const answer = '<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) and $\\frac12$';
    const doc = parse(renderMarkdown(answer));
    expect(doc.querySelectorAll('script, img, a, iframe')).toHaveLength(0);
    expect(doc.querySelectorAll('[onerror], [href], [src]')).toHaveLength(0);
    expect(doc.text).toContain('<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) and');
    expect(doc.querySelectorAll('.katex')).toHaveLength(1);
  });
});

describe('KaTeX\'s stylesheet', () => {
  it('carries its fonts as data: URLs, so a report loads nothing (its CSP allows fonts from data: only)', () => {
    const css = katexCss();
    expect(css).not.toMatch(/url\((?!data:)/);
    // One woff2 per @font-face: KaTeX 0.16+ ships 20 faces.
    expect(css.match(/@font-face/g)!.length).toBe(css.match(/url\(data:font\/woff2;base64,/g)!.length);
    expect(css.match(/@font-face/g)!.length).toBeGreaterThanOrEqual(20);
  });
});
