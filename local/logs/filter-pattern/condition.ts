// One comparison of a JSON value or a space-delimited field: `= "text"`, `!= 4*`, `>= 1e3`, `= %re%`.
import { compileRegex } from './regex.js';
import type { Scanner } from './scanner.js';

export type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** What a comparison is applied to: a JSON string or number, or a space-delimited field. */
export type Scalar = string | number;

export type ScalarTest = (value: Scalar) => boolean;

/** Limits AWS sets on one JSON or space-delimited pattern. */
export interface PatternBudget {
  regexes: number;
}

export const MAX_REGEXES = 2;

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
// Unquoted values: letters, digits and '_' as documented, plus what the documented examples use
// unquoted: '.' and '*' (`123.123.*`, `*.html*`) and signs (`+1000`, `1e-3`).
const BARE_VALUE = /[A-Za-z0-9_.*+-]/;
const VALUE_END = /[\s)}\],&|]/;
const OPERATORS: readonly Operator[] = ['!=', '<=', '>=', '=', '<', '>'];

/** A JSON string that is a plain number compares as one, as a space-delimited field does. */
function toNumber(value: Scalar): number | undefined {
  if (typeof value === 'number') return value;
  return NUMBER.test(value) ? Number(value) : undefined;
}

const textOf = (value: Scalar): string => (typeof value === 'number' ? String(value) : value);

/** Reads a comparison operator at the cursor, or returns undefined without moving. */
export function readOperator(scanner: Scanner): Operator | undefined {
  if (scanner.startsWith('==')) scanner.fail("'==' is not an operator; write '='");
  const operator = OPERATORS.find((candidate) => scanner.startsWith(candidate));
  if (operator) scanner.pos += operator.length;
  return operator;
}

/**
 * `*` is a wildcard at the start or the end of a value; inside it is a literal star (AWS: "Ev*ent
 * will only match the actual string Ev*ent").
 */
function wildcard(pattern: string): (text: string) => boolean {
  let start = 0;
  let end = pattern.length;
  while (start < end && pattern[start] === '*') start++;
  while (end > start && pattern[end - 1] === '*') end--;
  if (start === end && start > 0) return () => true;
  const core = pattern.slice(start, end);
  const anyBefore = start > 0;
  const anyAfter = end < pattern.length;
  if (anyBefore && anyAfter) return (text) => text.includes(core);
  if (anyBefore) return (text) => text.endsWith(core);
  if (anyAfter) return (text) => text.startsWith(core);
  return (text) => text === core;
}

function compare(operator: Operator, limit: number): (value: number) => boolean {
  switch (operator) {
    case '=':
      return (value) => value === limit;
    case '!=':
      return (value) => value !== limit;
    case '<':
      return (value) => value < limit;
    case '<=':
      return (value) => value <= limit;
    case '>':
      return (value) => value > limit;
    case '>=':
      return (value) => value >= limit;
  }
}

/** Reads the value after `operator` (which ended just before the cursor) and compiles the test. */
export function readComparison(scanner: Scanner, operator: Operator, budget: PatternBudget): ScalarTest {
  scanner.skipSpaces();
  const at = scanner.pos;
  const relational = operator !== '=' && operator !== '!=';
  const negate = operator === '!=';

  if (scanner.peek() === '%') {
    if (relational) scanner.fail(`a regex can only follow '=' or '!=', not '${operator}'`);
    if (++budget.regexes > MAX_REGEXES) {
      scanner.fail(`a JSON or space-delimited filter pattern may hold at most ${MAX_REGEXES} regexes`);
    }
    const { body, at: bodyAt } = scanner.readRegex();
    const regex = compileRegex(scanner, body, bodyAt);
    return negate ? (value) => !regex.test(textOf(value)) : (value) => regex.test(textOf(value));
  }

  if (scanner.peek() === '"') {
    if (relational) scanner.fail(`expected a number after '${operator}' but found a quoted string`);
    const matches = wildcard(scanner.readQuoted());
    return negate ? (value) => !matches(textOf(value)) : (value) => matches(textOf(value));
  }

  const text = scanner.readWhile(BARE_VALUE);
  if (!scanner.atEnd && !VALUE_END.test(scanner.peek())) {
    if (text === '' && scanner.peek() === '!') {
      scanner.fail(`unexpected '!' after '${operator}'; write '!=' for "not equal"`);
    }
    scanner.fail(`${scanner.describeNext()} in a value must be enclosed in double quotes`);
  }
  if (text === '') scanner.fail(`expected a value after '${operator}'`);

  if (NUMBER.test(text)) {
    const test = compare(operator, Number(text));
    return (value) => {
      const number = toNumber(value);
      return number === undefined ? negate : test(number);
    };
  }
  if (relational) scanner.fail(`expected a number after '${operator}' but found '${text}'`, at);
  const matches = wildcard(text);
  return negate ? (value) => !matches(textOf(value)) : (value) => matches(textOf(value));
}
