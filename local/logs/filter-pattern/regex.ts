// The regex subset CloudWatch Logs documents for `%regex%`, checked and turned into a RegExp.
import type { Scanner } from './scanner.js';
import type { MessageMatcher } from './expression.js';

// "Supported symbol characters" and "Supported operators" of the AWS page; the space is in its
// examples (`%^shutting down%`, `%.at%` matching " at").
const SYMBOLS = new Set([':', '_', '#', '=', '@', '/', ';', ',', '-', ' ']);
const OPERATORS = new Set(['^', '$', '?', '[', ']', '{', '}', '|', '\\', '*', '+', '.']);
const CLASS_ESCAPES = new Set(['d', 'D', 's', 'S', 'w', 'W']);
const ALNUM = /[A-Za-z0-9]/;
const REPEAT = /^\{\s*(\d*)\s*(?:(,)\s*(\d*)\s*)?\}/;

const hex = (c: string): string => c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');

/**
 * Compiles the body of a `%regex%` that starts at `at` in the pattern. Anything outside the
 * documented subset is refused rather than given JavaScript's meaning.
 */
export function compileRegex(scanner: Scanner, body: string, at: number): RegExp {
  if (body === '') scanner.fail('the regex between the two % is empty', at - 1);
  let source = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    const where = at + i;
    if (c.charCodeAt(0) > 0x7f) {
      scanner.fail(`multi-byte characters such as '${c}' are not supported in a regex`, where);
    }
    if (c === '(' || c === ')') {
      scanner.fail(`'${c}' is not supported in a regex (no subpatterns); write \\x${hex(c)} to match it`, where);
    }
    if (c === '\\') {
      const next = body[i + 1] ?? '';
      if (next === 'x') {
        const digits = body.slice(i + 2, i + 4);
        if (!/^[0-9A-Fa-f]{2}$/.test(digits)) scanner.fail("'\\x' needs two hexadecimal digits", where);
        source += `\\x${digits}`;
        i += 4;
        continue;
      }
      if (next === '' || (ALNUM.test(next) && !CLASS_ESCAPES.has(next)) || next.charCodeAt(0) > 0x7f) {
        scanner.fail(`unsupported escape '\\${next}' in a regex (supported: \\d \\D \\s \\S \\w \\W \\xhh and escaped operators)`, where);
      }
      source += c + next;
      i += 2;
      continue;
    }
    if (c === '{') {
      const repeat = REPEAT.exec(body.slice(i));
      if (!repeat) scanner.fail("'{' must start a repetition such as {3,5}; write \\{ to match it", where);
      const [whole, min = '', comma, max = ''] = repeat;
      if (min === '' && (comma === undefined || max === '')) {
        scanner.fail('a repetition {m,n} needs a minimum or a maximum', where);
      }
      if (min !== '' && max !== '' && Number(min) > Number(max)) {
        scanner.fail(`the repetition ${whole} has a minimum above its maximum`, where);
      }
      // {m, n} and {,n} are documented; JavaScript reads both as literal text, so they are rewritten.
      source += comma === undefined ? `{${min}}` : `{${min || '0'},${max}}`;
      i += whole.length;
      continue;
    }
    if (c === '}') scanner.fail("'}' closes no repetition; write \\} to match it", where);
    if (!ALNUM.test(c) && !SYMBOLS.has(c) && !OPERATORS.has(c)) {
      scanner.fail(`'${c}' is not supported in a regex; write \\x${hex(c)} to match it`, where);
    }
    source += c;
    i++;
  }
  try {
    return new RegExp(source);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') : String(error);
    return scanner.fail(`the regex is not valid: ${reason}`, at, error);
  }
}

/** A pattern that is a single `%regex%`: it matches events that contain a match anywhere. */
export function compileRegexPattern(scanner: Scanner): MessageMatcher {
  const { body, at } = scanner.readRegex();
  const regex = compileRegex(scanner, body, at);
  scanner.skipSpaces();
  if (!scanner.atEnd) {
    scanner.fail("a regex filter pattern is the whole pattern; nothing may follow its closing '%'");
  }
  return (message) => regex.test(message);
}
