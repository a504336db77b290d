/**
 * Reporters: the files a run writes, each a plugin the engine knows nothing about. The CLI
 * picks them by name (`--reporter`) and feeds them through one `Reporters` set, which turns a
 * reporter's exception into a fault naming its file: one broken reporter costs only its file
 * (a PDF that cannot print never costs a TA the grade sheet). A reporter loads what it renders
 * with on first use, so importing this module, or picking reporters, loads no renderer.
 *
 * result.json is not written here: it is the engine's record, which a resumed run reads back,
 * and the engine writes it itself, last, after every reporter has run for that submission.
 * `json` is still a name (always on), so that `--reporter` can list every file a run writes.
 */
import { join } from 'node:path';
import type { SubmissionResult } from '../core/vocabulary.ts';
import { writeAtomic } from '../util/atomic.ts';
import type { MoodleSheet } from './sheets.ts';

/** The hooks of a reporter; each is optional, and each fires as its line says. */
export interface Reporter {
  /**
   * Once for each submission whose result is new or changed in this run, with the folder
   * `dir` made for it, before result.json is written there. A result reused unchanged from an
   * earlier run does not fire it: its files are those of the run that made it.
   */
  submission?(result: SubmissionResult, dir: string): Promise<void>;
  /**
   * Once at the end of `hw2 grade` and of `hw2 merge` (never of `hw2 check`), with every
   * result of the run in its order and the output folder `out` made.
   */
  run?(results: readonly SubmissionResult[], out: string): Promise<RunNotes | void>;
  /** Once when the run ends, however it ended: releases what the reporter holds (a browser). */
  close?(): Promise<void>;
}

/** What a run's reporters tell the CLI to print. */
export interface RunNotes {
  /** Incomplete submissions whose grade grades.csv left empty (see MoodleOptions.allowIncomplete). */
  refusedGrades: string[];
  /** Student ids more than one submission claims: no grade on their rows (see MoodleSheet.conflicts). */
  idConflicts: MoodleSheet['conflicts'];
}

/** What reporters are made with: the run's settings, resolved by the CLI. */
export interface ReporterContext {
  /** Submissions graded at once: the PDF reporter prints on as many browser pages. */
  jobs: number;
  /** grades.csv writes the partial score of an incomplete submission (MoodleOptions.allowIncomplete). */
  allowIncomplete: boolean;
  /** The browser the user named (HW2_CHROMIUM), tried before the system's. */
  chromium?: string;
  /** Tells the user something about a reporter before the run (the CLI prints it on stderr). */
  warn(line: string): void;
}

interface ReporterDefinition {
  /** Whether it writes a file per submission (in `<out>/<id>/`, `submission` hook) or one per run (in `<out>/`, `run` hook). */
  scope: 'submission' | 'run';
  /** The file it writes. */
  file: string;
  create(context: ReporterContext): Reporter | Promise<Reporter>;
}

/** report.html, rendered once per result for the html and pdf reporters alike. */
const htmlOf = new WeakMap<SubmissionResult, string>();
async function reportHtml(result: SubmissionResult): Promise<string> {
  let html = htmlOf.get(result);
  if (html === undefined) {
    const { renderReport } = await import('./render.ts');
    html = renderReport(result);
    htmlOf.set(result, html);
  }
  return html;
}

const sheets = () => import('./sheets.ts');

/**
 * Every reporter by name, in the order they run (result.json, the engine's, comes after the
 * per-submission ones). `--reporter` takes these names; its default is all of them.
 */
