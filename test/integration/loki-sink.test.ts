import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../forwarder/src/errors.js';
import { forwardEvent } from '../../forwarder/src/forward.js';
import { nanosecondsOf } from '../../forwarder/src/sinks/loki/encode.js';
import { startFakeLoki, type FakeLoki, type FakeLokiOptions } from '../helpers/fake-loki.js';
import { lambdaContext, logsFixture, payloadOf, toSubscriptionEvent } from '../helpers/fixtures.js';
import { forwarderDeps } from '../helpers/forwarder.js';

const start = Date.UTC(2026, 10, 23, 10, 0, 0);
const manyLines = (n: number) => payloadOf(Array.from({ length: n }, (_, i) => `line ${i} ${'x'.repeat(200)}\n`), { startTime: start });
const idsOf = (payload: { logEvents: Array<{ id: string }> }) => payload.logEvents.map((e) => e.id);
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('Loki sink against a loopback Loki', () => {
  let loki: FakeLoki;
  const open = async (options: FakeLokiOptions = {}) => (loki = await startFakeLoki(options));
  afterEach(async () => {
    await loki.close();
  });

  const expectEachStoredOnce = (ids: readonly string[]) => {
    expect(loki.stored.size).toBe(ids.length);
    for (const id of ids) expect(loki.stored.get(id)?.times, id).toBe(1);
  };

  it('stores every record of a fixture once, as gzip JSON streams labelled by service, stage, function and level, in time order', async () => {
    await open({ tenant: 'team-a', authorization: basic('loki-user', 's3cret'), prefix: '/gateway' });
    const payload = logsFixture('node-text');
    const { deps } = await forwarderDeps(`${loki.url.replace('//', '//loki-user@')}?tenant=team-a`, { password: 's3cret' });

    const summary = await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(summary).toMatchObject({ outcome: 'forwarded', shipped: payload.logEvents.length });
    expectEachStoredOnce(idsOf(payload));
    expect(loki.requests[0]?.headers).toMatchObject({ 'content-encoding': 'gzip', 'content-type': 'application/json', 'x-scope-orgid': 'team-a' });
    expect(loki.outOfOrderEntries).toBe(0);
    for (const { labels, ns, record } of loki.stored.values()) {
      expect(Object.keys(labels).sort()).toEqual(expect.arrayContaining(['function', 'level', 'service', 'stage']));
      expect(labels).toMatchObject({ service: 'auth-service', stage: 'dev', function: 'auth-service-dev-hello', level: (record.log as { level: string }).level });
      expect(ns).toBe(nanosecondsOf(record['@timestamp'] as string));
    }
    expect(new Set([...loki.stored.values()].map((e) => e.labels.level)).size).toBeGreaterThan(1);
  });

  it('cuts a large payload into pushes within the byte limit', async () => {
    await open();
    const payload = manyLines(2000);
    const { deps } = await forwarderDeps(loki.url, { limits: { maxBatchBytes: 100_000 } });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(loki.requests.length).toBeGreaterThan(5);
    expectEachStoredOnce(idsOf(payload));
  });

  it('retries 503s, 502s and reset connections until every entry is stored once', async () => {
    await open({ faults: [{ kind: 'status', status: 503 }, { kind: 'reset' }, { kind: 'status', status: 502 }, { kind: 'ok' }] });
    const payload = manyLines(50);
    const { deps } = await forwarderDeps(loki.url);

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(loki.requests.length).toBeGreaterThanOrEqual(3);
    expectEachStoredOnce(idsOf(payload));
  });

  it('waits as long as a 429 Retry-After asks before pushing again', async () => {
    await open({ faults: [{ kind: 'status', status: 429, headers: { 'retry-after': '3' }, body: 'Ingestion rate limit exceeded' }, { kind: 'ok' }] });
    const payload = manyLines(5);
    const waits: number[] = [];
    const { deps } = await forwarderDeps(loki.url, { sleep: async (ms) => void waits.push(ms) });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(waits).toEqual([3000]);
    expectEachStoredOnce(idsOf(payload));
  });

  it('pushes again after a hung push that Loki had stored, and Loki drops the duplicates', async () => {
    await open({ faults: [{ kind: 'store-then-hang' }, { kind: 'ok' }] });
    const payload = manyLines(20);
    const { deps } = await forwarderDeps(loki.url, { requestTimeoutMs: 200 });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(loki.requests).toHaveLength(2);
    expect(loki.duplicatesDropped).toBe(20);
    expectEachStoredOnce(idsOf(payload));
  });

  it('pushes again after a push that hung before Loki stored it', async () => {
    await open({ faults: [{ kind: 'hang' }, { kind: 'ok' }] });
    const payload = manyLines(20);
    const { deps } = await forwarderDeps(loki.url, { requestTimeoutMs: 200 });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(loki.duplicatesDropped).toBe(0);
    expectEachStoredOnce(idsOf(payload));
  });

  it('halves a push refused with 413 until it fits', async () => {
    await open({ faults: [{ kind: 'status', status: 413 }, { kind: 'ok' }] });
    const payload = manyLines(40);
    const { deps } = await forwarderDeps(loki.url);

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(loki.requests.map((r) => r.entries)).toEqual([40, 20, 20]);
    expectEachStoredOnce(idsOf(payload));
  });

  it('fails the entries a partial 400 names as too far behind, stores the others once and throws', async () => {
    await open();
    const payload = manyLines(30);
    loki.setOldestAcceptable(BigInt(start + 10) * 1_000_000n);
    const { deps, lines } = await forwarderDeps(loki.url);

    const run = forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    await expect(run).rejects.toThrow(DeliveryError);
    await expect(run).rejects.toThrow(/10 of 30 records not delivered to loki \(10 refused permanently\): HTTP 400: entry too far behind/);
    const ids = idsOf(payload);
    expectEachStoredOnce(ids.slice(10));
    expect(loki.requests.map((r) => [r.status, r.entries])).toEqual([
      [400, 30],
      [204, 20],
    ]);
    expect(loki.duplicatesDropped).toBe(20);
    expect(lines.find((l) => l.msg === 'records not delivered')).toMatchObject({ undelivered: 10, permanent: 10 });
  });

  it('fails a line over max_line_size for good and stores the rest once', async () => {
    await open({ maxLineSize: 4_000 });
    const payload = payloadOf(['short one\n', `long ${'y'.repeat(5_000)}\n`, 'short two\n'], { startTime: start });
    const { deps } = await forwarderDeps(loki.url);

    const run = forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    await expect(run).rejects.toThrow(/1 of 3 records not delivered to loki \(1 refused permanently\): HTTP 400: line too long/);
    const [first, long, last] = idsOf(payload);
    expectEachStoredOnce([first!, last!]);
    expect(loki.stored.has(long!)).toBe(false);
  });

  it('fails fast on 401 and never shows the password', async () => {
    await open({ authorization: basic('loki-user', 'right') });
    const { deps } = await forwarderDeps(loki.url.replace('//', '//loki-user:wr0ng-pass@'));

    const run = forwardEvent(toSubscriptionEvent(manyLines(10)), deps, lambdaContext().getRemainingTimeInMillis);

    await expect(run).rejects.toThrow(/10 of 10 records not delivered to loki \(10 refused permanently\): HTTP 401/);
    await expect(run).rejects.not.toThrow(/wr0ng-pass/);
    expect(loki.requests).toHaveLength(1);
  });

  it('stores a redelivered event once: Loki drops the entries it already has', async () => {
    await open();
    const payload = manyLines(30);
    const { deps } = await forwarderDeps(loki.url, { limits: { maxBatchRecords: 10 } });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);
    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(loki.duplicatesDropped).toBe(30);
    expectEachStoredOnce(idsOf(payload));
  });

  it('throws when Loki stays down until the invocation runs out of time', async () => {
    await open({ faults: [{ kind: 'status', status: 503 }] });
    const { deps } = await forwarderDeps(loki.url);

    const run = forwardEvent(toSubscriptionEvent(manyLines(10)), deps, lambdaContext(1_500).getRemainingTimeInMillis);

    // The last reason is the 503 or, when the deadline cut the last request short, its timeout.
    await expect(run).rejects.toThrow(/10 of 10 records not delivered to loki \(0 refused permanently\): (HTTP 503|request timed out)/);
    expect(loki.stored.size).toBe(0);
    expect(loki.requests.length).toBeGreaterThan(1);
  });
});
