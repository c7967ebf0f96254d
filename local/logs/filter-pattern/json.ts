// JSON patterns: `{ $.a.b[0] = "x" && ($.n > 3 || $.c IS NULL) }` over events that are JSON objects.
import { readComparison, readOperator, type PatternBudget } from './condition.js';
import { parseExpression, type MessageMatcher, type Predicate } from './expression.js';
import type { Scanner } from './scanner.js';

type Segment = { kind: 'key'; name: string } | { kind: 'index'; index: number } | { kind: 'any' };

type JsonObject = Record<string, unknown>;

interface JsonBudget extends PatternBudget {
  wildcardSelectors: number;
}

const MAX_WILDCARD_SELECTORS = 3;
const NAME = /[A-Za-z0-9_-]/;
const SELECTOR_END = /[\s=!<>)}&|]/;
const KEYWORD = /[A-Za-z]/;
const IS_VALUES = new Map<string, boolean | null>([
  ['NULL', null],
  ['TRUE', true],
  ['FALSE', false],
]);
const EXPECTED_OPERATOR = 'expected =, !=, <, <=, >, >=, IS NULL, IS TRUE, IS FALSE or NOT EXISTS after the selector';

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parseSegmentName(scanner: Scanner): Segment {
  if (scanner.peek() === '*') {
    scanner.pos++;
    return { kind: 'any' };
  }
  const name = scanner.readWhile(NAME);
  if (name === '') {
    scanner.fail(`expected a property name after '.' but found ${scanner.describeNext()}`);
  }
  return { kind: 'key', name };
}

function parseBracket(scanner: Scanner): Segment {
  const open = scanner.pos++;
  let segment: Segment;
  const quote = scanner.peek();
  if (quote === "'" || quote === '"') {
    const close = scanner.text.indexOf(quote, scanner.pos + 1);
    if (close === -1) scanner.fail('the quoted property name opened here is never closed', scanner.pos);
    segment = { kind: 'key', name: scanner.text.slice(scanner.pos + 1, close) };
    scanner.pos = close + 1;
  } else if (scanner.peek() === '*') {
    scanner.pos++;
    segment = { kind: 'any' };
  } else {
    const digits = scanner.readWhile(/[0-9]/);
    if (digits === '') {
      scanner.fail(`expected an array index, '*' or a quoted property name after '[' but found ${scanner.describeNext()}`);
    }
    segment = { kind: 'index', index: Number(digits) };
  }
  if (scanner.peek() !== ']') scanner.fail(`expected ']' to close the '[' at ${open + 1}`);
  scanner.pos++;
  return segment;
}

/** `$.a.b`, `$.a[0][1]`, `$.['a.b']`, `$.a[*]`, `$.*`. */
function parseSelector(scanner: Scanner, budget: JsonBudget): Segment[] {
  const at = scanner.pos++;
  if (scanner.peek() !== '.') scanner.fail("expected '.' after '$' (selectors start with '$.')");
  const segments: Segment[] = [];
  for (;;) {
    if (scanner.peek() === '.') {
      scanner.pos++;
      segments.push(scanner.peek() === '[' ? parseBracket(scanner) : parseSegmentName(scanner));
    } else if (scanner.peek() === '[') {
      segments.push(parseBracket(scanner));
    } else {
      break;
    }
  }
  if (!scanner.atEnd && !SELECTOR_END.test(scanner.peek())) {
    scanner.fail(`${scanner.describeNext()} cannot appear in a property name; select it as $.['name']`);
  }
  const wildcards = segments.filter((segment) => segment.kind === 'any').length;
  if (wildcards > 1) scanner.fail('a selector may hold at most one wildcard', at);
  if (wildcards === 1 && ++budget.wildcardSelectors > MAX_WILDCARD_SELECTORS) {
    scanner.fail(`a filter pattern may hold at most ${MAX_WILDCARD_SELECTORS} selectors with a wildcard`, at);
  }
  return segments;
}

