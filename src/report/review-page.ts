/**
 * The pages of `hw2 review` (src/review/server.ts): the overview of the manual checks, and one
 * manual check across every submission ("by question"). Rendered here from results, like the
 * reports: the pair's answer through renderMarkdown (raw HTML escaped, links as text, LaTeX by
 * KaTeX), every other string escaped. The page's one script is ours (reports/review.js), let
 * in by a nonce; its data travels as JSON in a non-executable block with `<` escaped.
 */
import { readFileSync } from 'node:fs';
import { QUESTION_TITLES, type CheckResult, type SubmissionResult } from '../core/vocabulary.ts';
import { escapeHtml as esc } from './escape.ts';
import { renderMarkdown } from './markdown.ts';
import { katexCss } from './math.ts';
import { checkView, type CheckView } from './view.ts';

const dir = new URL('../../reports/', import.meta.url);
const baseCss = readFileSync(new URL('style.css', dir), 'utf8');
const reviewCss = readFileSync(new URL('review.css', dir), 'utf8');
const script = readFileSync(new URL('review.js', dir), 'utf8');

export interface ReviewItem {
  id: string;
  label: string;
  points: number;
}

export interface ReviewDecision {
  points: number;
  items: string[];
  remark: string;
  ta: string;
  at: string;
  /** What a save over this decision names as its base. */
  version: string;
}

export interface QuestionPageInput {
  check: { id: string; title: string; points: number };
  /** Every submission that has this manual check, in the overview's order. */
  entries: { result: SubmissionResult; decision?: ReviewDecision }[];
  items: ReviewItem[];
  /** The rubric's reference notes (Markdown with LaTeX). */
  notes?: string;
  ta: string;
  nonce: string;
  manualFile: string;
  claimRenewMs: number;
}

export interface OverviewRow {
  id: string;
  title: string;
  points: number;
  graded: number;
  total: number;
  mean: string;
  tas: string[];
  /** Another TA grading it now. */
  holder?: string;
}

export interface OverviewInput {
  rows: OverviewRow[];
  ta: string;
  nonce: string;
  out: string;
  manualFile: string;
  rubricFile: string;
  /** Results that could not be read, one line each. */
  warnings: string[];
}

/** A JSON value inside a <script type="application/json">: no `<` can close the block. */
const jsonBlock = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

function page(title: string, nonce: string, body: string, data: unknown): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<style>${baseCss}\n${reviewCss}\n${katexCss()}</style>
</head>
<body class="review">
${body}
<script type="application/json" id="review-data">${jsonBlock(data)}</script>
<script nonce="${esc(nonce)}">${script}</script>
</body>
</html>
`;
}

const pairOf = (r: SubmissionResult) => r.submission.group?.names?.join(', ') ?? r.submission.group?.ids.join(', ') ?? '';

function evidenceCard(v: CheckView): string {
  return `<article class="check ${esc(v.look)}"><header><span><span class="badge ${esc(v.look)}">${esc(v.statusLabel)}</span>${esc(v.title)}<span class="id">${esc(v.id)}</span></span><span>${esc(v.score)} / ${v.points}</span></header>
<p class="message">${esc(v.message)}</p>${v.diagnosis ? `<p class="diagnosis">${esc(v.diagnosis)}</p>` : ''}${v.evidenceHtml ?? ''}${v.expected || v.actual ? `<details><summary>Expected and given values</summary><div class="pair"><div><strong>Expected</strong><pre>${esc(v.expected ?? '—')}</pre></div><div><strong>Given</strong><pre>${esc(v.actual ?? '—')}</pre></div></div></details>` : ''}</article>`;
}

function answerSection(result: SubmissionResult, check: CheckResult, index: number, total: number): string {
  const own = checkView(check, result.mode, true);
  // The automatic checks of the same question: what the pair's numbers say about the text.
  const others = result.checks.filter((c) => c.question === check.question && c.id !== check.id).map((c) => evidenceCard(checkView(c, result.mode, true)));
  // A check left to a TA (an automatic check the machine could not finish) shows its own evidence too.
  const ownEvidence = check.kind === 'manual' ? '' : evidenceCard(own);
  const answer = own.textHtml ?? `<p class="missing">${esc(own.message)}</p>`;
  return `<section class="submission" id="s-${esc(result.submission.id)}" data-submission="${esc(result.submission.id)}" hidden>
<div class="who"><span class="pos">${index + 1} / ${total}</span> <strong>${esc(result.submission.id)}</strong>${pairOf(result) ? ` <span class="names">${esc(pairOf(result))}</span>` : ''}</div>
<div class="answer-box">${answer}</div>
${ownEvidence}
${others.length ? `<details class="auto" open><summary>Automatic checks of ${esc(QUESTION_TITLES[check.question])}</summary>${others.join('\n')}</details>` : ''}
</section>`;
}

const KEYS = '<kbd>j</kbd>/<kbd>→</kbd> next · <kbd>k</kbd>/<kbd>←</kbd> previous · <kbd>n</kbd> next ungraded · <kbd>1</kbd>–<kbd>9</kbd> rubric items · <kbd>f</kbd> full points · <kbd>z</kbd> zero · <kbd>p</kbd> type points · <kbd>c</kbd> comment · <kbd>x</kbd> ungrade · <kbd>u</kbd> undo · <kbd>Esc</kbd> leave a field';

/** One manual check across all submissions; the script shows one submission at a time. */
export function questionPage(input: QuestionPageInput): string {
  const { check, entries } = input;
  const sections = entries.map(({ result }, i) => answerSection(result, result.checks.find((c) => c.id === check.id)!, i, entries.length)).join('\n');
  const graded = entries.filter((e) => e.decision).length;
  const body = `<header class="bar">
