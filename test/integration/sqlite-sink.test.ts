// The sink contract's cases that apply to the embedded store: SQLite has no network, so its
// faults are a locked database and a file it cannot open.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { forwardEvent } from '../../forwarder/src/forward.js';
import { createSink } from '../../forwarder/src/sinks/index.js';
import { createSqliteSink } from '../../forwarder/src/sinks/sqlite/index.js';
import { sqliteDefaultLimits, sqliteSinkConfig } from '../../forwarder/src/sinks/sqlite/config.js';
import { openLogStore, schemaVersion } from '../../forwarder/src/sinks/sqlite/schema.js';
import { idsOf, lambdaContext, manyLines, payloadOf, toSubscriptionEvent } from '../helpers/fixtures.js';
import { forwarderDeps } from '../helpers/forwarder.js';
import { closedAfterEach } from '../helpers/loopback-store.js';
import { eventId, preparedRecord } from '../helpers/records.js';

/** The schema of version 0 (user_version 0), whose trigger indexed each message as its row was inserted. */
const firstSchemaSql = `
CREATE TABLE logs (
  event_id TEXT PRIMARY KEY, timestamp TEXT NOT NULL, level TEXT NOT NULL, function TEXT, request_id TEXT, trace_id TEXT,
  service TEXT, log_group TEXT NOT NULL, log_stream TEXT NOT NULL, message TEXT NOT NULL, record TEXT NOT NULL
);
CREATE INDEX logs_timestamp ON logs (timestamp);
CREATE INDEX logs_function_timestamp ON logs (function, timestamp);
CREATE INDEX logs_request_id ON logs (request_id);
CREATE INDEX logs_trace_id ON logs (trace_id);
CREATE INDEX logs_level_timestamp ON logs (level, timestamp);
CREATE VIRTUAL TABLE logs_fts USING fts5 (message, content = 'logs', content_rowid = 'rowid');
CREATE TRIGGER logs_fts_insert AFTER INSERT ON logs BEGIN
  INSERT INTO logs_fts (rowid, message) VALUES (new.rowid, new.message);
END;
CREATE TRIGGER logs_fts_delete AFTER DELETE ON logs BEGIN
  INSERT INTO logs_fts (logs_fts, rowid, message) VALUES ('delete', old.rowid, old.message);
END;
`;

