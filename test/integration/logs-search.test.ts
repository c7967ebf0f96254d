import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DecodedPayload } from '../../forwarder/src/decode.js';
import { sqliteSinkConfig } from '../../forwarder/src/sinks/sqlite/config.js';
import { createSqliteSink } from '../../forwarder/src/sinks/sqlite/index.js';
import type { Sink } from '../../forwarder/src/sinks/types.js';
import { StreamTracker } from '../../forwarder/src/stream-context.js';
import { transformPayload } from '../../forwarder/src/transform.js';
import type { LogRow } from '../../tools/logs/format.js';
import { followLogs, LogStoreError, openSearchStore, searchLogs, type SearchStore } from '../../tools/logs/search.js';
import { logsFixture, payloadOf } from '../helpers/fixtures.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const requestId = '0b7e9c4d-1f2a-4b3c-8d5e-6f7a8b9c0d1e';
const traceId = '1-66433733-5f2c7e3b9a1d4c8e2b6f0a17';
const nodeLine = (level: string, message: string, id = 'aaaaaaaa-0000-4000-8000-000000000001') =>
  `2026-11-23T10:00:00.000Z\t${id}\t${level}\t${message}\n`;

describe('npm run logs search on a real SQLite store', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'logs-search-'));
  const file = path.join(dir, 'logs.db');
  const streams = new StreamTracker();
  let sink: Sink;
  let store: SearchStore;

  /** Ships a payload the way the forwarder does: transform, then the SQLite sink. */
  async function ship(payload: DecodedPayload): Promise<void> {
    const { records } = transformPayload(payload, { stage: 'dev', maxMessageBytes: sink.limits.maxMessageBytes, streams });
    const { failures } = await sink.send(records, new AbortController().signal);
    if (failures.length > 0) throw new Error(`the sink refused records: ${failures[0]?.reason}`);
  }

  beforeAll(async () => {
    sink = await createSqliteSink(sqliteSinkConfig(`sqlite:${file}`));
    for (const variant of ['platform-text', 'pino', 'python-text', 'node-text']) await ship(logsFixture(variant));
    await ship(payloadOf(['a-b c foo:bar "quoted" *star*\n', nodeLine('WARN', 'disk almost full'), nodeLine('ERROR', 'disk full')], { logGroup: '/aws/lambda/billing-dev-charge' }));
    store = await openSearchStore(file);
  });
  afterAll(async () => {
    store.db.close();
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const all = (sql: string, ...params: string[]) => store.db.prepare(sql).all(...params) as unknown as LogRow[];

  it('finds every row of one request, oldest first', () => {
    const { rows } = searchLogs(store, { request: requestId }, 100);

    expect(rows.map((row) => row.message)).toEqual(all('SELECT message FROM logs WHERE request_id = ? ORDER BY timestamp, rowid', requestId).map((row) => row.message));
    expect(rows.length).toBeGreaterThan(2);
    expect(rows.every((row) => row.request_id === requestId)).toBe(true);
  });

  it('finds the rows of a trace id', () => {
    const { rows } = searchLogs(store, { trace: traceId }, 100);

    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.trace_id === traceId)).toBe(true);
  });

  it('keeps only rows at or above the level asked for', () => {
    const { rows } = searchLogs(store, { level: 'warn' }, 1_000);

    expect(new Set(rows.map((row) => row.level))).toEqual(new Set(['warn', 'error', 'fatal']));
    expect(rows).toHaveLength(all("SELECT rowid FROM logs WHERE level IN ('warn', 'error', 'fatal')").length);
  });

  it('combines function, service, level and time filters', () => {
    const { rows } = searchLogs(store, { function: 'billing-dev-charge', service: 'billing', level: 'error', since: '2026-11-23T00:00:00.000Z', until: '2026-11-24T00:00:00.000Z' }, 100);

    expect(rows.map((row) => row.message)).toEqual(['disk full']);
  });

  it('returns the newest rows of a long result, oldest first, like tail', () => {
    const everything = all('SELECT rowid, timestamp FROM logs ORDER BY timestamp, rowid');

    const { rows } = searchLogs(store, {}, 3);

    expect(rows.map((row) => row.rowid)).toEqual(everything.slice(-3).map((row) => row.rowid));
  });

  it('matches words of the message through the full-text index, ANDed', () => {
    const { rows } = searchLogs(store, { text: 'cognito RETRYING' }, 100);

    expect(rows.map((row) => row.message)).toEqual(['Retrying Cognito call (attempt 2)']);
  });

  it.each(['a-b', 'foo:bar', '"quoted"', '*star*'])('searches FTS5 syntax such as %s as plain text', (text) => {
    const { rows } = searchLogs(store, { text }, 100);

    expect(rows.map((row) => row.message)).toEqual(['a-b c foo:bar "quoted" *star*']);
  });

  it.each(['"', '*', 'NEAR(', 'AND OR NOT', "it's", '(x', '^a', '-', '""'])('never raises an FTS5 syntax error for %s', (text) => {
    expect(() => searchLogs(store, { text }, 100)).not.toThrow();
  });

  it('prints the stored records as NDJSON from the real command line', async () => {
    const expected = all("SELECT record FROM logs WHERE level IN ('warn', 'error', 'fatal') AND function = 'billing-dev-charge' ORDER BY timestamp, rowid").map((row) => row.record);

    const { stdout } = await run('npx', ['tsx', 'scripts/logs.ts', 'search', 'disk', '--level', 'warn', '--function', 'billing-dev-charge', '--db', file, '--json'], { cwd: repoRoot, timeout: 30_000 });

    expect(stdout.trimEnd().split('\n')).toEqual(expected);
    expect(expected.map((record) => JSON.parse(record).message)).toEqual(['disk almost full', 'disk full']);
  });

  it('follows rows stored after it started, only those that match, and stops on abort', async () => {
    const { cursor } = searchLogs(store, { level: 'error' }, 100);
    const seen: LogRow[] = [];
    const stop = new AbortController();
    const following = followLogs(store, { level: 'error' }, cursor, (rows) => seen.push(...rows), { signal: stop.signal, intervalMs: 10 });

    await ship(payloadOf([nodeLine('INFO', 'retrying payment'), nodeLine('ERROR', 'payment declined')], { logGroup: '/aws/lambda/billing-dev-charge' }));
    await vi.waitFor(() => expect(seen.map((row) => row.message)).toContain('payment declined'), { timeout: 10_000, interval: 10 });
    stop.abort();
    const last = await following;

    expect(seen.map((row) => row.message)).toEqual(['payment declined']);
    expect(last).toBe(seen[0]?.rowid);
  });

  it('resolves at once when following with an aborted signal', async () => {
    const stop = new AbortController();
    stop.abort();

    await expect(followLogs(store, {}, 0, () => undefined, { signal: stop.signal })).resolves.toBe(0);
  });
});

