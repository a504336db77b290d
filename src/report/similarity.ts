/**
 * similarity.html and summary.html's similarity section, from the plain data of
 * src/core/similarity.ts. One self-contained page: inline CSS, no script, a
 * Content-Security-Policy that allows no request. Every string is escaped: the two sides'
 * code, answers and file names are the submissions' own, and may be hostile. The page ranks
 * pairs and shows what they share; it names no one as having copied.
 */
import { readFileSync } from 'node:fs';
import { EVIDENCE_KINDS, EVIDENCE_TITLES, type Segment, type SideBySide, type SimilarityPair, type SimilarityReport } from '../core/similarity.ts';
import { escapeHtml } from './escape.ts';

const css = readFileSync(new URL('../../reports/style.css', import.meta.url), 'utf8');

const PAGE_CSS = `
.simpair { border: 1px solid var(--line); border-left: 5px solid #6b7a99; border-radius: 6px; padding: 8px 12px; margin: 14px 0; }
.simpair.flagged { border-left-color: #a86a00; }
.simpair header { display: flex; justify-content: space-between; gap: 12px; font-weight: 600; }
.kinds { color: var(--muted); font-size: 12.5px; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; margin: 6px 0; }
.sides pre { margin: 0; padding: 6px 8px; background: #f6f7fa; border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12px; max-height: 420px; overflow: auto; }
.sides .label { font-size: 12px; color: var(--muted); margin-bottom: 2px; overflow-wrap: anywhere; }
mark { background: #ffe08a; }
ul.reasons { margin: 6px 0; padding-left: 20px; }
`;

const segmentsHtml = (segments: Segment[]) => segments.map((s) => (s.match ? `<mark>${escapeHtml(s.text)}</mark>` : escapeHtml(s.text))).join('');

function sidesHtml(pair: SimilarityPair, list: SideBySide[]): string {
  return list.map((s) => `<div class="sides"><div><div class="label">${escapeHtml(pair.a)} · ${escapeHtml(s.a.label)}</div><pre>${segmentsHtml(s.a.segments)}</pre></div>`
    + `<div><div class="label">${escapeHtml(pair.b)} · ${escapeHtml(s.b.label)} (${s.shared} shared fingerprints)</div><pre>${segmentsHtml(s.b.segments)}</pre></div></div>`).join('');
}

const kindsLine = (p: SimilarityPair) => EVIDENCE_KINDS.filter((k) => p.kinds[k]).map((k) => `${EVIDENCE_TITLES[k]} ${p.kinds[k]}`).join(' · ');

function pairHtml(p: SimilarityPair, rank: number): string {
  const parts: string[] = [];
  parts.push(`<header><span>${rank}. ${escapeHtml(p.a)} and ${escapeHtml(p.b)}</span><span>${p.score} bits</span></header>`);
  parts.push(`<div class="kinds">${escapeHtml(kindsLine(p))}</div>`);
  parts.push(`<ul class="reasons">${p.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>`);
  if (p.wrong.length) {
    parts.push(`<h3>${EVIDENCE_TITLES.wrong}</h3><table><thead><tr><th>Field</th><th>Value (both)</th><th class="num">Given by</th><th class="num">Bits</th></tr></thead><tbody>`
      + p.wrong.map((w) => `<tr><td>${escapeHtml(w.field)}</td><td>${escapeHtml(w.value)}</td><td class="num">${w.sharedBy}</td><td class="num">${w.bits}</td></tr>`).join('') + '</tbody></table>');
  }
  if (p.draws.length) {
    parts.push(`<h3>${EVIDENCE_TITLES.draws}</h3><table><thead><tr><th>${escapeHtml(p.a)}</th><th>${escapeHtml(p.b)}</th><th class="num">Bytes</th><th>sha256 of the values</th><th>Seed both set</th></tr></thead><tbody>`
      + p.draws.map((d) => `<tr><td>${escapeHtml(d.fileA)}</td><td>${escapeHtml(d.fileB)}</td><td class="num">${d.bytes}</td><td><code>${escapeHtml(d.digest.slice(0, 16))}…</code></td><td>${escapeHtml(d.seed ?? '—')}</td></tr>`).join('') + '</tbody></table>');
  }
  if (p.seeds.length) parts.push(`<h3>${EVIDENCE_TITLES.seed}</h3><p>${p.seeds.map((s) => `${escapeHtml(s.value)} (set by ${s.sharedBy})`).join(', ')}</p>`);
  if (p.code.length) parts.push(`<h3>${EVIDENCE_TITLES.code}</h3>${sidesHtml(p, p.code)}`);
  if (p.text.length) parts.push(`<h3>${EVIDENCE_TITLES.text}</h3>${sidesHtml(p, p.text)}`);
  return `<div class="simpair${p.flagged ? ' flagged' : ''}" data-pair="${escapeHtml(`${p.a} ${p.b}`)}">${parts.join('\n')}</div>`;
}