describe('the sqlite sink keeps the sink contract', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sqlite-sink-'));
  let n = 0;
  const newFile = () => path.join(dir, `logs-${(n += 1)}.db`);
  const closeLater = closedAfterEach();
  /** Event id → how many rows hold it. */
  const rowsOf = (file: string): Map<string, number> => {
    const db = new DatabaseSync(file, { readOnly: true, timeout: 5000 });
    try {
      const rows = db.prepare('SELECT event_id AS id, count(*) AS n FROM logs GROUP BY event_id').all() as Array<{ id: string; n: number }>;
      return new Map(rows.map((row) => [row.id, row.n]));
    } finally {
      db.close();
    }
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** Event ids of the rows whose message matches the FTS5 query `match`, once per hit. */
  const searched = (file: string, match: string): string[] => {
    const db = new DatabaseSync(file, { readOnly: true, timeout: 5000 });
    try {
      const hits = db.prepare('SELECT l.event_id AS id FROM logs_fts f JOIN logs l ON l.rowid = f.rowid WHERE logs_fts MATCH ? ORDER BY l.event_id').all(match) as Array<{ id: string }>;
      return hits.map((hit) => hit.id);
    } finally {
      db.close();
    }
  };
  /** FTS5 compares its index with the messages of `logs` and throws on any difference: a row indexed twice, or not at all. */
  const checkMessageIndex = (file: string): void => {
    const db = new DatabaseSync(file, { timeout: 5000 });
    try {
      db.exec("INSERT INTO logs_fts (logs_fts, rank) VALUES ('integrity-check', 1)");
    } finally {
      db.close();
    }
  };

  it('accepts: stores every record once, and a redelivered event adds nothing', async () => {
    const file = newFile();
    const payload = manyLines(50);
    const { deps } = await forwarderDeps(`sqlite:${file}`);
    closeLater(deps.sink);

    await expect(forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis)).resolves.toMatchObject({ shipped: 50 });
    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect([...rowsOf(file)]).toEqual(idsOf(payload).map((id) => [id, 1]));
  });

  it('stores an oversize record once, its message cut to the sink’s limit with a visible marker', async () => {
    const file = newFile();
    const payload = payloadOf(['small\n', `big ${'z'.repeat(3 * 1024 * 1024)}\n`]);
    const { deps } = await forwarderDeps(`sqlite:${file}`);
    closeLater(deps.sink);

    await expect(forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis)).resolves.toMatchObject({ shipped: 2, truncated: 1 });

    expect([...rowsOf(file).values()]).toEqual([1, 1]);
    const db = new DatabaseSync(file, { readOnly: true });
    const { bytes } = db.prepare('SELECT max(length(CAST(message AS BLOB))) AS bytes FROM logs').get() as { bytes: number };
    db.close();
    expect(bytes).toBeLessThanOrEqual(sqliteDefaultLimits.maxMessageBytes + 200);
  });

  it('reports a database another writer keeps locked as transient, and stores the batch once when it is sent again', async () => {
    const file = newFile();
    const sink = closeLater(await createSqliteSink({ file, limits: sqliteDefaultLimits, busyTimeoutMs: 20 }));
    const other = new DatabaseSync(file, { timeout: 5000 });
    const batch = [preparedRecord(eventId(1)), preparedRecord(eventId(2))];
    other.exec('BEGIN IMMEDIATE');

    const locked = await sink.send(batch, AbortSignal.timeout(5_000));
    other.exec('COMMIT');
    other.close();
    const again = await sink.send(batch, AbortSignal.timeout(5_000));

    expect(locked.failures).toEqual([
      { index: 0, retryable: true, reason: expect.stringMatching(/^SQLite error 5: database is locked/) },
      { index: 1, retryable: true, reason: expect.stringMatching(/^SQLite error 5: /) },
    ]);
    expect(again).toEqual({ failures: [], answer: `committed 2 rows to ${file}` });
    expect([...rowsOf(file).values()]).toEqual([1, 1]);
  });

  it('indexes each stored message once for full-text search, a redelivered record included', async () => {
    const file = newFile();
    const sink = closeLater(await createSqliteSink(sqliteSinkConfig(`sqlite:${file}`)));
    const first = [1, 2, 3].map((n) => preparedRecord(eventId(n), { message: `order ${n} shipped` }));
    const second = [3, 4].map((n) => preparedRecord(eventId(n), { message: `order ${n} shipped` }));

    await sink.send(first, AbortSignal.timeout(5_000));
    await sink.send(second, AbortSignal.timeout(5_000));
    await sink.send(first, AbortSignal.timeout(5_000));

    expect(searched(file, 'shipped')).toEqual([1, 2, 3, 4].map(eventId));
    expect(searched(file, '"order 4"')).toEqual([eventId(4)]);
    expect(() => checkMessageIndex(file)).not.toThrow();
  });

  it('moves committed rows from the WAL into the database file on a thread of its own', async () => {
    const file = newFile();
    const sink = closeLater(await createSqliteSink(sqliteSinkConfig(`sqlite:${file}`)));
    const before = statSync(file).size;

    await sink.send(
      Array.from({ length: 200 }, (_, n) => preparedRecord(eventId(n))),
      AbortSignal.timeout(5_000),
    );

    // The writer's own checkpoint waits for 8,192 pages; these rows fill a few dozen.
    await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(before), { timeout: 5_000 });
  });

  it('upgrades a store of the first schema in place: its rows stay found, new rows are indexed once, redelivery adds nothing', async () => {
    const file = newFile();
    const old = new DatabaseSync(file);
    old.exec(`PRAGMA journal_mode = WAL; ${firstSchemaSql}`);
    const before = preparedRecord(eventId(1), { message: 'stored before the upgrade' });
    old
      .prepare('INSERT INTO logs (event_id, timestamp, level, function, request_id, trace_id, service, log_group, log_stream, message, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(eventId(1), before.record['@timestamp'], 'info', 'shop-dev-orders', 'req-1', null, 'shop', '/aws/lambda/shop-dev-orders', 's', before.record.message, before.json);
    old.close();
    const sink = closeLater(await createSqliteSink(sqliteSinkConfig(`sqlite:${file}`)));
    const batch = [1, 2, 3].map((n) => preparedRecord(eventId(n), { message: `stored after the upgrade ${n}` }));

    await expect(sink.send(batch, AbortSignal.timeout(5_000))).resolves.toEqual({ failures: [], answer: `committed 3 rows to ${file}` });
    await sink.send(batch, AbortSignal.timeout(5_000));

    expect([...rowsOf(file)]).toEqual([1, 2, 3].map((n) => [eventId(n), 1]));
    expect(searched(file, 'stored')).toEqual([1, 2, 3].map(eventId));
    expect(searched(file, 'before')).toEqual([eventId(1)]);
    expect(searched(file, 'after')).toEqual([eventId(2), eventId(3)]);
    expect(() => checkMessageIndex(file)).not.toThrow();
    const db = new DatabaseSync(file, { readOnly: true });
    const { user_version: version } = db.prepare('PRAGMA user_version').get() as { user_version: number };
    const triggers = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name").all();
    db.close();
    expect(version).toBe(schemaVersion);
    expect(triggers).toEqual([{ name: 'logs_fts_delete' }]);
  });

  it('refuses a store of a newer schema version, naming the file, for writing and for searching', async () => {
    const file = newFile();
    const newer = new DatabaseSync(file);
    newer.exec(`PRAGMA user_version = ${schemaVersion + 1}`);
    newer.close();
    const refusal = `${file} has log store schema version ${schemaVersion + 1}`;

    await expect(createSqliteSink(sqliteSinkConfig(`sqlite:${file}`))).rejects.toThrow(refusal);
    await expect(openLogStore(file, { readonly: true })).rejects.toThrow(refusal);
  });

  it('keeps a sqlite::memory: store in memory', async () => {
    const config = sqliteSinkConfig('sqlite::memory:');
    const sink = closeLater(await createSqliteSink(config));

    const outcome = await sink.send([preparedRecord(eventId(1))], AbortSignal.timeout(5_000));

    expect(config.file).toBe(':memory:');
    expect(outcome).toEqual({ failures: [], answer: 'committed 1 rows to :memory:' });
  });

  it('fails the cold start with the file in the error when the store cannot be opened', async () => {
    const notADirectory = path.join(dir, 'plain-file');
    writeFileSync(notADirectory, 'x');

    await expect(createSink(`sqlite:${path.join(notADirectory, 'logs.db')}`)).rejects.toThrow(/plain-file/);
  });
});