<a href="../" class="home">← All questions</a>
<h1>${esc(check.title)} <span class="id">${esc(check.id)}</span></h1>
<span class="progress" id="progress">${graded} / ${entries.length} graded</span>
<span class="ta-name">TA: ${esc(input.ta)}</span>
</header>
<div id="notice" class="notice" role="alert" hidden></div>
<main class="grading">
<div class="answers"><nav id="strip" class="strip" aria-label="submissions: graded in green"></nav>${sections || '<p>No submission has this check.</p>'}</div>
<aside class="panel">
<div class="grade">
<label class="points">Points <input id="points" type="number" min="0" max="${check.points}" step="0.5" inputmode="decimal" autocomplete="off"> / ${check.points}</label>
<span id="state" class="state">not graded</span>
</div>
<h3 class="items-title">Rubric items <small>(click or press the digit)</small></h3>
<ol id="items" class="items"></ol>
<p id="no-items" class="hint" hidden>No rubric items yet. Add the deductions you find yourself writing twice; each gets a digit key, and points follow from the items unless you type them.</p>
<form id="new-item" class="new-item" autocomplete="off"><input id="item-points" type="number" step="0.5" placeholder="−1" aria-label="points of the new item" required><input id="item-label" placeholder="new item, e.g. no conclusion" aria-label="label of the new item" maxlength="300" required><button type="submit">Add</button></form>
<label class="comment">Comment to the pair <textarea id="remark" rows="3" maxlength="2000"></textarea></label>
<div class="nav"><button id="prev" type="button">← Previous</button><button id="next" type="button">Next →</button><button id="next-ungraded" type="button">Next ungraded</button><button id="undo" type="button">Undo</button></div>
<p class="keys">${KEYS}</p>
${input.notes ? `<section class="notes"><h3>Reference notes</h3>${renderMarkdown(input.notes)}</section>` : ''}
<p class="file">Saved to <code>${esc(input.manualFile)}</code>; reports are re-rendered after each save.</p>
</aside>
</main>`;
  const decisions = Object.fromEntries(entries.filter((e) => e.decision).map((e) => [e.result.submission.id, e.decision]));
  return page(`${check.id} — hw2 review`, input.nonce, body, {
    page: 'question', check: check.id, max: check.points, items: input.items, ta: input.ta,
    order: entries.map((e) => e.result.submission.id), decisions, claimRenewMs: input.claimRenewMs,
  });
}

export function overviewPage(input: OverviewInput): string {
  const rows = input.rows.map((r) => `<tr${r.holder ? ' class="held-by"' : ''}><td><a href="q/${encodeURIComponent(r.id)}">${esc(r.id)}</a></td><td>${esc(r.title)}</td><td class="num">${r.points}</td><td class="num">${r.graded} / ${r.total}</td><td><span class="meter"><span style="width:${r.total ? Math.round((100 * r.graded) / r.total) : 0}%"></span></span></td><td class="num">${esc(r.mean)}</td><td>${esc(r.tas.join(', '))}${r.holder ? ` <em>(${esc(r.holder)} grading now)</em>` : ''}</td></tr>`).join('\n');
  const body = `<header class="bar"><h1>HW2 manual grading</h1><span class="ta-name">TA: ${esc(input.ta)}</span></header>
<div id="notice" class="notice" role="alert" hidden></div>
<main class="overview">
${input.warnings.map((w) => `<div class="banner">${esc(w)}</div>`).join('\n')}
<table class="scores"><thead><tr><th>Check</th><th>Title</th><th class="num">Points</th><th class="num">Graded</th><th></th><th class="num">Mean</th><th>Graded by</th></tr></thead><tbody>
${rows || '<tr><td colspan="7">No manual check in these results.</td></tr>'}
</tbody></table>
<p><button id="render-all" type="button">Re-render every report and sheet</button> <span id="render-state"></span></p>
<dl class="meta"><dt>Results</dt><dd>${esc(input.out)}</dd><dt>Decisions</dt><dd>${esc(input.manualFile)}</dd><dt>Rubric items</dt><dd>${esc(input.rubricFile)}</dd></dl>
<p class="file">The decisions file is the <code>--manual</code> CSV: <code>hw2 grade … --out ${esc(input.out)} --manual ${esc(input.manualFile)}</code> applies it without grading again.</p>
</main>`;
  return page('hw2 review', input.nonce, body, { page: 'overview' });
}