describe('opening the log store for a search', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'logs-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says how to get a store when the file does not exist', async () => {
    const missing = path.join(dir, 'none.db');

    await expect(openSearchStore(missing)).rejects.toThrow(new LogStoreError(`no log store at ${missing}: forward logs to it first (LOG_SINK=sqlite:<path>) or set --db`));
  });

  it('reports a file that is not a log store as a LogStoreError', async () => {
    const notAStore = path.join(dir, 'notes.txt');
    writeFileSync(notAStore, 'not a database at all, just some text that is long enough to have a header');

    const search = async () => searchLogs(await openSearchStore(notAStore), {}, 10);

    await expect(search()).rejects.toThrow(LogStoreError);
  });

  it('exits with code 2 and one line, no stack, when the store is missing', async () => {
    const missing = path.join(dir, 'none.db');

    const failure = await run('npx', ['tsx', 'scripts/logs.ts', 'search', '--db', missing], { cwd: repoRoot, timeout: 30_000 }).catch((error: unknown) => error);

    expect(failure).toMatchObject({ code: 2 });
    const stderr = (failure as { stderr: string }).stderr.split('\n').filter((line) => line.startsWith('logs:'));
    expect(stderr).toEqual([`logs: no log store at ${missing}: forward logs to it first (LOG_SINK=sqlite:<path>) or set --db`]);
  });
});
