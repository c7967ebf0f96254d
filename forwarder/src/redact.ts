import type { LogRecord } from './record.js';
import { setField } from './parse/json.js';

/** One rule of LOG_REDACT_RULES as written. */
export interface CustomRule {
  name: string;
  pattern: string;
  flags?: string;
  replacement?: string;
}

const ruleKeys = new Set(['name', 'pattern', 'flags', 'replacement']);

/**
 * Reads LOG_REDACT_RULES once parsed from JSON: an array of `{name, pattern, flags?, replacement?}`,
 * no other keys. Throws `<path>: <what is wrong>` for the first problem. Written out rather than
 * with a schema library, which would add about 17 KB to every cold start for a variable most
 * stages never set.
 */
export function customRules(json: unknown): CustomRule[] {
  if (!Array.isArray(json)) throw new Error('value: expected an array');
  return json.map((rule: unknown, index): CustomRule => {
    if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) throw new Error(`${index}: expected an object`);
    const fields = rule as Record<string, unknown>;
    const unknown = Object.keys(fields).find((key) => !ruleKeys.has(key));
    if (unknown !== undefined) throw new Error(`${index}.${unknown}: unknown key (name, pattern, flags, replacement)`);
    for (const key of ['name', 'pattern'] as const) {
      if (typeof fields[key] !== 'string' || fields[key] === '') throw new Error(`${index}.${key}: expected a non-empty string`);
    }
    if (fields.flags !== undefined && (typeof fields.flags !== 'string' || !/^[imsu]*$/.test(fields.flags))) throw new Error(`${index}.flags: flags may only hold i, m, s and u`);
    if (fields.replacement !== undefined && typeof fields.replacement !== 'string') throw new Error(`${index}.replacement: expected a string`);
    return fields as unknown as CustomRule;
  });
}

export interface RedactionRule {
  name: string;
  pattern: RegExp;
  replacement: string;
}

const octet = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';

/** The built-in rules LOG_REDACT can switch on, by name. */
export const builtInRules = {
  email: {
    name: 'email',
    pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
    replacement: '[REDACTED:email]',
  },
  ip: {
    name: 'ip',
    // IPv4, and IPv6 in its full or `::`-compressed forms.
    pattern: new RegExp(
      `(?<![\\d.])${octet}(?:\\.${octet}){3}(?![\\d.])|(?<![\\w:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![\\w:])|(?<![\\w:])(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5})?(?![\\w:])`,
      'g',
    ),
    replacement: '[REDACTED:ip]',
  },
  bearer: {
    name: 'bearer',
    pattern: /\bBearer\s+[A-Za-z0-9\-._~+/]+=*/gi,
    replacement: 'Bearer [REDACTED]',
  },
  'aws-secret': {
    name: 'aws-secret',
    // A 40-character secret access key after a key name that says so; a bare 40-character
    // string is too often a hash to redact blindly.
    pattern: /((?:aws_?)?secret_?access_?key["']?\s*[:=]\s*["']?)[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/gi,
    replacement: '$1[REDACTED:aws-secret]',
  },
} as const satisfies Record<string, RedactionRule>;

export type BuiltInRuleName = keyof typeof builtInRules;

/** A function that redacts a record in place; undefined when no rule is configured. */
export type Redactor = (record: LogRecord) => void;

/**
 * Builds the redactor for the given rules. It rewrites every string a record carries from the
 * log line: the message, error fields and the strings nested in `app`.
 */
export function createRedactor(rules: readonly RedactionRule[]): Redactor | undefined {
  if (rules.length === 0) return undefined;
  const redact = (text: string): string => {
    let out = text;
    for (const rule of rules) out = out.replace(rule.pattern, rule.replacement);
    return out;
  };
  return (record) => {
    record.message = redact(record.message);
    if (record.error) {
      if (record.error.message) record.error.message = redact(record.error.message);
      if (record.error.stack_trace) record.error.stack_trace = redact(record.error.stack_trace);
    }
    if (record.app) record.app = redactDeep(record.app, redact) as Record<string, unknown>;
  };
}

function redactDeep(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) setField(out, key, redactDeep(item, redact));
    return out;
  }
  return value;
}
