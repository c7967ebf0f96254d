// The SQLite log store's schema: one row per record keyed by event id, plus an FTS5 index.
import type { DatabaseSync } from 'node:sqlite';

/**
 * `event_id` is the primary key, so a redelivered batch inserts nothing. The searchable ECS
 * fields are columns with indexes; the whole record is kept as JSON. `logs_fts` indexes the
 * message for full-text search and is kept in step by a trigger.
 */
export const schemaSql = `
CREATE TABLE IF NOT EXISTS logs (
  event_id   TEXT PRIMARY KEY,
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
CREATE INDEX IF NOT EXISTS logs_function_timestamp ON logs (function, timestamp);
CREATE INDEX IF NOT EXISTS logs_request_id ON logs (request_id);
CREATE INDEX IF NOT EXISTS logs_trace_id ON logs (trace_id);
CREATE INDEX IF NOT EXISTS logs_level_timestamp ON logs (level, timestamp);
CREATE VIRTUAL TABLE IF NOT EXISTS logs_fts USING fts5 (message, content = 'logs', content_rowid = 'rowid');
CREATE TRIGGER IF NOT EXISTS logs_fts_insert AFTER INSERT ON logs BEGIN
  INSERT INTO logs_fts (rowid, message) VALUES (new.rowid, new.message);
END;
CREATE TRIGGER IF NOT EXISTS logs_fts_delete AFTER DELETE ON logs BEGIN
  INSERT INTO logs_fts (logs_fts, rowid, message) VALUES ('delete', old.rowid, old.message);
END;
`;

/** Opens (creating when needed) the store at `file` with the schema applied. */
export async function openLogStore(file: string, options: { readonly?: boolean; busyTimeoutMs?: number } = {}): Promise<DatabaseSync> {
  // Loaded on demand: only the local sqlite sink and `npm run logs` use it.
  const { DatabaseSync } = await import('node:sqlite');
  const readOnly = options.readonly ?? false;
  if (!readOnly) {
    const { mkdirSync } = await import('node:fs');
    const { dirname } = await import('node:path');
    mkdirSync(dirname(file), { recursive: true });
  }
  // `timeout` is SQLite's busy timeout: a writer waits up to 5 s (by default) for another's lock.
  const db = new DatabaseSync(file, { readOnly, timeout: options.busyTimeoutMs ?? 5000 });
  if (!readOnly) {
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    db.exec(schemaSql);
  }
  return db;
}

/** SQLite's primary result code of an error thrown by node:sqlite (`errcode` holds the extended one). */
export function sqliteResultCode(error: unknown): number | undefined {
  const code = (error as { errcode?: unknown }).errcode;
  return typeof code === 'number' ? code & 0xff : undefined;
}
