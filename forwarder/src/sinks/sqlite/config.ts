import path from 'node:path';
import { SinkConfigError } from '../../errors.js';
import type { SinkLimits } from '../types.js';

export interface SqliteSinkConfig {
  /** Absolute path of the database file. */
  file: string;
  limits: SinkLimits;
  /** How long a write waits for another writer's lock before it fails as transient; 5 s unless set. */
  busyTimeoutMs?: number;
}

/** One transaction per batch; SQLite has no request size, so batches are sized for latency. */
export const sqliteDefaultLimits: SinkLimits = {
  maxBatchRecords: 5_000,
  maxBatchBytes: 8 * 1024 * 1024,
  maxMessageBytes: 1024 * 1024,
  maxRecordBytes: 16 * 1024 * 1024,
};

/** Reads `sqlite:<relative path>` or `sqlite:///absolute/path`. */
export function sqliteSinkConfig(sink: string, limits: Partial<SinkLimits> = {}, cwd = process.cwd()): SqliteSinkConfig {
  let location = sink.slice('sqlite:'.length);
  if (location.startsWith('//')) location = location.slice(2);
  if (location === '') throw new SinkConfigError('LOG_SINK: sqlite: needs a file path, e.g. sqlite:.local/logs.db');
  return { file: path.resolve(cwd, location), limits: { ...sqliteDefaultLimits, ...limits } };
}
