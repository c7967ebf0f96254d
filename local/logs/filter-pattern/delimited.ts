// Space-delimited patterns: `[ip, user, ..., status_code = 4* && bytes > 1000, bytes]`.
import { readComparison, readOperator, type PatternBudget } from './condition.js';
import { parseExpression, type MessageMatcher, type Predicate } from './expression.js';
import type { Scanner } from './scanner.js';

/** A condition's field, resolved to its position once every field is declared. */
interface FieldReference {
  name: string;
  at: number;
  index: number;
}

interface Field {
  value: string;
  start: number;
}

const NAME = /[A-Za-z0-9_]/;
const ALWAYS: Predicate<string[]> = () => true;

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** Splits an event on whitespace; `[...]` and `"..."` are one field each, without their delimiters. */
function splitFields(message: string): Field[] {
  const fields: Field[] = [];
  const length = message.length;
  let i = 0;
  while (i < length) {
    if (isSpace(message[i]!)) {
      i++;
      continue;
    }
    const start = i;
    const close = message[i] === '"' ? '"' : message[i] === '[' ? ']' : undefined;
    if (close !== undefined) {
      let end = i + 1;
      while (end < length && message[end] !== close) end += close === '"' && message[end] === '\\' ? 2 : 1;
      if (end < length) {
        const inner = message.slice(start + 1, end);
        // A quote escaped inside a quoted field (`"GET /a\"b HTTP/1.0"`) is read as in a quoted pattern value.
        fields.push({ value: close === '"' ? inner.replace(/\\(["\\])/g, '$1') : inner, start });
        i = end + 1;
        continue;
      }
    }
    while (i < length && !isSpace(message[i]!)) i++;
    fields.push({ value: message.slice(start, i), start });
  }
  return fields;
}

/**
 * One named slot: `ip`, or conditions such as `status_code = 404 || status_code = 410`. The slot is
 * named by its first field; its conditions may name any field of the pattern.
 */
function parseSlot(
  scanner: Scanner,
  budget: PatternBudget,
  references: FieldReference[],
): { name: string; check: Predicate<string[]> } {
  let slotName: string | undefined;
  const readCondition = (): Predicate<string[]> => {
    scanner.skipSpaces();
    const at = scanner.pos;
    const name = scanner.readWhile(NAME);
    if (name === '') scanner.fail(`expected a field name but found ${scanner.describeNext()}`);
    scanner.skipSpaces();
    const operator = readOperator(scanner);
    if (!operator) {
      if (slotName === undefined && (scanner.peek() === ',' || scanner.peek() === ']')) {
        slotName = name;
        return ALWAYS;
      }
      scanner.fail(`expected an operator, ',' or ']' after the field '${name}' but found ${scanner.describeNext()}`);
    }
    slotName ??= name;
    const reference: FieldReference = { name, at, index: -1 };
    references.push(reference);
    const test = readComparison(scanner, operator, budget);
    return (values) => test(values[reference.index]!);
  };
  const check = parseExpression(scanner, readCondition);
  return { name: slotName!, check };
}

/** Compiles a pattern whose first character, at the cursor, is '['. */
export function compileDelimitedPattern(scanner: Scanner): MessageMatcher {
  scanner.pos++;
  const budget: PatternBudget = { regexes: 0 };
  const declared = new Map<string, number>();
  const references: FieldReference[] = [];
  const checks: Predicate<string[]>[] = [];
  let count = 0;
  let ellipsisAt = -1;
  for (let first = true; ; first = false) {
    scanner.skipSpaces();
    const at = scanner.pos;
    if (scanner.startsWith('...')) {
      if (ellipsisAt !== -1) scanner.fail("only one '...' is supported in a pattern");
      ellipsisAt = count;
      scanner.pos += 3;
    } else if (scanner.peek() === ',' || (scanner.peek() === ']' && !first)) {
      // An empty slot is a field without a name: the AWS page's `[..., request=*.html*, status_code=4*,]`
      // extracts a seventh field ("$7": "1534") after status_code.
      count++;
    } else {
      const { name, check } = parseSlot(scanner, budget, references);
      if (declared.has(name)) scanner.fail(`the field '${name}' is named twice`, at);
      declared.set(name, count++);
      if (check !== ALWAYS) checks.push(check);
    }
    scanner.skipSpaces();
    const separator = scanner.peek();
    if (separator !== ',' && separator !== ']') scanner.fail(`expected ',' or ']' but found ${scanner.describeNext()}`);
    scanner.pos++;
    if (separator === ']') break;
  }
  scanner.skipSpaces();
  if (!scanner.atEnd) scanner.fail("unexpected text after the closing ']'");
  for (const reference of references) {
    const index = declared.get(reference.name);
    if (index === undefined) scanner.fail(`the field '${reference.name}' is not one of the pattern's fields`, reference.at);
    reference.index = index;
  }

  const before = ellipsisAt === -1 ? count : ellipsisAt;
  const after = count - before;
  return (message) => {
    const fields = splitFields(message);
    if (fields.length < count) return false;
    let values: string[];
    if (ellipsisAt !== -1) {
      values = [...fields.slice(0, before), ...fields.slice(fields.length - after)].map((field) => field.value);
    } else {
      // More fields than names: the last name takes the rest of the line, which is why AWS asks for a
      // "blank indicator" after the last term (`[w1=ERROR, w2]` matches any line starting with ERROR).
      values = fields.slice(0, count).map((field) => field.value);
      const last = fields[count - 1];
      if (last && fields.length > count) values[count - 1] = message.slice(last.start).trimEnd();
    }
    return checks.every((check) => check(values));
  };
}
