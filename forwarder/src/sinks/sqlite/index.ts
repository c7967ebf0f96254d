// The embedded SQLite sink for local use: one transaction per batch, idempotent by event id.
import type { Database, Statement } from 'better-sqlite3';
import { failAll, type PreparedRecord, type SendOutcome, type Sink, type SinkFactory } from '../types.js';
import { sqliteSinkConfig, type SqliteSinkConfig } from './config.js';
import { openLogStore } from './schema.js';

/** `sqlite:<path>` */
export const sinkFactory: SinkFactory = (location, options) => createSqliteSink(sqliteSinkConfig(location, options.limits));

export async function createSqliteSink(config: SqliteSinkConfig): Promise<Sink> {
  const db: Database = await openLogStore(config.file);
  const insert: Statement = db.prepare(
    `INSERT OR IGNORE INTO logs (event_id, timestamp, level, function, request_id, trace_id, service, log_group, log_stream, message, record)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertAll = db.transaction((batch: readonly PreparedRecord[]) => {
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
  });
  return {
    name: 'sqlite',
    limits: config.limits,
    async send(batch): Promise<SendOutcome> {
      try {
        insertAll(batch);
        return { failures: [], answer: `committed ${batch.length} rows to ${config.file}` };
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'SQLITE_ERROR';
        // A locked or busy database frees up; anything else (disk full, corrupt file) needs a person.
        const retryable = code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || code.startsWith('SQLITE_IOERR');
        return { failures: failAll(batch, retryable, `${code}: ${(error as Error).message}`) };
      }
    },
    async close() {
      db.close();
    },
  };
}
