/**
 * The `github` reporter: what a GitHub Actions run shows of its results. Three things, each a
 * pure function of results to text, so they are tested against hand-written text:
 * - the job summary (`$GITHUB_STEP_SUMMARY`), Markdown: the score, a table by question, and
 *   every check that lost points with its likely mistake; hidden checks stay hidden in student
 *   mode exactly as on the terminal (the engine has already stripped them: a hidden row holds
 *   only its id, title and points);
 * - workflow-command annotations (`::error file=…,line=…,col=…::…`) for the contract errors a
 *   result names with a place: hw2.json's syntax, a wrong value in a part of `answers` (placed
 *   on its line by reading hw2.json's own text), a TypeScript error in the solution module;
 * - the step outputs `score` and `max-score` (`$GITHUB_OUTPUT`), for one submission.
 * Then a thin writer that appends them where GitHub reads them, and does nothing off GitHub.
 *
 * Every string a submission controls (its folder's name, its keys and values quoted in
 * messages, its group's names) reaches the summary only as text: each ASCII punctuation mark
 * that Markdown, GitHub's extensions (tables, autolinks, mentions, emoji, math) or HTML could
 * read becomes a character reference, and line breaks become spaces. In a workflow command,
 * GitHub's own escaping (%, CR and LF in the message; also : and , in a property) keeps a
 * message on its line, so no text of a student's can start a command of its own.
 */
