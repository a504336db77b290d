/**
 * `hw2 --help` and `hw2 --version`, answered without TypeScript and without loading any
 * command: bin/hw2.mjs imports this plain module before it registers tsx, and main.ts prints
 * the same text. Node's own modules only; the one source of the version is package.json.
 * tests/cli/help.test.ts keeps the text in step with the options, commands, reporters,
 * reference topics and exit codes it names.
 */
import { readFileSync } from 'node:fs';

/** The harness version: package.json's `version`. */
export function version() {
  return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
}

export function helpText() {
  return `hw2 ${version()} — grade EE 046211 HW2 submissions

Usage:
  hw2 grade <path...> [--out DIR] [--rubric FILE] [--jobs N] [--shard i/n] [--manual CSV]
            [--seed N] [--reporter NAME,...] [--verbose] [--quiet] [--no-pdf]
      Grade submissions: folders with hw2.json and/or the notebook (and optionally
      solution.ts), .zip files of such a folder, folders holding several of them, or
      Moodle's "Download all submissions" zip or folder. Writes, per submission,
      DIR/<id>/result.json, report.html, report.pdf, gradescope-results.json; per batch,
      DIR/summary.html, grades.csv (Moodle), scores.csv, junit.xml (--reporter picks which).
      A re-run reuses every result whose submission, rubric and harness are unchanged.
  hw2 merge <dir...> --out DIR [--reporter NAME,...]
      Join the outputs of --shard runs into one summary and grade sheet.
  hw2 train mlp [--out DIR] [--epochs N] [--hidden 256,128] [--dropout P] [--batch-size N]
               [--lr X] [--init glorotUniform|heNormal|randomNormal] [--limit N] [--backend wasm|cpu]
               [--resume DIR/model.json]
      Train the Task 2 MLP baseline on FashionMNIST (TensorFlow.js); saves model.json,
      weights.bin, history.json and card.json.
  hw2 train cnn [--out DIR] [--epochs N] [--limit N] [--extra N] [--augment] [--data-dir DIR]
      Train the Task 3 CNN baseline on SVHN (all of train, or --limit N images; --extra N
      adds N images of the extra split), or on 12,000 images of the synthetic SVHN-like set
      where SVHN is absent (the card says which). A terminal shows a progress bar (epoch, batch,
      loss, samples/s, ETA); logs get one line per epoch.
  hw2 similarity <out-dir | submissions...> [--out DIR] [--template NOTEBOOK]
      Rank every pair of a course's submissions by what they share beyond chance: the
      same wrong answers (from an out-dir of hw2 grade; weighted by how rare), identical
      random draws (.npy samples, model weights, histories; a shared seed apart and
      weaker), notebook code and written answers (winnowing fingerprints; the template's
      cells and the homework's text ignored). Writes DIR/similarity.html (each pair side
      by side, shared regions marked), similarity.json, and a section in summary.html.
  hw2 check <folder|zip|notebook> [--out DIR] [--rubric FILE] [--reporter NAME,...]
      Student mode: public checks in full, hidden checks only as "graded later";
      a TypeScript solution is also type-checked against types/solution.d.ts. A notebook
      alone is graded from the answers hw2kit.py displayed in it.
  hw2 review <out-dir> [--port N] [--ta NAME] [--manual CSV] [--rubric FILE]
      Grade the manual checks in a browser, by question: a local server on 127.0.0.1
      prints an address with a random token; each decision is saved at once into the
      --manual CSV (default <out-dir>/manual.csv), rubric items into the rubric's manual
      section, and the submission's report is re-rendered with the points. --ta names who
      grades (default: the login name); --port picks the port (default: a free one).
  hw2 types
      Print types/solution.d.ts, the exports a solution module may have.
  hw2 data fetch fashion [--data-dir DIR]
  hw2 data fetch svhn [train] [test] [extra] [--data-dir DIR]
      Download FashionMNIST (sha256 of each file's content) or SVHN's .mat files (md5;
      train and test by default, extra is 1.3 GB) into DIR/fashion-mnist or DIR/svhn
      (DIR: --data-dir, HW2_DATA, else ./data). Needs internet; offline, Debian's
      dataset-fashion-mnist has FashionMNIST and SVHN's files can be copied in by hand.
  hw2 schema
      Print the JSON Schema of hw2.json (contract 1).
  hw2 reference <q1|q2|q3|q4|q5|q6|task1|task2|task3> [--rubric FILE]
      Print the reference answers the checks use, as JSON.
  hw2 reference task1 --seeds N
      Task 1's experiments over seeds 1..N: the range of every printed value.
  hw2 rubric [--rubric FILE] [--markdown]
      List every check with its points and visibility (--markdown: the README's table of checks).

Options:
  --out DIR        where results go (default: out)
  --rubric FILE    rubric to grade with (default: reference/rubric.json)
  --seed N         seed for randomized checks (default: 211, the homework's)
  --verbose        print the message of passing checks too
  --reporter NAME,...  which files grade, check and merge write (default: all of them):
                   html (report.html), pdf (report.pdf), gradescope (gradescope-results.json),
                   json (result.json: always written, last; a resumed run reads it),
                   summary (summary.html), moodle (grades.csv), scores (scores.csv),
                   junit (junit.xml), github ($GITHUB_STEP_SUMMARY: on GitHub Actions only,
                   the job summary, annotations and the outputs score and max-score)
  --no-pdf         skip report.pdf (PDFs need Chromium: Debian's chromium, or HW2_CHROMIUM)
  --jobs N         grade N submissions at once (default: the number of cores)
  --shard i/n      grade the i-th of n deterministic parts (also HW2_SHARD=i/n, or
                   JOB_COMPLETION_INDEX with HW2_SHARDS=n in a Kubernetes Indexed Job)
  --manual CSV     TA points for manual checks: submission,check,points,comment
                   (review: where the decisions are saved)
  --port N         review: the port to listen on, on 127.0.0.1 (default: a free one)
  --ta NAME        review: who grades; saved with each decision (default: the login name)
  --roster CSV     Moodle's participants export (with ID number) or grading worksheet:
                   an upload not by one of the ids it claims, or claiming ids not on it, is refused
  --allow-incomplete  grades.csv (grade, merge): write the partial score of a submission
                   whose points were held back (the grading machine lacked something);
                   by default its Grade is left empty and its Feedback says why
  --quiet          print only the final summary
  --template NOTEBOOK  similarity: the course's template notebook (its cells are base)
  --data-dir DIR   where datasets are (else $HW2_DATA, then /usr/share/datasets)
  -h, --help       this text;  --version  the harness version

  A flag beats its environment variable, which beats the rubric, which beats the default.

Exit codes:
  0  graded: every submission fully graded (or the command did its work)
  1  not fully graded: points held back (the grading machine lacked something, or the
     harness failed), an output not written, or a command that could not do its work
  2  bad usage: an unknown command or option, a bad rubric, manual CSV or roster`;
}
