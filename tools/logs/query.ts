// Pure SQL for `npm run logs`: filters become bound parameters, free text a quoted FTS5 query.
import { logLevels, levelRank, type LogLevel } from '../../forwarder/src/parse/levels.js';

/** What `npm run logs -- search` filters by; every field narrows the search. */
export interface SearchFilters {
  text?: string;
  /** At least this level. */
  level?: LogLevel;
  function?: string;
  request?: string;
  trace?: string;
  service?: string;
  /** Inclusive lower bound, ISO 8601 UTC. */
  since?: string;
  /** Inclusive upper bound, ISO 8601 UTC. */
  until?: string;
}

export interface SqlQuery {
  sql: string;
  params: (string | number)[];
}

/** The columns a search reads; `rowid` is the follow cursor. */
const columns = 'l.rowid AS rowid, l.timestamp, l.level, l.function, l.request_id, l.trace_id, l.service, l.message, l.record';

/**
 * Turns user text into an FTS5 query that cannot be a syntax error: each whitespace-separated
 * word becomes an FTS5 string (double quotes doubled), and FTS5 ANDs adjacent strings. Operators
 * and specials in the input (`-`, `:`, `*`, `"`, `AND`, `NEAR`) are thereby searched as text.
 * Undefined when the text has no words.
 */
export function ftsQuery(text: string): string | undefined {
  const words = text.split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return undefined;
  return words.map((word) => `"${word.replaceAll('"', '""')}"`).join(' ');
}

/** The WHERE conditions and their parameters, in the same order. */
export function whereClause(filters: SearchFilters): SqlQuery {
  const conditions: string[] = [];
  const params: (string | number)[] = [];
  const add = (condition: string, ...values: (string | number)[]) => {
    conditions.push(condition);
    params.push(...values);
  };
  const match = filters.text === undefined ? undefined : ftsQuery(filters.text);
  if (match) add('l.rowid IN (SELECT rowid FROM logs_fts WHERE logs_fts MATCH ?)', match);
  if (filters.level) {
    const levels = logLevels.slice(levelRank(filters.level));
    add(`l.level IN (${levels.map(() => '?').join(', ')})`, ...levels);
  }
  if (filters.function) add('l.function = ?', filters.function);
  if (filters.request) add('l.request_id = ?', filters.request);
  if (filters.trace) add('l.trace_id = ?', filters.trace);
  if (filters.service) add('l.service = ?', filters.service);
  if (filters.since) add('l.timestamp >= ?', filters.since);
  if (filters.until) add('l.timestamp <= ?', filters.until);
  return { sql: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/**
 * The newest `limit` matches, returned oldest first (like `tail`). `upToRowid` pins the search
 * to the rows that existed when it started, so a follow cursor taken then misses nothing.
 */
export function searchQuery(filters: SearchFilters, limit: number, upToRowid?: number): SqlQuery {
  const where = whereClause(filters);
  const conditions = upToRowid === undefined ? where : withCondition(where, 'l.rowid <= ?', upToRowid);
  return {
    sql:
      `SELECT * FROM (SELECT ${columns} FROM logs l ${conditions.sql} ` +
      'ORDER BY l.timestamp DESC, l.rowid DESC LIMIT ?) ORDER BY timestamp, rowid',
    params: [...conditions.params, limit],
  };
}

/** Matches stored after `afterRowid`, in the order they were stored, at most `limit` of them. */
export function followQuery(filters: SearchFilters, afterRowid: number, limit: number): SqlQuery {
  const conditions = withCondition(whereClause(filters), 'l.rowid > ?', afterRowid);
  return {
    sql: `SELECT ${columns} FROM logs l ${conditions.sql} ORDER BY l.rowid LIMIT ?`,
    params: [...conditions.params, limit],
  };
}

/** The cursor of a follow: the last rowid stored so far (0 for an empty store). */
export const lastRowidQuery: SqlQuery = { sql: 'SELECT coalesce(max(rowid), 0) AS rowid FROM logs', params: [] };

function withCondition(where: SqlQuery, condition: string, value: number): SqlQuery {
  return {
    sql: where.sql ? `${where.sql} AND ${condition}` : `WHERE ${condition}`,
    params: [...where.params, value],
  };
}
