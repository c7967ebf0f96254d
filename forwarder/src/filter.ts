import { levelRank, type LogLevel } from './parse/levels.js';

export interface FilterOptions {
  /** Keep only events whose raw message matches. */
  include?: RegExp;
  /** Drop events whose raw message matches. */
  exclude?: RegExp;
  /** Drop records below this level. */
  minLevel?: LogLevel;
}

/** A predicate over an event's raw message and its parsed level; undefined when nothing filters. */
export type RecordFilter = (rawMessage: string, level: LogLevel) => boolean;

/** Builds the filter configured by LOG_INCLUDE_PATTERN, LOG_EXCLUDE_PATTERN and LOG_MIN_LEVEL. */
export function createFilter(options: FilterOptions): RecordFilter | undefined {
  const { include, exclude, minLevel } = options;
  if (!include && !exclude && (!minLevel || minLevel === 'trace')) return undefined;
  const floor = minLevel ? levelRank(minLevel) : 0;
  // Patterns are compiled without the g flag, so test() keeps no state between calls.
  return (raw, level) =>
    (!include || include.test(raw)) && (!exclude || !exclude.test(raw)) && levelRank(level) >= floor;
}
