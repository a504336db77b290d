/**
 * The mutation score of the answer key: for every check with generators
 * (tests/properties/generators.ts), how many right answers written another way it accepts
 * (scored exactly as `correct`), how many single mistakes it catches (points lost at that
 * check alone) and how many non-answers it gives 0. Seeded, so the table is the same on
 * every run; `--runs N` draws N variants of each family per check (default 40).
 * Run: npm run bench -- mutation          (--failures lists what fell short)
 */
import fc from 'fast-check';
import { FAMILIES, TARGETS, baselineGrade, grade, judgeVariant, variantArb, type Family } from '../tests/properties/generators.ts';

const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 40;
const SHOW_FAILURES = process.argv.includes('--failures');
const SEED = 211;

const started = performance.now();
baselineGrade();
// 100% only when every one passed: 1439 of 1440 is 99.9%, not a rounded 100%.
const pct = (ok: number, n: number) => (!n ? '–' : ok === n ? '100%' : `${Math.min(99.9, (100 * ok) / n).toFixed(1)}%`);
const cell = (c: { ok: number; n: number }) => (c.n ? `${c.ok}/${c.n} (${pct(c.ok, c.n)})` : '–');
const rows: string[] = [];
let distinctTotal = 0;
const failures: string[] = [];
const totals: Record<Family, { ok: number; n: number }> = { rewrite: { ok: 0, n: 0 }, mutant: { ok: 0, n: 0 }, nonAnswer: { ok: 0, n: 0 } };
for (const target of TARGETS) {
  const counts = {} as Record<Family, { ok: number; n: number }>;
  const distinct = new Set<string>();
  for (const family of FAMILIES) {
    counts[family] = { ok: 0, n: 0 };
    const arb = variantArb(target, family);
    if (!arb) continue;
    for (const v of fc.sample(arb, { seed: SEED, numRuns: RUNS })) {
      distinct.add(`${family} ${v.label}`);
      const verdict = judgeVariant(v, grade(v.sub));
      counts[family].n++;
      totals[family].n++;
      if (verdict.ok) {
        counts[family].ok++;
        totals[family].ok++;
      } else failures.push(`${target} ${family}: ${v.label}: ${verdict.why}`);
    }
  }
  const caught = counts.mutant.ok + counts.nonAnswer.ok;
  const generated = counts.mutant.n + counts.nonAnswer.n;
  rows.push(`| \`${target}\` | ${cell(counts.rewrite)} | ${cell(counts.mutant)} | ${cell(counts.nonAnswer)} | ${distinct.size} | ${pct(caught, generated)} |`);
  distinctTotal += distinct.size;
}
console.log(`| check | re-writings accepted | mutants caught | non-answers given 0 | distinct variants | mutation score |`);
console.log(`|---|---:|---:|---:|---:|---:|`);
for (const r of rows) console.log(r);
const all = { ok: totals.mutant.ok + totals.nonAnswer.ok, n: totals.mutant.n + totals.nonAnswer.n };
console.log(`| **all** | ${cell(totals.rewrite)} | ${cell(totals.mutant)} | ${cell(totals.nonAnswer)} | ${distinctTotal} | ${pct(all.ok, all.n)} |`);
console.log(`\n${RUNS} draws per check and family (fast-check seed ${SEED}; a family with few distinct edits repeats some), ${((performance.now() - started) / 1000).toFixed(1)} s.`);
if (SHOW_FAILURES) {
  // One line per distinct shortfall, the first of its kind.
  const seen = new Set<string>();
  for (const f of failures) {
    const key = f.replace(/[-\d.e]+/g, '#').slice(0, 160);
    if (seen.has(key)) continue;
    seen.add(key);
    console.log(`- ${f.slice(0, 600)}`);
  }
}