const when = (generated: Date) => generated.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

export function renderSimilarity(report: SimilarityReport, generated = new Date()): string {
  const flagged = report.pairs.filter((p) => p.flagged);
  const below = report.pairs.filter((p) => !p.flagged);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>HW2 similarity across the course</title>
<style>${css}${PAGE_CSS}</style>
</head>
<body>
<h1>EE 046211 HW2 — similarity across the course</h1>
<dl class="meta"><dt>Submissions</dt><dd>${report.submissions}</dd><dt>Pairs with any evidence</dt><dd>${report.pairsWithEvidence}</dd><dt>Threshold</dt><dd>${report.threshold} bits</dd><dt>Generated</dt><dd>${when(generated)}</dd></dl>
<p>Pairs of submissions ranked by the evidence they share beyond chance, the template and what much of the course shares. A high rank is a reason to look, not a finding: shared work can have innocent causes (a study group, a common source, a seed the course gave). Each pair shows what it shares, side by side, for a person to judge.</p>
<h2>Above the threshold (${flagged.length})</h2>
${flagged.length ? flagged.map((p, i) => pairHtml(p, i + 1)).join('\n') : '<p>None.</p>'}
<h2>Next in rank</h2>
${below.length ? below.map((p, i) => pairHtml(p, flagged.length + i + 1)).join('\n') : '<p>None.</p>'}
<h2>How</h2>
<ul>${report.method.map((m) => `<li>${escapeHtml(m)}</li>`).join('')}</ul>
${report.notes.length ? `<h2>Not compared</h2><ul>${report.notes.map((m) => `<li>${escapeHtml(m)}</li>`).join('')}</ul>` : ''}
</body>
</html>
`;
}

/** summary.html's section: the ranked pairs above the threshold (and a few below), pointing to similarity.html. */
export function similaritySectionHtml(report: SimilarityReport, page = 'similarity.html'): string {
  const rows = report.pairs.slice(0, 20).map((p, i) => `<tr${p.flagged ? ' class="flagged" style="font-weight:600"' : ''}><td class="num">${i + 1}</td><td>${escapeHtml(p.a)}</td><td>${escapeHtml(p.b)}</td><td class="num">${p.score}</td><td>${escapeHtml(kindsLine(p))}</td></tr>`).join('');
  const flagged = report.pairs.filter((p) => p.flagged).length;
  return `<h2>Similarity across the course</h2>
<p>${flagged} of ${((report.submissions * (report.submissions - 1)) / 2).toLocaleString('en-US')} pairs share evidence at or above ${report.threshold} bits (in bold). Ranked for a person to judge; each pair's evidence, side by side, is in <span class="link">${escapeHtml(page)}</span>.</p>
${rows ? `<table><thead><tr><th class="num">Rank</th><th>Submission</th><th>Submission</th><th class="num">Bits</th><th>Evidence</th></tr></thead><tbody>${rows}</tbody></table>` : '<p>No pair shares anything uncommon.</p>'}`;
}
