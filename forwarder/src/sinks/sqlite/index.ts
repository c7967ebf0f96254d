// The embedded SQLite sink for local use: one transaction per batch, idempotent by event id.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { PreparedRecord } from '../../record.js';
import { delivered, failEvery, type SendOutcome } from '../shared/outcome.js';
import type { Sink, SinkFactory } from '../types.js';
import { startCheckpointer } from './checkpointer.js';
import { sqliteSinkConfig, type SqliteSinkConfig } from './config.js';
import { indexNewMessagesSql, lastRowidSql, openLogStore, sqliteResultCode } from './schema.js';

/** `sqlite:<path>` */
export const sinkFactory: SinkFactory = (location, options) => createSqliteSink(sqliteSinkConfig(location, options.limits));

// SQLITE_BUSY, SQLITE_LOCKED and SQLITE_IOERR free up; anything else (disk full, corrupt file,
// read-only file) needs a person. https://www.sqlite.org/rescode.html
const transientCodes = new Set([5, 6, 10]);

/**
 * The checkpoint thread does the checkpoints; the writer's own, automatic one only bounds the WAL
 * (8,192 pages: 128 MiB of 16 KiB pages, 32 MiB in a version 0 file of 4 KiB pages) if that
 * thread falls behind. A WAL that grew past 32 MiB is cut back to it once it starts over.
 */
const writerCheckpointPragmas = 'PRAGMA wal_autocheckpoint = 8192; PRAGMA journal_size_limit = 33554432;';

export async function createSqliteSink(config: SqliteSinkConfig): Promise<Sink> {
  const busyTimeoutMs = config.busyTimeoutMs ?? 5000;
  const db: DatabaseSync = await openLogStore(config.file, { busyTimeoutMs });
  // An in-memory store has no WAL, and no other connection can reach it.
  const checkpointer = config.file === ':memory:' ? undefined : startCheckpointer(config.file, busyTimeoutMs);
  if (checkpointer) db.exec(writerCheckpointPragmas);
  const insert: StatementSync = db.prepare(
    `INSERT OR IGNORE INTO logs (event_id, timestamp, level, function, request_id, trace_id, service, log_group, log_stream, message, record)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const lastRowid: StatementSync = db.prepare(lastRowidSql);
  const indexNewMessages: StatementSync = db.prepare(indexNewMessagesSql);
  const insertAll = (batch: readonly PreparedRecord[]): void => {
    // IMMEDIATE takes the write lock at once, so no other writer adds rows between reading the
    // last rowid and indexing the rows above it.
    db.exec('BEGIN IMMEDIATE');
    try {
      const { rowid } = lastRowid.get() as { rowid: number };
      for (const { id, record, json } of batch) {
        insert.run(
          id,
          record['@timestamp'],
          record.log.level,
          record.faas?.name ?? null,
          record.faas?.execution ?? null,
          record.trace?.id ?? null,
          record.service?.name ?? null,
          record.aws.cloudwatch.log_group,
          record.aws.cloudwatch.log_stream,
          record.message,
          json,
        );
      }
      // The rows just inserted, and only those: a redelivered record was ignored above.
      indexNewMessages.run(rowid);
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    }
    checkpointer?.afterCommit();
  };
  return {
    name: 'sqlite',
    limits: config.limits,
    async send(batch): Promise<SendOutcome> {
      try {
        insertAll(batch);
        return delivered(`committed ${batch.length} rows to ${config.file}`);
      } catch (error) {
        const code = sqliteResultCode(error);
        const reason = `SQLite error ${code ?? '?'}: ${(error as Error).message}`;
        return { failures: failEvery(batch.length, code !== undefined && transientCodes.has(code), reason), answer: reason };
      }
    },
    async close() {
      await checkpointer?.close();
      db.close();
    },
  };
}
