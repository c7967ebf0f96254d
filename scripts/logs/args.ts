// Pure parts of `npm run logs`: the command line, durations and time bounds.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { logLevels, normalizeLevel, type LogLevel } from '../../forwarder/src/parse/levels.js';
import type { SearchFilters } from '../../tools/logs/query.js';
import { sqliteSinkConfig } from '../../forwarder/src/sinks/sqlite/config.js';
import { UsageError } from '../../tools/errors.js';

export const defaultLimit = 100;
export const maxLimit = 100_000;
export const defaultStore = '.local/logs.db';

export const logsUsage =
  'usage: npm run logs -- search [text] [--level <l>] [--function <name>] [--request <id>] [--trace <id>] ' +
  '[--service <name>] [--since 15m|2h|1d|<ISO>] [--until <ISO|duration>] [--limit <n>] [--db <path>] [--json] [--follow]';

/** What to look for; every field is matched with bound parameters, never spliced into SQL. */
export interface SearchCommand {
  command: 'search';
  filters: SearchFilters;
  limit: number;
  /** Absolute path of the SQLite store. */
  db: string;
  json: boolean;
  follow: boolean;
}

export type LogsCommand = SearchCommand | { command: 'help' };

export interface ArgsContext {
  now: Date;
  cwd: string;
  /** The LOG_SINK variable: its file is the default store when it is a `sqlite:` sink. */
  logSink?: string;
}

const options = {
  level: { type: 'string' },
  function: { type: 'string' },
  request: { type: 'string' },
  trace: { type: 'string' },
  service: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  limit: { type: 'string' },
  db: { type: 'string' },
  json: { type: 'boolean', default: false },
  follow: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Parses the arguments after `npm run logs --`; throws a UsageError with a one-line message. */
export function parseLogsArgs(argv: readonly string[], context: ArgsContext): LogsCommand {
  const { values, positionals } = parseOrExplain(argv);
  if (values.help) return { command: 'help' };
  const [command, ...words] = positionals;
  if (command === undefined) throw new UsageError('missing command: try `npm run logs -- search <text>`');
  if (command !== 'search') throw new UsageError(`unknown command "${command}": the only command is search`);
  if (values.follow && values.until !== undefined) throw new UsageError('--until cannot be combined with --follow');
  const text = words.join(' ').trim();
  const filters: SearchFilters = {
    ...(text ? { text } : {}),
    ...(values.level !== undefined ? { level: parseLevel(values.level) } : {}),
    ...nonEmpty('function', values.function),
    ...nonEmpty('request', values.request),
    ...nonEmpty('trace', values.trace),
    ...nonEmpty('service', values.service),
    ...(values.since !== undefined ? { since: parseTimeBound('--since', values.since, context.now) } : {}),
    ...(values.until !== undefined ? { until: parseTimeBound('--until', values.until, context.now) } : {}),
  };
  return {
    command: 'search',
    filters,
    limit: parseLimit(values.limit),
    db: storePath(values.db, context),
    json: values.json,
    follow: values.follow,
  };
}

function parseOrExplain(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (cause) {
    const { code, message } = cause as { code?: string; message: string };
    const flag = /'([^']+)'/.exec(message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown flag ${flag ?? message}`, { cause });
    throw new UsageError(message.split('\n')[0] ?? message, { cause });
  }
}

function nonEmpty<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  if (value === undefined) return {};
  if (value.trim() === '') throw new UsageError(`--${key} needs a value`);
  return { [key]: value.trim() } as Partial<Record<K, string>>;
}

/** A level name or one of its aliases (`warning`, `err`, `critical`…). */
export function parseLevel(raw: string): LogLevel {
  const level = normalizeLevel(raw.trim());
  if (!level) throw new UsageError(`--level must be one of ${logLevels.join(', ')}, got "${raw}"`);
  return level;
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return defaultLimit;
  const limit = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!(limit >= 1 && limit <= maxLimit)) throw new UsageError(`--limit must be a whole number from 1 to ${maxLimit}, got "${raw}"`);
  return limit;
}

function storePath(db: string | undefined, context: ArgsContext): string {
  if (db !== undefined) {
    if (db.trim() === '') throw new UsageError('--db needs a file path');
    return path.resolve(context.cwd, db);
  }
  if (context.logSink?.startsWith('sqlite:')) {
    try {
      return sqliteSinkConfig(context.logSink, {}, context.cwd).file;
    } catch {
      // An unusable LOG_SINK is the forwarder's problem; searching falls back to the default store.
    }
  }
  return path.resolve(context.cwd, defaultStore);
}

const unitMs = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** `90s`, `15m`, `2h`, `1d`, `1w` in milliseconds; undefined when `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)(s|m|h|d|w)$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
}

const isoDate = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * A duration counts back from `now`; an ISO date or date-time is taken as written, in UTC when
 * it has no offset (stored timestamps are UTC). Returns ISO 8601 UTC with milliseconds.
 */
export function parseTimeBound(flag: string, raw: string, now: Date): string {
  const text = raw.trim();
  const duration = parseDuration(text);
  if (duration !== undefined) return new Date(now.getTime() - duration).toISOString();
  const iso = isoDate.exec(text);
  if (iso && isCalendarDate(text.slice(0, 10))) {
    const hasTime = text.length > 10;
    const ms = Date.parse(hasTime && !iso[1] ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T'));
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  }
  throw new UsageError(`${flag} must be a duration like 15m, 2h, 1d or an ISO time like 2026-11-23T10:00:00Z, got "${raw}"`);
}

/** Date.parse rolls 2026-02-30 over to March 2; an operator who typed it made a mistake. */
function isCalendarDate(date: string): boolean {
  const [year = 0, month = 0, day = 0] = date.split('-').map(Number);
  const parsed = new Date(Date.UTC(year, month - 1, day));
  return parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day;
}
