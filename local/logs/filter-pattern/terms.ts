// Unstructured patterns: `ERROR`, `"INTERNAL SERVER ERROR"`, `ERROR -ARGUMENTS`, `?ERROR ?WARN`.
import type { MessageMatcher } from './expression.js';
import type { Scanner } from './scanner.js';

const TERM = /[A-Za-z0-9_]/;

function readBareTerm(scanner: Scanner): string {
  const start = scanner.pos;
  const term = scanner.readWhile(TERM);
  if (!scanner.atEnd && !scanner.atSpace()) {
    const rest = scanner.text.slice(start).split(/\s/, 1)[0]!;
    scanner.fail(
      `the term '${rest}' holds ${scanner.describeNext()}: enclose it in double quotes (unquoted terms hold only letters, digits and '_')`,
    );
  }
  return term;
}

/**
 * Compiles a pattern of terms. Each term is found anywhere in the message, case-sensitively: AWS
 * shows `ERROR` matching "Exiting with ERRORCODE: -1" and `Exception` matching
 * "IllegalArgumentException".
 */
export function compileTermsPattern(scanner: Scanner): MessageMatcher {
  const included: string[] = [];
  const excluded: string[] = [];
  const optional: string[] = [];
  for (;;) {
    scanner.skipSpaces();
    if (scanner.atEnd) break;
    const prefix = scanner.peek() === '?' || scanner.peek() === '-' ? scanner.peek() : '';
    const at = scanner.pos;
    if (prefix !== '') scanner.pos++;
    // The AWS page writes `"ERROR" - "Exiting"`, with a space after the minus.
    if (prefix === '-') scanner.skipSpaces();
    if (scanner.atEnd || scanner.atSpace()) scanner.fail(`expected a term after '${prefix}'`, at);
    const quoted = scanner.peek() === '"';
    let term = quoted ? scanner.readQuoted() : readBareTerm(scanner);
    if (quoted && !scanner.atEnd && !scanner.atSpace()) {
      scanner.fail(`expected a space after the closing double quote but found ${scanner.describeNext()}`);
    }
    // `" "` is AWS's documented "match everything" pattern: a blank phrase is found in every event.
    if (term.trim() === '') term = '';
    (prefix === '?' ? optional : prefix === '-' ? excluded : included).push(term);
  }
  // AWS: "If you combine '?' with other filter patterns, all question mark terms will be ignored."
  if (included.length > 0 || excluded.length > 0) {
    return (message) =>
      included.every((term) => message.includes(term)) && !excluded.some((term) => message.includes(term));
  }
  return (message) => optional.some((term) => message.includes(term));
}
