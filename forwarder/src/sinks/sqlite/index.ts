// The embedded SQLite sink for local use: one transaction per batch, idempotent by event id.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { PreparedRecord } from '../../record.js';
import { delivered, failEvery, type SendOutcome } from '../shared/outcome.js';
import type { Sink, SinkFactory } from '../types.js';
import { sqliteSinkConfig, type SqliteSinkConfig } from './config.js';
import { openLogStore, sqliteResultCode } from './schema.js';

/** `sqlite:<path>` */
export const sinkFactory: SinkFactory = (location, options) => createSqliteSink(sqliteSinkConfig(location, options.limits));

// SQLITE_BUSY, SQLITE_LOCKED and SQLITE_IOERR free up; anything else (disk full, corrupt file,
// read-only file) needs a person. https://www.sqlite.org/rescode.html
const transientCodes = new Set([5, 6, 10]);

export async function createSqliteSink(config: SqliteSinkConfig): Promise<Sink> {
  const db: DatabaseSync = await openLogStore(config.file, config.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: config.busyTimeoutMs });
  const insert: StatementSync = db.prepare(
    `INSERT OR IGNORE INTO logs (event_id, timestamp, level, function, request_id, trace_id, service, log_group, log_stream, message, record)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertAll = (batch: readonly PreparedRecord[]): void => {
    db.exec('BEGIN');
    try {
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
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    }
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
      db.close();
    },
  };
}
