/**
 * Students' Markdown, rendered safely: markdown-it with raw HTML off escapes every tag a
 * student writes, and its link validation drops javascript:, vbscript:, file: and non-image
 * data: URLs. Links are rendered as text with their address, so a report opens nothing.
 * Formulas are typeset by KaTeX (math.ts).
 */
import MarkdownIt from 'markdown-it';
import { math } from './math.ts';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: true });
// LaTeX ($…$, $$…$$, \(…\), \[…\]) typeset by KaTeX here, not in the reader's browser.
md.use(math);
md.renderer.rules.link_open = () => '<span class="link">';
md.renderer.rules.link_close = () => '</span>';
// An image would load from the network (or from the TA's disk): show its text instead.
md.renderer.rules.image = (tokens, idx) => `<span class="image">[image: ${md.utils.escapeHtml(tokens[idx]!.content)}]</span>`;

export function renderMarkdown(text: string): string {
  return md.render(text);
}
