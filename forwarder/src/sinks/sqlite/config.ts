import path from 'node:path';
import { SinkConfigError } from '../../errors.js';
import type { SinkLimits } from '../types.js';

export interface SqliteSinkConfig {
  /** Absolute path of the database file, or `:memory:`. */
  file: string;
  limits: SinkLimits;
  /** How long a write waits for another writer's lock before it fails as transient; 5 s unless set. */
  busyTimeoutMs?: number;
}

/**
 * One transaction per batch, and a batch holds a whole subscription payload (at most 10,000
 * events and 1 MiB of messages, some 7 MiB rendered): each transaction costs a commit, index
 * pages written again and an FTS5 segment, whatever its size.
 */
export const sqliteDefaultLimits: SinkLimits = {
  maxBatchRecords: 10_000,
  maxBatchBytes: 16 * 1024 * 1024,
  maxMessageBytes: 1024 * 1024,
  maxRecordBytes: 16 * 1024 * 1024,
};

/** Reads `sqlite:<relative path>`, `sqlite:///absolute/path` or `sqlite::memory:` (a store that lasts as long as the sink). */
export function sqliteSinkConfig(sink: string, limits: Partial<SinkLimits> = {}, cwd = process.cwd()): SqliteSinkConfig {
  let location = sink.slice('sqlite:'.length);
  if (location.startsWith('//')) location = location.slice(2);
  if (location === '') throw new SinkConfigError('LOG_SINK: sqlite: needs a file path, e.g. sqlite:.local/logs.db');
  const file = location === ':memory:' ? location : path.resolve(cwd, location);
  return { file, limits: { ...sqliteDefaultLimits, ...limits } };
}