import { appendFile, lstat, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { findNodeAtLocation, parseTree, type JSONPath } from 'jsonc-parser';
import { bucketOf, heldBackReason, rowScore, totals, type PartTotals } from '../core/score.ts';
import { diagnosisText, QUESTION_TITLES, QUESTIONS, type CheckResult, type SubmissionResult } from '../core/vocabulary.ts';
// Line breaks (CR, LF, Unicode's), other controls and bidirectional overrides: replaced by spaces.
import { UNPRINTABLE } from '../util/text.ts';

/** GitHub refuses a step's summary over 1 MiB: the details stop below it, with a line saying so. */
export const MAX_SUMMARY_BYTES = 900_000;
/** Characters of one student-visible text in the summary or an annotation. */
const MAX_TEXT = 1000;
/** Annotations per submission: GitHub shows 10 of each level per step; the summary lists all. */
const MAX_ANNOTATIONS = 20;
/** hw2.json read to place errors on their lines: the loader's own limit. */
const MAX_MANIFEST_BYTES = 10 * 1024 * 1024;

// ASCII punctuation that CommonMark, GFM (tables, autolinks, strikethrough), GitHub's mentions
// (@), references (#), emoji (:x:) and math ($) or HTML could read; , ; / ? are inert.
const MARKDOWN_SPECIAL = /[!"#$%&'()*+\-.:<=>@[\\\]^_`{|}~]/g;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Any text as Markdown that renders exactly as that text, on one line, inside a table cell too. */
export function markdownText(text: unknown, max = MAX_TEXT): string {
  return clip(String(text).replace(UNPRINTABLE, ' '), max).replace(MARKDOWN_SPECIAL, (c) => `&#${c.charCodeAt(0)};`);
}

/** GitHub's escaping of a workflow command's message (actions/toolkit's escapeData). */
export const commandData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** GitHub's escaping of a workflow command's property (actions/toolkit's escapeProperty). */
export const commandProperty = (text: string) => commandData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
/** Controls other than CR and LF (which the escaping keeps as %0D, %0A) have no business in a log line. */
const LOG_CONTROLS = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const logText = (text: string) => clip(text.replace(LOG_CONTROLS, ' '), MAX_TEXT);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What a total leaves out, in words: "5 graded later by the course; 2 wait for a TA". Empty when nothing. */
function notCounted(t: PartTotals, result: SubmissionResult): string {
  return [
    ...(t.hidden ? [`${t.hidden} graded later by the course`] : []),
    ...(t.pendingManual ? [`${t.pendingManual} ${t.pendingManual === 1 ? 'waits' : 'wait'} for a TA`] : []),
    ...(t.heldBack ? [`${t.heldBack} not graded yet: ${heldBackReason(result.checks)}`] : []),
  ].join('; ');
}

/** Checks that lost points a student can act on: scored (or given by a TA) below their points. Hidden, pending and held-back checks lost nothing. */
export function lostChecks(result: SubmissionResult): CheckResult[] {
  return result.checks.filter((c) => {
    const bucket = bucketOf(c, result.mode);
    return (bucket === 'scored' && c.status !== 'pass') || (bucket === 'ta' && rowScore(c, result.mode) < c.points);
  });
}

/** One submission's part of the summary, its heading at `level`. */
export function submissionMarkdown(result: SubmissionResult, level = 2): string {
  const t = totals(result.checks, result.mode);
  const heading = '#'.repeat(level);
  const out: string[] = [];
  out.push(`${heading} hw2 ${result.mode}: ${markdownText(result.submission.id)}`, '');
  const left = notCounted(t, result);
  out.push(`**Score: ${result.score} of ${result.maxScore}**${left ? ` (not counted yet: ${markdownText(left)})` : ''}`, '');
  out.push('| Question | Score | Out of | Not counted yet |', '| --- | ---: | ---: | --- |');
  for (const q of QUESTIONS) {
    const part = t.perQuestion[q];
    if (part) out.push(`| ${markdownText(QUESTION_TITLES[q])} | ${part.score} | ${part.maxScore} | ${markdownText(notCounted(part, result))} |`);
  }
  out.push(`| **Total** | **${result.score}** | **${result.maxScore}** | ${markdownText(left)} |`, '');
  if (result.problems.length) {
    out.push(`${heading}# Problems with the submission`, '');
    for (const p of result.problems) out.push(`- ${markdownText(p)}`);
    out.push('');
  }
  const lost = lostChecks(result);
  out.push(`${heading}# Checks that lost points`, '');
  if (!lost.length) out.push('None.', '');
  else {
    out.push('| Check | Points | What the check found | Likely mistake |', '| --- | ---: | --- | --- |');
    for (const c of lost) {
      const why = c.ta ? `${c.message} (a TA: ${c.ta.comment})` : c.message;
      out.push(`| ${markdownText(c.id)} | ${rowScore(c, result.mode)} of ${c.points} | ${markdownText(why)} | ${markdownText(diagnosisText(c) ?? '')} |`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/**
 * The job summary for a run. One submission (a pair's `hw2 check`, or grading one pair's
 * repository): its part in full. Several (a course's shard): a table of them first, then
 * each one's part folded, until the summary would pass MAX_SUMMARY_BYTES.
 */
export function summaryMarkdown(results: readonly SubmissionResult[], maxBytes = MAX_SUMMARY_BYTES): string {
  if (results.length === 0) return '';
  if (results.length === 1) return submissionMarkdown(results[0]!);
  const head: string[] = [`## hw2 ${results[0]!.mode}: ${plural(results.length, 'submission')}`, ''];
  head.push('| Submission | Score | Out of | Not counted yet |', '| --- | ---: | ---: | --- |');
  for (const r of results) {
    head.push(`| ${markdownText(r.submission.id, 200)} | ${r.score} | ${r.maxScore} | ${markdownText(notCounted(totals(r.checks, r.mode), r))} |`);
  }
  let text = `${head.join('\n')}\n\n`;
  let bytes = Buffer.byteLength(text);
  for (const [i, r] of results.entries()) {
    const title = `${markdownText(r.submission.id, 200)}: ${r.score} of ${r.maxScore}`;
    const folded = `<details><summary>${title}</summary>\n\n${submissionMarkdown(r, 3)}\n</details>\n\n`;
    const size = Buffer.byteLength(folded);
    if (bytes + size > maxBytes) {
      const more = plural(results.length - i, 'more submission');
      text += `The details of ${more} would pass GitHub's limit on a summary: see each one's report.html in the artifact.\n`;
      break;
    }
    text += folded;
    bytes += size;
  }
  return text;
}

/** The step outputs, as lines for `$GITHUB_OUTPUT`: the score of the run's one submission; nothing for several. */
export function outputLines(results: readonly SubmissionResult[]): string {
  if (results.length !== 1) return '';
  return `score=${results[0]!.score}\nmax-score=${results[0]!.maxScore}\n`;
}

/** An annotation: a message, and the place in the repository it is about when known. */
export interface Annotation {
  level: 'error' | 'warning';
  /** Relative to the workspace, '/'-separated. */
  file?: string;
  line?: number;
  col?: number;
  title: string;
  message: string;
}

/** The workflow command that shows an annotation. */
export function workflowCommand(a: Annotation): string {
  const properties = [
    ...(a.file !== undefined ? [`file=${commandProperty(a.file)}`] : []),
    ...(a.line !== undefined ? [`line=${a.line}`] : []),
    ...(a.col !== undefined ? [`col=${a.col}`] : []),
    `title=${commandProperty(logText(a.title))}`,
  ];
  return `::${a.level} ${properties.join(',')}::${commandData(logText(a.message))}`;
}

/** What the annotations are read against: the workspace, and each submission's hw2.json text. */
export interface AnnotationContext {
  /** `$GITHUB_WORKSPACE`: annotation paths are relative to it; a file outside it gets none. */
  workspace: string;
  /** hw2.json's text by the submission's path (result.submission.path), to place a field's error on its line. */
  manifests?: ReadonlyMap<string, string>;
}

/** A place named in a message: the file inside the submission, and its line and column when the message says. */
interface Place {
  file: string;
  line?: number;
  col?: number;
  /** hw2.json's JSON path, when the message names a field rather than a line. */
  jsonPath?: string;
}

// "solution.ts:12:7: Type 'string' is not assignable…": the TypeScript checker's and esbuild's form.
const SOURCE_POSITION = /(?<![^\s;:])([^\s:;]+\.(?:m?ts|m?js)):(\d+):(\d+): /g;
const JSON_SYNTAX = /^hw2\.json (?:is not valid JSON: .* at|is nested more than \d+ levels deep at) line (\d+), column (\d+)/;
// "hw2.json answers.q2.forward.E: expected number…", "hw2.json group.ids: …", "hw2.json (top level): …".
const JSON_FIELD = /^hw2\.json ((?:\(top level\)|[^\s:]+)): /;

/** The places a message of the harness names, each with the part of the message about it. */
export function placesIn(message: string, solutionFile?: string): { place: Place; text: string }[] {
  const syntax = JSON_SYNTAX.exec(message);
  if (syntax) return [{ place: { file: 'hw2.json', line: Number(syntax[1]), col: Number(syntax[2]) }, text: message }];
  const field = JSON_FIELD.exec(message);
  if (field) return [{ place: { file: 'hw2.json', jsonPath: field[1]! }, text: message }];
  const body = message.replace(/^type check: /, '');
  if (body.startsWith('solution exports do not match types/solution.d.ts') && solutionFile) return [{ place: { file: solutionFile }, text: body }];
  // A compile error lists up to five positions, "; "-separated: each is a place of its own.
  const found = [...body.matchAll(SOURCE_POSITION)];
  return found.map((m, i) => {
    const end = found[i + 1]?.index ?? body.length;
    // What follows the last one ends the harness's sentence; the others end at the "; " between them.
    const text = body.slice(m.index + m[0].length, end).replace(/(; checks that need it score 0, the rest use hw2\.json|;\s*)$/, '');
    return { place: { file: m[1]!, line: Number(m[2]), col: Number(m[3]) }, text: `${m[1]}:${m[2]}:${m[3]}: ${text}` };
  });
}

/** A JSON path as the harness writes it (answers.q5.params[0].w, answers["odd key"]) as keys. */
export function jsonPathKeys(path: string): JSONPath {
  if (path === '(top level)') return [];
  const keys: JSONPath = [];
  for (const m of path.matchAll(/\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([^.[\]]+)/g)) {
    if (m[1] !== undefined) keys.push(Number(m[1]));
    else if (m[2] !== undefined) keys.push(String(JSON.parse(m[2])));
    else keys.push(m[3]!);
  }
  return keys;
}

/** Line and column (1-based) of a field in hw2.json's text, or of its nearest ancestor there; undefined when the text does not parse. */
export function fieldPosition(text: string, path: string): { line: number; col: number } | undefined {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let tree;
  try {
    // jsonc-parser recurses on nesting: a file nested past the stack is a place not found, not a fault.
    tree = parseTree(source, [], { disallowComments: true, allowTrailingComma: false });
  } catch {
    return undefined;
  }
  if (!tree) return undefined;
  const keys = jsonPathKeys(path);
  for (let n = keys.length; n >= 0; n--) {
    const node = findNodeAtLocation(tree, keys.slice(0, n));
    if (!node) continue;
    // A field's place is its key ("E": …), where an editor puts the cursor; an item's is its value.
    const at = node.parent?.type === 'property' ? node.parent.offset : node.offset;
    const before = source.slice(0, at);
    return { line: before.split('\n').length, col: at - before.lastIndexOf('\n') };
  }
  return undefined;
}

/** Warnings cost nothing (a field ignored, an id note); everything else is an error of the submission's. */
const levelOf = (message: string): Annotation['level'] => (/; ignored$|is not a 9-digit id$|starts with a byte-order mark/.test(message) ? 'warning' : 'error');

/** The annotations of one submission's contract errors, at the places its messages name. */
export function submissionAnnotations(result: SubmissionResult, context: AnnotationContext): Annotation[] {
  const folder = result.submission.path;
  // Inside a zip, or outside the workspace, a place has no file GitHub could show.
  const inWorkspace = (file: string): string | undefined => {
    if (/\.zip$/i.test(folder)) return undefined;
    const path = relative(context.workspace, join(folder, file));
    return path.startsWith('..') || isAbsolute(path) ? undefined : path.split(sep).join('/');
  };
  const title = `hw2 ${result.mode}: ${result.submission.id}`;
  const messages = [
    ...result.problems,
    // A part's issues repeat on every check of its question: the set below keeps one of each.
    ...result.checks.flatMap((c) => (c.issues ?? []).map((i) => (i.path ? `${i.path}: ${i.text}` : i.text))),
  ];
  const seen = new Set<string>();
  const out: Annotation[] = [];
  for (const message of messages) {
    for (const { place, text } of placesIn(message, result.solution?.file)) {
      const file = inWorkspace(place.file);
      let position = place.line !== undefined ? { line: place.line, col: place.col! } : undefined;
      if (place.jsonPath !== undefined) {
        const manifest = context.manifests?.get(folder);
        position = manifest === undefined ? undefined : fieldPosition(manifest, place.jsonPath);
      }
      const annotation: Annotation = {
        level: levelOf(message), title, message: text,
        ...(file !== undefined ? { file, ...(position ? { line: position.line, col: position.col } : {}) } : {}),
      };
      const key = workflowCommand(annotation);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(annotation);
    }
  }
  return out.slice(0, MAX_ANNOTATIONS);
}

/** The annotation lines of a run, one workflow command each. */
export function annotationLines(results: readonly SubmissionResult[], context: AnnotationContext): string[] {
  return results.flatMap((r) => submissionAnnotations(r, context).map(workflowCommand));
}

/** Where the writer writes; GitHub's environment variables by default. */
export interface GithubEnvironment {
  GITHUB_ACTIONS?: string;
  GITHUB_STEP_SUMMARY?: string;
  GITHUB_OUTPUT?: string;
  GITHUB_WORKSPACE?: string;
  /**
   * A file to write the annotation lines to instead of standard output. The action sets it:
   * it stops workflow commands while the harness prints (a student's text could hold one) and
   * replays this file's lines, which are escaped, after.
   */
  HW2_GITHUB_ANNOTATIONS?: string;
}

/** The reporter's hooks (reporters.ts's Reporter, which imports this module: named here by shape, not imported). */
export interface GithubHooks {
  submission?(result: SubmissionResult, dir: string): Promise<void>;
  run?(results: readonly SubmissionResult[], out: string): Promise<void>;
}

/** hw2.json's text of each submission that is a folder, read within the loader's limit, not through a link. */
async function readManifests(results: readonly SubmissionResult[]): Promise<Map<string, string>> {
  const manifests = new Map<string, string>();
  for (const r of results) {
    const file = join(r.submission.path, 'hw2.json');
    const info = await lstat(file).catch(() => undefined);
    if (info?.isFile() && info.size <= MAX_MANIFEST_BYTES) manifests.set(r.submission.path, await readFile(file, 'utf8').catch(() => ''));
  }
  return manifests;
}

/**
 * The writer: appends the summary and outputs to the files GitHub names, and prints the
 * annotations (or writes them to HW2_GITHUB_ANNOTATIONS). Off GitHub Actions it does nothing,
 * so a run on a TA's machine with every reporter on is unchanged. A pair's `hw2 check` writes
 * when its result is made (no run hook in student mode); a batch writes once, at the end.
 */
export function githubReporter(env: GithubEnvironment = process.env, print: (text: string) => void = (text) => process.stdout.write(text)): GithubHooks {
  if (env.GITHUB_ACTIONS !== 'true') return {};
  const emit = async (results: readonly SubmissionResult[]) => {
    if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, summaryMarkdown(results));
    if (env.GITHUB_OUTPUT) await appendFile(env.GITHUB_OUTPUT, outputLines(results));
    const lines = annotationLines(results, { workspace: env.GITHUB_WORKSPACE ?? process.cwd(), manifests: await readManifests(results) });
    const text = lines.map((l) => `${l}\n`).join('');
    if (env.HW2_GITHUB_ANNOTATIONS) await appendFile(env.HW2_GITHUB_ANNOTATIONS, text);
    else print(text);
  };
  return {
    submission: async (result) => (result.mode === 'check' ? emit([result]) : undefined),
    run: async (results) => emit(results.filter((r) => r.mode === 'grade')),
  };
}
