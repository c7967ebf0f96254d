// Runs `npm run logs` searches on a read-only log store, and the polling loop of --follow.
import { existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import type { DatabaseSync } from 'node:sqlite';
import { openLogStore } from '../../forwarder/src/sinks/sqlite/schema.js';
import { ScriptError } from '../errors.js';
import type { LogRow } from './format.js';
import { followQuery, lastRowidQuery, searchQuery, type SearchFilters, type SqlQuery } from './query.js';

/** The log store is missing or cannot be searched; the message says which file and why. */
export class LogStoreError extends ScriptError {
  override name = 'LogStoreError';
}

export interface SearchStore {
  readonly file: string;
  readonly db: DatabaseSync;
}

/** Opens the store read-only: searching never creates a file nor takes a write lock. */
export async function openSearchStore(file: string): Promise<SearchStore> {
  if (!existsSync(file)) throw new LogStoreError(`no log store at ${file}: forward logs to it first (LOG_SINK=sqlite:<path>) or set --db`);
  try {
    return { file, db: await openLogStore(file, { readonly: true }) };
  } catch (cause) {
    throw new LogStoreError(`cannot open the log store at ${file}: ${(cause as Error).message}`, { cause });
  }
}

export interface SearchResult {
  /** The newest matches, oldest first. */
  rows: LogRow[];
  /** The last rowid stored when the search ran: --follow continues after it. */
  cursor: number;
}

/** The newest `limit` rows matching `filters`, oldest first. */
export function searchLogs(store: SearchStore, filters: SearchFilters, limit: number): SearchResult {
  // Taking the cursor first and bounding the search by it means a row stored in between is
  // neither shown twice nor missed by a follow that starts from the cursor.
  const cursor = (run(store, lastRowidQuery)[0] as { rowid: number } | undefined)?.rowid ?? 0;
  return { rows: run(store, searchQuery(filters, limit, cursor)) as LogRow[], cursor };
}

export interface FollowOptions {
  /** Ends the loop; the promise then resolves. */
  signal: AbortSignal;
  intervalMs?: number;
  /** Rows read per poll; a full batch is followed by another read without waiting. */
  batchSize?: number;
  /** Waits between polls; resolves early (never rejects) when `signal` aborts. Tests inject their own. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const abortableSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal }).catch(() => undefined);

/**
 * Polls for rows matching `filters` stored after `cursor`, handing each new batch to `onRows`
 * in storage order, until `signal` aborts. Resolves with the last cursor.
 */
export async function followLogs(
  store: SearchStore,
  filters: SearchFilters,
  cursor: number,
  onRows: (rows: LogRow[]) => void,
  options: FollowOptions,
): Promise<number> {
  const { signal, intervalMs = 500, batchSize = 1_000, sleep = abortableSleep } = options;
  let last = cursor;
  while (!signal.aborted) {
    const rows = run(store, followQuery(filters, last, batchSize)) as LogRow[];
    const newest = rows.at(-1);
    if (newest) {
      last = newest.rowid;
      onRows(rows);
    }
    if (rows.length < batchSize) await sleep(intervalMs, signal);
  }
  return last;
}

function run(store: SearchStore, query: SqlQuery): unknown[] {
  try {
    return store.db.prepare(query.sql).all(...query.params);
  } catch (cause) {
    if ((cause as { code?: unknown }).code !== 'ERR_SQLITE_ERROR') throw cause;
    // e.g. a file that is not a log store ("no such table: logs") or a corrupt one.
    throw new LogStoreError(`cannot search the log store at ${store.file}: ${(cause as Error).message}`, { cause });
  }
}
