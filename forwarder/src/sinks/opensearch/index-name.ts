// Pure: the index name of LOG_SINK, with date fields resolved per record from its @timestamp (UTC).
import { SinkConfigError } from '../../errors.js';

/** The date fields an index name may hold, with their fixed widths in a resolved name. */
const dateFields = { Y: 4, m: 2, d: 2, H: 2 } as const;
type DateField = keyof typeof dateFields;

/** An index name as written in LOG_SINK, e.g. `logs-%Y.%m.%d`, cut into literal text and date fields. */
export interface IndexPattern {
  readonly source: string;
  readonly parts: ReadonlyArray<string | { field: DateField }>;
  /** True when the name holds a date field, so records of different days go to different indices. */
  readonly dated: boolean;
  /** Matches every index the pattern makes (`logs-*.*.*`): the index template's pattern. */
  readonly wildcard: string;
  /** UTF-8 bytes of a resolved name: every date field has a fixed width. */
  readonly resolvedBytes: number;
}

export const defaultIndex = 'logs-%Y.%m.%d';

/**
 * Reads `%Y` (year), `%m` (month), `%d` (day), `%H` (hour) and `%%` (a percent sign); anything
 * else after `%` is refused. The name, with its date fields filled in, must be a valid index
 * name: otherwise every record would be refused by the store, so it fails the cold start instead.
 */
export function parseIndexPattern(source: string): IndexPattern {
  const parts: Array<string | { field: DateField }> = [];
  let literal = '';
  for (let at = 0; at < source.length; at += 1) {
    const char = source[at]!;
    if (char !== '%') {
      literal += char;
      continue;
    }
    const next = source[at + 1];
    at += 1;
    if (next === '%') {
      literal += '%';
    } else if (next !== undefined && next in dateFields) {
      if (literal) parts.push(literal);
      literal = '';
      parts.push({ field: next as DateField });
    } else {
      throw invalid(source, `has an unknown date field "%${next ?? ''}"; use %Y, %m, %d or %H`);
    }
  }
  if (literal) parts.push(literal);
  const sample = parts.map((part) => (typeof part === 'string' ? part : '0'.repeat(dateFields[part.field]))).join('');
  const problem = indexNameProblem(sample);
  if (problem) throw invalid(source, problem);
  const wildcard = parts.map((part) => (typeof part === 'string' ? part : '*')).join('');
  return {
    source,
    parts,
    dated: parts.some((part) => typeof part !== 'string'),
    wildcard,
    resolvedBytes: Buffer.byteLength(sample),
  };
}

/**
 * What makes a name unusable as an index, per the OpenSearch and Elasticsearch create-index
 * rules: lowercase only; none of `\ / * ? " < > | , # :` or spaces; not starting with `-`, `_`
 * or `+`; not `.` or `..`; at most 255 bytes.
 */
export function indexNameProblem(name: string): string | undefined {
  if (name === '') return 'is empty';
  if (name !== name.toLowerCase()) return 'must be lowercase';
  const forbidden = /[\\/*?"<>|,#: ]/.exec(name);
  if (forbidden) return `must not contain "${forbidden[0]}"`;
  if (/^[-_+]/.test(name)) return 'must not start with "-", "_" or "+"';
  if (name === '.' || name === '..') return 'must not be "." or ".."';
  if (Buffer.byteLength(name) > 255) return 'must be at most 255 bytes long';
  return undefined;
}

/**
 * The index of a record from its `@timestamp`, which the forwarder always writes as ISO 8601 UTC
 * (`2026-11-23T10:00:00.123456Z`): the date fields are read from the string, with no Date object.
 * A timestamp in another form is parsed; one that cannot be goes to the 1970 index, so the same
 * record always lands in the same index and a redelivery still meets its first copy.
 */
export function resolveIndex(pattern: IndexPattern, timestamp: string): string {
  if (!pattern.dated) return pattern.parts.join('');
  const iso = /^\d{4}-\d\d-\d\dT\d\d/.test(timestamp) ? timestamp : isoOf(timestamp);
  let name = '';
  for (const part of pattern.parts) {
    if (typeof part === 'string') name += part;
    else name += part.field === 'Y' ? iso.slice(0, 4) : part.field === 'm' ? iso.slice(5, 7) : part.field === 'd' ? iso.slice(8, 10) : iso.slice(11, 13);
  }
  return name;
}

/** The part of a timestamp the date fields depend on: records sharing it share their index. */
export function indexKeyOf(pattern: IndexPattern, timestamp: string): string {
  return pattern.dated ? timestamp.slice(0, 13) : '';
}

function isoOf(timestamp: string): string {
  const ms = Date.parse(timestamp);
  return new Date(Number.isNaN(ms) ? 0 : ms).toISOString();
}

function invalid(source: string, problem: string): SinkConfigError {
  return new SinkConfigError(`LOG_SINK: the index "${source}" ${problem} (e.g. ?index=${defaultIndex})`);
}
