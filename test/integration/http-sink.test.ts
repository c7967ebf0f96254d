import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../forwarder/src/errors.js';
import { forwardEvent } from '../../forwarder/src/forward.js';
import { startCollector, type Collector } from '../helpers/collector.js';
import { lambdaContext, logsFixture, payloadOf, toSubscriptionEvent } from '../helpers/fixtures.js';
import { forwarderDeps } from '../helpers/forwarder.js';

const manyLines = (n: number) => payloadOf(Array.from({ length: n }, (_, i) => `line ${i} ${'x'.repeat(200)}\n`));

describe('HTTP NDJSON sink against a loopback collector', () => {
  let collector: Collector;
  beforeEach(async () => {
    collector = await startCollector();
  });
  afterEach(async () => {
    await collector.close();
  });

  const expectEachStoredOnce = (ids: readonly string[]) => {
    expect(collector.stored.size).toBe(ids.length);
    for (const id of ids) expect(collector.stored.get(id)?.times, id).toBe(1);
  };

  it('delivers every record of a fixture once, gzip-compressed NDJSON with an idempotency key', async () => {
    const payload = logsFixture('node-text');
    const { deps } = await forwarderDeps(collector.url);

    const summary = await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(summary).toMatchObject({ outcome: 'forwarded', events: payload.logEvents.length, shipped: payload.logEvents.length });
    expectEachStoredOnce(payload.logEvents.map((e) => e.id));
    expect(collector.requests[0]?.headers).toMatchObject({ 'content-encoding': 'gzip', 'content-type': 'application/x-ndjson' });
    expect(collector.requests[0]?.headers['idempotency-key']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('splits a large payload into batches within the byte limit', async () => {
    const payload = manyLines(2000);
    const { deps } = await forwarderDeps(collector.url, { limits: { maxBatchBytes: 100_000 } });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(collector.requests.length).toBeGreaterThan(5);
    expectEachStoredOnce(payload.logEvents.map((e) => e.id));
  });

  it('retries 503s and reset connections until the records are stored, once each', async () => {
    collector.setFaults([{ kind: 'status', status: 503 }, { kind: 'reset' }, { kind: 'status', status: 502 }, { kind: 'ok' }]);
    const payload = manyLines(50);
    const { deps } = await forwarderDeps(collector.url);

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(collector.requests.length).toBeGreaterThanOrEqual(3);
    expectEachStoredOnce(payload.logEvents.map((e) => e.id));
  });

  it('waits as long as a 429 Retry-After asks before trying again', async () => {
    collector.setFaults([{ kind: 'status', status: 429, headers: { 'retry-after': '2' } }, { kind: 'ok' }]);
    const payload = manyLines(5);
    const waits: number[] = [];
    const { deps } = await forwarderDeps(collector.url, { sleep: async (ms) => void waits.push(ms) });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(waits).toEqual([2000]);
    expectEachStoredOnce(payload.logEvents.map((e) => e.id));
  });

  it('abandons a response slower than the request timeout and stores the retry only', async () => {
    collector.setFaults([{ kind: 'slow', delayMs: 1_500 }, { kind: 'ok' }]);
    const payload = manyLines(20);
    const { deps } = await forwarderDeps(collector.url, { requestTimeoutMs: 200 });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(collector.requests).toHaveLength(2);
    expectEachStoredOnce(payload.logEvents.map((e) => e.id));
  });

  it('halves a batch refused with 413 until it fits', async () => {
    collector.setFaults([{ kind: 'status', status: 413 }, { kind: 'ok' }]);
    const payload = manyLines(40);
    const { deps } = await forwarderDeps(collector.url);

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(collector.requests.map((r) => r.records)).toEqual([40, 20, 20]);
    expectEachStoredOnce(payload.logEvents.map((e) => e.id));
  });

  it('fails fast on a permanent 400 and throws so Lambda keeps the event', async () => {
    collector.setFaults([{ kind: 'status', status: 400, body: 'bad mapping' }]);
    const { deps, lines } = await forwarderDeps(collector.url);

    const run = forwardEvent(toSubscriptionEvent(manyLines(10)), deps, lambdaContext().getRemainingTimeInMillis);

    await expect(run).rejects.toThrow(DeliveryError);
    await expect(run).rejects.toThrow(/10 of 10 records not delivered to http \(10 refused permanently\): HTTP 400: bad mapping/);
    expect(collector.requests).toHaveLength(1);
    expect(lines.find((l) => l.msg === 'records not delivered')).toMatchObject({ undelivered: 10, permanent: 10 });
  });

  it('throws when the sink stays down until the invocation runs out of time', async () => {
    collector.setFaults([{ kind: 'status', status: 503 }]);
    const { deps } = await forwarderDeps(collector.url);

    const run = forwardEvent(toSubscriptionEvent(manyLines(10)), deps, lambdaContext(1_500).getRemainingTimeInMillis);

    await expect(run).rejects.toThrow(/10 of 10 records not delivered .*HTTP 503/);
    expect(collector.stored.size).toBe(0);
    expect(collector.requests.length).toBeGreaterThan(1);
  });

  it('throws when nothing listens at the sink address', async () => {
    const { url } = collector;
    await collector.close();
    const { deps } = await forwarderDeps(url);

    await expect(forwardEvent(toSubscriptionEvent(manyLines(3)), deps, lambdaContext(1_300).getRemainingTimeInMillis)).rejects.toThrow(/ECONNREFUSED/);
    collector = await startCollector();
  });

  it('sends a redelivered event with the same idempotency keys, so a receiver can drop what it already has', async () => {
    const payload = manyLines(30);
    const { deps } = await forwarderDeps(collector.url, { limits: { maxBatchRecords: 10 } });
    collector.setFaults([{ kind: 'ok' }, { kind: 'ok' }, { kind: 'status', status: 400 }, { kind: 'ok' }]);
    await expect(forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis)).rejects.toThrow(DeliveryError);
    const firstKeys = collector.requests.map((r) => r.headers['idempotency-key']);

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    const secondKeys = collector.requests.slice(3).map((r) => r.headers['idempotency-key']);
    expect(new Set(secondKeys)).toEqual(new Set(firstKeys));
  });
});
