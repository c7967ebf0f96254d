// The SQLite log store's schema: one row per record keyed by event id, plus an FTS5 index.
import type { DatabaseSync } from 'node:sqlite';
import { ForwarderError } from '../../errors.js';

/** The file was written by a newer forwarder whose schema this one does not know. */
export class LogStoreVersionError extends ForwarderError {
  override name = 'LogStoreVersionError';
}

/**
 * The schema's version, kept in `PRAGMA user_version`. 0 is the first schema, whose trigger
 * indexed each row's message as it was inserted; 1 indexes a batch's messages in one statement.
 */
export const schemaVersion = 1;

/**
 * `rowid` is declared (an INTEGER PRIMARY KEY, under the name it reads by) so that VACUUM keeps
 * it: `logs_fts` and the `--follow` cursor of `npm run logs` point at it. `event_id` is UNIQUE,
 * so a redelivered batch inserts nothing. The searchable ECS fields are columns; the whole record
 * is kept as JSON. Each index serves a search of `npm run logs` (time; function, level, request
 * and trace); those on columns that are often null (a log group that is no Lambda function's, a
 * line with no trace) leave those rows out. `logs_fts` is an external-content FTS5 index of the
 * message: it stores no copy of it, and the sink fills it per batch (`indexNewMessagesSql`).
 * Deleting rows keeps it in step through a trigger.
 */
export const schemaSql = `
CREATE TABLE IF NOT EXISTS logs (
  rowid      INTEGER PRIMARY KEY,
  event_id   TEXT NOT NULL UNIQUE,
  timestamp  TEXT NOT NULL,
  level      TEXT NOT NULL,
  function   TEXT,
  request_id TEXT,
  trace_id   TEXT,
  service    TEXT,
  log_group  TEXT NOT NULL,
  log_stream TEXT NOT NULL,
  message    TEXT NOT NULL,
  record     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS logs_timestamp ON logs (timestamp);
CREATE INDEX IF NOT EXISTS logs_function_timestamp ON logs (function, timestamp) WHERE function IS NOT NULL;
CREATE INDEX IF NOT EXISTS logs_request_id ON logs (request_id) WHERE request_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS logs_trace_id ON logs (trace_id) WHERE trace_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS logs_level_timestamp ON logs (level, timestamp);
CREATE VIRTUAL TABLE IF NOT EXISTS logs_fts USING fts5 (message, content = 'logs', content_rowid = 'rowid');
CREATE TRIGGER IF NOT EXISTS logs_fts_delete AFTER DELETE ON logs BEGIN
  INSERT INTO logs_fts (logs_fts, rowid, message) VALUES ('delete', old.rowid, old.message);
END;
`;

/**
 * Indexes the messages of the rows inserted after rowid `?`, in the batch's transaction. One
 * statement per batch rather than a trigger per row: FTS5 pays about 25 µs for each statement
 * that writes to it (10,000 short messages: some 250 ms through a trigger, 35 ms in one
 * INSERT … SELECT), which was most of the sink's time. New rows always get rowids above the
 * largest one, so exactly the rows of the batch match, and none that it ignored as redelivered.
 */
export const indexNewMessagesSql = 'INSERT INTO logs_fts (rowid, message) SELECT rowid, message FROM logs WHERE rowid > ?';

/** The largest rowid so far (0 for an empty store): taken at the start of a batch's transaction. */
export const lastRowidSql = 'SELECT coalesce(max(rowid), 0) AS rowid FROM logs';

/**
 * Version 0 kept the message index in step with a trigger per inserted row; from version 1 the
 * sink indexes each batch itself, so the trigger goes, or every message would be indexed twice.
 * A version 0 file keeps its table (an implicit rowid, `event_id TEXT PRIMARY KEY`), its full
 * indexes and its 4 KiB pages: the same columns, searches and guarantees, only slower to insert
 * into than a new file (see docs/search.md).
 */
const upgradeSql = `DROP TRIGGER IF EXISTS logs_fts_insert; ${schemaSql} PRAGMA user_version = ${schemaVersion};`;

/**
 * Pragmas of a writer. Pages of 16 KiB rather than SQLite's 4 KiB hold more of the ~1 KB rows
 * each, so a batch writes fewer, fuller pages to the WAL (a page size is only taken when the
 * file is created). A 16 MiB cache holds most of the pages a batch of 10,000 rows changes, so
 * few are written out before its commit. `synchronous = NORMAL` never corrupts a WAL store; a
 * power loss may undo the last commits.
 */
const writerPragmas = 'PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384;';

/** Opens (creating when needed) the store at `file` with the schema applied. */
export async function openLogStore(file: string, options: { readonly?: boolean; busyTimeoutMs?: number } = {}): Promise<DatabaseSync> {
  // Loaded on demand: only the local sqlite sink and `npm run logs` use it.
  const { DatabaseSync } = await import('node:sqlite');
  const readOnly = options.readonly ?? false;
  if (!readOnly && file !== ':memory:') {
    const { mkdirSync } = await import('node:fs');
    const { dirname } = await import('node:path');
    mkdirSync(dirname(file), { recursive: true });
  }
  // `timeout` is SQLite's busy timeout: a writer waits up to 5 s (by default) for another's lock.
  const db = new DatabaseSync(file, { readOnly, timeout: options.busyTimeoutMs ?? 5000 });
  try {
    if (readOnly) checkVersion(db, file);
    else {
      db.exec(writerPragmas);
      migrate(db, file);
    }
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Brings a new file, or one of an older schema version, to `schemaVersion`. */
function migrate(db: DatabaseSync, file: string): void {
  // A store already current is left alone: no write lock at every cold start.
  if (checkVersion(db, file) === schemaVersion) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    // Read again under the write lock: another writer may have upgraded it meanwhile.
    if (checkVersion(db, file) < schemaVersion) db.exec(upgradeSql);
    db.exec('COMMIT');
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** The store's schema version; throws when it is newer than this forwarder's. */
function checkVersion(db: DatabaseSync, file: string): number {
  const { user_version: version } = db.prepare('PRAGMA user_version').get() as { user_version: number };
  if (version > schemaVersion) {
    throw new LogStoreVersionError(`${file} has log store schema version ${version}; this forwarder knows versions up to ${schemaVersion}: update it, or use another file`);
  }
  return version;
}

/** SQLite's primary result code of an error thrown by node:sqlite (`errcode` holds the extended one). */
export function sqliteResultCode(error: unknown): number | undefined {
  const code = (error as { errcode?: unknown }).errcode;
  return typeof code === 'number' ? code & 0xff : undefined;
}