/** The values a selector reaches: none when a step is missing, several through a wildcard. */
function select(root: JsonObject, path: readonly Segment[]): unknown[] {
  let nodes: unknown[] = [root];
  for (const segment of path) {
    const next: unknown[] = [];
    for (const node of nodes) {
      if (segment.kind === 'key') {
        if (isObject(node) && Object.hasOwn(node, segment.name)) next.push(node[segment.name]);
      } else if (segment.kind === 'index') {
        if (Array.isArray(node) && segment.index < node.length) next.push(node[segment.index]);
      } else if (Array.isArray(node)) {
        next.push(...node);
      } else if (isObject(node)) {
        next.push(...Object.values(node));
      }
    }
    if (next.length === 0) return next;
    nodes = next;
  }
  return nodes;
}

function readKeyword(scanner: Scanner): { word: string; at: number } {
  scanner.skipSpaces();
  const at = scanner.pos;
  return { word: scanner.readWhile(KEYWORD), at };
}

function parseCondition(scanner: Scanner, budget: JsonBudget): Predicate<JsonObject> {
  scanner.skipSpaces();
  if (scanner.peek() !== '$') {
    scanner.fail(`expected a property selector such as $.field but found ${scanner.describeNext()}`);
  }
  const path = parseSelector(scanner, budget);
  const first = readKeyword(scanner);
  if (first.word === 'IS') {
    const second = readKeyword(scanner);
    if (second.word === 'NOT') scanner.fail('IS NOT is not supported by CloudWatch Logs', first.at);
    if (!IS_VALUES.has(second.word)) scanner.fail('expected NULL, TRUE or FALSE after IS', second.at);
    const wanted = IS_VALUES.get(second.word);
    return (root) => select(root, path).some((value) => value === wanted);
  }
  if (first.word === 'NOT') {
    const second = readKeyword(scanner);
    if (second.word !== 'EXISTS') scanner.fail('expected EXISTS after NOT', second.at);
    return (root) => select(root, path).length === 0;
  }
  if (first.word === 'EXISTS') {
    scanner.fail("EXISTS is not supported by CloudWatch Logs; use NOT EXISTS, or '= *' for any value", first.at);
  }
  if (first.word !== '') scanner.fail(`${EXPECTED_OPERATOR} but found '${first.word}'`, first.at);
  const operator = readOperator(scanner);
  if (!operator) scanner.fail(`${EXPECTED_OPERATOR} but found ${scanner.describeNext()}`);
  const test = readComparison(scanner, operator, budget);
  // Only strings and numbers are compared: a selector that reaches an object, an array, a boolean
  // or null (or nothing) makes both '=' and '!=' false, as AWS documents.
  return (root) =>
    select(root, path).some((value) => (typeof value === 'string' || typeof value === 'number') && test(value));
}

/** Parses the message once; anything but a JSON object matches no JSON pattern. */
function parseObject(message: string): JsonObject | undefined {
  const start = message.search(/\S/);
  if (start === -1 || message[start] !== '{') return undefined;
  try {
    const value: unknown = JSON.parse(message);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Compiles a pattern whose first character, at the cursor, is '{'. */
export function compileJsonPattern(scanner: Scanner): MessageMatcher {
  scanner.pos++;
  const budget: JsonBudget = { regexes: 0, wildcardSelectors: 0 };
  const predicate = parseExpression(scanner, () => parseCondition(scanner, budget));
  scanner.skipSpaces();
  if (scanner.peek() !== '}') scanner.fail(`expected '&&', '||' or '}' but found ${scanner.describeNext()}`);
  scanner.pos++;
  scanner.skipSpaces();
  if (!scanner.atEnd) scanner.fail("unexpected text after the closing '}'");
  return (message) => {
    const root = parseObject(message);
    return root !== undefined && predicate(root);
  };
}
