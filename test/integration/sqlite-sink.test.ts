// The sink contract's cases that apply to the embedded store: SQLite has no network, so its
// faults are a locked database and a file it cannot open.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { forwardEvent } from '../../forwarder/src/forward.js';
import { createSink } from '../../forwarder/src/sinks/index.js';
import { createSqliteSink } from '../../forwarder/src/sinks/sqlite/index.js';
import { sqliteDefaultLimits } from '../../forwarder/src/sinks/sqlite/config.js';
import { idsOf, lambdaContext, manyLines, payloadOf, toSubscriptionEvent } from '../helpers/fixtures.js';
import { forwarderDeps } from '../helpers/forwarder.js';
import { closedAfterEach } from '../helpers/loopback-store.js';
import { eventId, preparedRecord } from '../helpers/records.js';

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

  it('fails the cold start with the file in the error when the store cannot be opened', async () => {
    const notADirectory = path.join(dir, 'plain-file');
    writeFileSync(notADirectory, 'x');

    await expect(createSink(`sqlite:${path.join(notADirectory, 'logs.db')}`)).rejects.toThrow(/plain-file/);
  });
});
