// CloudWatch Logs filter patterns, compiled once and applied to each log event before the local
// subscription batches it: terms, JSON, space-delimited and regex patterns, as AWS documents them.
import type { MessageMatcher } from './expression.js';
import { compileDelimitedPattern } from './delimited.js';
import { compileJsonPattern } from './json.js';
import { compileRegexPattern } from './regex.js';
import { Scanner } from './scanner.js';
import { compileTermsPattern } from './terms.js';

export { FilterPatternError } from './errors.js';
export type { MessageMatcher } from './expression.js';

/** The longest filter pattern the CloudWatch Logs API accepts. */
export const MAX_FILTER_PATTERN_LENGTH = 1024;

const matchEverything: MessageMatcher = () => true;

/**
 * Compiles a subscription filter's `FilterPattern` into a predicate over one log event's message.
 * The pattern is parsed here, once; the predicate only matches.
 *
 * @throws FilterPatternError when the pattern is not valid, with the position of the problem.
 */
export function compileFilterPattern(pattern: string): MessageMatcher {
  const scanner = new Scanner(pattern);
  if (pattern.length > MAX_FILTER_PATTERN_LENGTH) {
    scanner.fail(`a filter pattern holds at most ${MAX_FILTER_PATTERN_LENGTH} characters`, MAX_FILTER_PATTERN_LENGTH);
  }
  scanner.skipSpaces();
  if (scanner.atEnd) return matchEverything;
  switch (scanner.peek()) {
    case '{':
      return compileJsonPattern(scanner);
    case '[':
      return compileDelimitedPattern(scanner);
    case '%':
      return compileRegexPattern(scanner);
    default:
      return compileTermsPattern(scanner);
  }
}
