/**
 * Turns zod issues into sentences a student can act on: the file, the JSON path, the value
 * found and what was expected. Issues stay data until this last step.
 */
import type { core } from 'zod';
import type { Issue } from '../core/vocabulary.ts';

export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out || '(top level)';
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  if (shown.length > 60) shown = `${shown.slice(0, 57)}...`;
  const kind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  return `${kind} ${shown}`;
}

function expectation(issue: core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (check the spelling against \`hw2 schema\`)`;
    case 'too_big':
      return `expected at most ${String(issue.maximum)}${issue.origin === 'array' ? ' items' : issue.origin === 'string' ? ' characters' : ''}`;
    case 'too_small':
      return `expected at least ${String(issue.minimum)}${issue.origin === 'array' ? ' items' : issue.origin === 'string' ? ' characters' : ''}`;
    case 'invalid_union':
      return 'expected one of the allowed forms (see `hw2 schema`)';
    case 'invalid_format':
      return `expected ${issue.format}`;
    default:
      return issue.message;
  }
}

/** A zod issue as data: its kind, where it is (file and JSON path), what was expected and found. */
export function issueOf(file: string, prefix: readonly PropertyKey[], issue: core.$ZodIssue): Issue {
  const found = issue.code === 'unrecognized_keys' ? '' : `, found ${describeValue(issue.input)}`;
  return { code: issue.code, path: `${file} ${jsonPath([...prefix, ...issue.path])}`.trim(), text: `${expectation(issue)}${found}` };
}

/** An issue in words: "hw2.json answers.q2.gradients.w3: expected number, found string "0.1"". */
export const issueText = (issue: Issue) => (issue.path ? `${issue.path}: ${issue.text}` : issue.text);

export function formatIssue(file: string, prefix: readonly PropertyKey[], issue: core.$ZodIssue): string {
  return issueText(issueOf(file, prefix, issue));
}
