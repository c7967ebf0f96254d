// Boolean expressions of conditions, shared by JSON and space-delimited patterns: () > && > ||.
import type { Scanner } from './scanner.js';

export type Predicate<T> = (input: T) => boolean;

/** Tells whether one log event's message matches a compiled filter pattern. */
export type MessageMatcher = Predicate<string>;

/** Parses `a || b && (c || d)` with `parseCondition` reading each condition, into one predicate. */
export function parseExpression<T>(scanner: Scanner, parseCondition: () => Predicate<T>): Predicate<T> {
  const parseOr = (): Predicate<T> => {
    const items = [parseAnd()];
    while (takeOperator('||')) items.push(parseAnd());
    return items.length === 1 ? items[0]! : (input) => items.some((item) => item(input));
  };
  const parseAnd = (): Predicate<T> => {
    const items = [parseUnary()];
    while (takeOperator('&&')) items.push(parseUnary());
    return items.length === 1 ? items[0]! : (input) => items.every((item) => item(input));
  };
  const parseUnary = (): Predicate<T> => {
    scanner.skipSpaces();
    if (scanner.peek() !== '(') return parseCondition();
    const open = scanner.pos++;
    const inner = parseOr();
    scanner.skipSpaces();
    if (scanner.peek() !== ')') {
      scanner.fail(`expected ')' to close the '(' at ${open + 1} but found ${scanner.describeNext()}`);
    }
    scanner.pos++;
    return inner;
  };
  const takeOperator = (operator: '&&' | '||'): boolean => {
    scanner.skipSpaces();
    if (scanner.startsWith(operator)) {
      scanner.pos += 2;
      return true;
    }
    const single = operator[0]!;
    if (scanner.peek() === single && scanner.peek(1) !== single) {
      scanner.fail(`a single '${single}' is not an operator; write '${operator}'`);
    }
    return false;
  };
  return parseOr();
}