export const REPORTERS = {
  gradescope: {
    scope: 'submission',
    file: 'gradescope-results.json',
    create: () => ({ submission: async (result, dir) => writeAtomic(join(dir, 'gradescope-results.json'), (await sheets()).gradescopeJson(result)) }),
  },
  html: {
    scope: 'submission',
    file: 'report.html',
    create: () => ({ submission: async (result, dir) => writeAtomic(join(dir, 'report.html'), await reportHtml(result)) }),
  },
  pdf: {
    scope: 'submission',
    file: 'report.pdf',
    async create(context) {
      const { findChromium, lazyPrinter } = await import('./pdf.ts');
      const chromium = findChromium(context.chromium);
      if (!chromium) {
        context.warn('no Chromium found, so no report.pdf (install Debian\'s chromium or set HW2_CHROMIUM; --no-pdf silences this)');
        return {};
      }
      // One browser for the run, started on the first print, with a page per grading job.
      const printer = lazyPrinter(context.jobs, chromium);
      return {
        submission: async (result, dir) => writeAtomic(join(dir, 'report.pdf'), await printer.print(await reportHtml(result))),
        close: () => printer.close(),
      };
    },
  },
  json: {
    scope: 'submission',
    file: 'result.json',
    // Written by the engine (src/engine/batch.ts), last: see this module's comment.
    create: () => ({}),
  },
  summary: {
    scope: 'run',
    file: 'summary.html',
    create: () => ({
      run: async (results, out) => writeAtomic(join(out, 'summary.html'), (await import('./render.ts')).renderSummary([...results])),
    }),
  },
  moodle: {
    scope: 'run',
    file: 'grades.csv',
    create: (context) => ({
      async run(results, out) {
        const moodle = (await sheets()).moodleCsv([...results], { allowIncomplete: context.allowIncomplete });
        await writeAtomic(join(out, 'grades.csv'), moodle.csv);
        return { refusedGrades: moodle.refused, idConflicts: moodle.conflicts };
      },
    }),
  },
  scores: {
    scope: 'run',
    file: 'scores.csv',
    create: () => ({ run: async (results, out) => writeAtomic(join(out, 'scores.csv'), (await sheets()).scoresCsv([...results])) }),
  },
  junit: {
    scope: 'run',
    file: 'junit.xml',
    create: () => ({ run: async (results, out) => writeAtomic(join(out, 'junit.xml'), (await sheets()).junitXml([...results])) }),
  },
  // Writes to GitHub's files, not to --out, and only on GitHub Actions (src/report/github.ts).
  // Scope submission, so that `hw2 check` has it; its run hook writes a batch's summary.
  github: {
    scope: 'submission',
    file: '$GITHUB_STEP_SUMMARY',
    create: async () => (await import('./github.ts')).githubReporter(),
  },
} as const satisfies Record<string, ReporterDefinition>;

export type ReporterName = keyof typeof REPORTERS;
export const REPORTER_NAMES = Object.keys(REPORTERS) as ReporterName[];
export const isReporterName = (name: string): name is ReporterName => Object.hasOwn(REPORTERS, name);
/** Those of `names` that write files of `scope`. */
export const reportersOf = (names: readonly ReporterName[], scope: 'submission' | 'run') => names.filter((n) => REPORTERS[n].scope === scope);

/** A reporter and the file it answers for in faults. */
interface Member {
  file: string;
  reporter: Reporter;
}

const messageOf = (error: unknown) => (error as Error)?.message ?? String(error);

/**
 * The reporters of one run, fed together. Each hook of each reporter runs in turn and alone:
 * an exception becomes a line in `faults` ("<id> report.html: <why>", "grades.csv: <why>")
 * and the others still run. Nothing here throws.
 */
export class Reporters {
  /** What could not be written, one line each: the CLI prints them and exits 1. */
  readonly faults: string[] = [];

  constructor(private readonly members: readonly Member[]) {}

  /** The reporters named, in REPORTERS' order whatever the order of `names`. */
  static async create(names: readonly ReporterName[], context: ReporterContext): Promise<Reporters> {
    const members: Member[] = [];
    for (const name of REPORTER_NAMES.filter((n) => names.includes(n))) {
      const definition: ReporterDefinition = REPORTERS[name];
      members.push({ file: definition.file, reporter: await definition.create(context) });
    }
    return new Reporters(members);
  }

  async submission(result: SubmissionResult, dir: string): Promise<void> {
    for (const { file, reporter } of this.members) {
      try {
        await reporter.submission?.(result, dir);
      } catch (error) {
        this.faults.push(`${result.submission.id} ${file}: ${messageOf(error)}`);
      }
    }
  }

  async run(results: readonly SubmissionResult[], out: string): Promise<RunNotes> {
    const notes: RunNotes = { refusedGrades: [], idConflicts: [] };
    for (const { file, reporter } of this.members) {
      try {
        const more = await reporter.run?.(results, out);
        if (more) {
          notes.refusedGrades.push(...more.refusedGrades);
          notes.idConflicts.push(...more.idConflicts);
        }
      } catch (error) {
        this.faults.push(`${file}: ${messageOf(error)}`);
      }
    }
    return notes;
  }

  async close(): Promise<void> {
    for (const { file, reporter } of this.members) {
      try {
        await reporter.close?.();
      } catch (error) {
        this.faults.push(`${file}: ${messageOf(error)}`);
      }
    }
  }
}
