// Pure output of `npm run logs`: an aligned table for people, NDJSON for programs.
import type { LogLevel } from '../../forwarder/src/parse/levels.js';

/** One row as a search reads it from the store. */
export interface LogRow {
  rowid: number;
  timestamp: string;
  level: string;
  function: string | null;
  request_id: string | null;
  trace_id: string | null;
  service: string | null;
  message: string;
  /** The full record as stored (ECS JSON, one line). */
  record: string;
}

export interface TableOptions {
  /** ANSI colours on the level column. */
  color: boolean;
  /** Terminal columns: each line is cut to fit. Unset when the output is not a terminal. */
  width?: number;
  /** Width of the function column; by default the longest name in `rows`, at most 32. */
  functionWidth?: number;
}

const levelColors: Readonly<Record<LogLevel, string>> = {
  trace: '\u001b[90m',
  debug: '\u001b[36m',
  info: '\u001b[32m',
  warn: '\u001b[33m',
  error: '\u001b[31m',
  fatal: '\u001b[1;35m',
};
const reset = '\u001b[0m';
const maxFunctionWidth = 32;
export const requestIdWidth = 8;

/** NDJSON: the stored record of each row, one per line. */
export function formatJson(rows: readonly LogRow[]): string[] {
  return rows.map((row) => row.record);
}

/** The width of the function column that fits every row, at most 32. */
export function functionWidthOf(rows: readonly LogRow[]): number {
  const longest = rows.reduce((width, row) => Math.max(width, (row.function ?? '-').length), 1);
  return Math.min(longest, maxFunctionWidth);
}

/** `time  level  function  request  message`, one line per row, columns aligned. */
export function formatTable(rows: readonly LogRow[], options: TableOptions): string[] {
  const functionWidth = options.functionWidth ?? functionWidthOf(rows);
  return rows.map((row) => {
    const level = row.level.padEnd(5);
    const color = options.color ? levelColors[row.level as LogLevel] : undefined;
    const rest = [
      fit(row.function ?? '-', functionWidth),
      (row.request_id ?? '-').slice(0, requestIdWidth).padEnd(requestIdWidth),
      '',
    ].join('  ');
    const time = displayTime(row.timestamp);
    const prefixLength = time.length + level.length + rest.length + 4;
    let message = firstLine(row.message);
    if (options.width !== undefined) message = cut(message, Math.max(options.width - prefixLength, 10));
    const shownLevel = color ? `${color}${level}${reset}` : level;
    return `${time}  ${shownLevel}  ${rest}${message}`.trimEnd();
  });
}

/** Stored times keep their precision (up to nanoseconds); the table shows milliseconds. */
export function displayTime(timestamp: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?Z$/.exec(timestamp);
  if (!match) return timestamp.padEnd(24);
  return `${match[1]}${(match[2] ?? '.000').slice(0, 4).padEnd(4, '0')}Z`;
}

/**
 * The first line of a message, with control characters made visible so a log line can never
 * move the cursor or recolour the operator's terminal.
 */
export function firstLine(message: string): string {
  const [first = ''] = message.split(/\r?\n|\r/, 1);
  // eslint-disable-next-line no-control-regex
  return first.replaceAll('\t', ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '\ufffd');
}

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

function cut(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}
