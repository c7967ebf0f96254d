import type * as z from 'zod/mini';
import type { FieldIssue } from '../errors.js';

// zod/mini ships no message locale ("Invalid input" for everything), and a default message may
// quote the input; these say what was expected from the issue's own fields, never the value.
// Parse with `{ reportInput: true }` so a missing field reads "is required", not "must be a …".

/** Turns zod issues into `{field, message}` pairs; `root` names the value itself. */
export function fieldIssues(error: z.core.$ZodError, root: string): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const field = issue.path.map(String).join('.') || root;
    if (issue.code === 'unrecognized_keys') {
      // The key is the caller's own text: cut short, so a long key cannot flood a log line.
      return issue.keys.map((key) => ({ field: [...issue.path.map(String), key.slice(0, 64)].join('.'), message: 'is not a known field' }));
    }
    return [{ field, message: describe(issue) }];
  });
}

/** `field: message; field: message`, for an error message that stands on its own. */
export function summarize(issues: readonly FieldIssue[]): string {
  return issues.map(({ field, message }) => `${field}: ${message}`).join('; ');
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `is required (${issue.expected})` : `must be ${article(issue.expected)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_union':
      return 'options' in issue && issue.options?.length
        ? `must be one of ${issue.options.map((value) => JSON.stringify(value)).join(', ')}`
        : 'matches none of the allowed shapes';
    case 'invalid_format':
      return `must be a valid ${issue.format}`;
    default:
      // Checks in this service's schemas all carry their own message.
      return issue.message;
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
