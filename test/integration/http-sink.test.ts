import { beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../forwarder/src/errors.js';
import { forwardEvent } from '../../forwarder/src/forward.js';
import { startCollector, type Collector } from '../helpers/collector.js';
import { lambdaContext, logsFixture, manyLines, toSubscriptionEvent } from '../helpers/fixtures.js';
import { forwarderDeps } from '../helpers/forwarder.js';
import { closedAfterEach, expectStoredOnce } from '../helpers/loopback-store.js';

describe('HTTP NDJSON sink against a loopback collector', () => {
  const closeLater = closedAfterEach();
  let collector: Collector;
  beforeEach(async () => {
    collector = closeLater(await startCollector());
  });

  it('delivers every record of a fixture once, gzip-compressed NDJSON with an idempotency key', async () => {
    const payload = logsFixture('node-text');
    const { deps } = await forwarderDeps(collector.url);

    const summary = await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(summary).toMatchObject({ outcome: 'forwarded', events: payload.logEvents.length, shipped: payload.logEvents.length });
    expectStoredOnce(collector, payload.logEvents.map((e) => e.id));
    expect(collector.requests[0]?.headers).toMatchObject({ 'content-encoding': 'gzip', 'content-type': 'application/x-ndjson' });
    expect(collector.requests[0]?.headers['idempotency-key']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('splits a large payload into batches within the byte limit', async () => {
    const payload = manyLines(2000);
    const { deps } = await forwarderDeps(collector.url, { limits: { maxBatchBytes: 100_000 } });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(collector.requests.length).toBeGreaterThan(5);
    expectStoredOnce(collector, payload.logEvents.map((e) => e.id));
  });

  it.each([true, false])('sends a batch larger than one output buffer whole and in order, gzip %s', async (gzip) => {
    // About 8,000 records of ~700 bytes: 5 MB of NDJSON over several 1 MiB output buffers.
    const payload = manyLines(8_000);
    const { deps } = await forwarderDeps(collector.url, { gzip, limits: { maxBatchBytes: 3 * 1024 * 1024 } });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expectStoredOnce(collector, payload.logEvents.map((e) => e.id));
    expect(collector.requests.length).toBe(2);
    expect(collector.requests[0]!.headers['content-encoding']).toBe(gzip ? 'gzip' : undefined);
    expect(collector.requests.flatMap((request) => request.ids)).toEqual(payload.logEvents.map((e) => e.id));
  });

  it('sends a redelivered event with the same idempotency keys, so a receiver can drop what it already has', async () => {
    const payload = manyLines(30);
    const { deps } = await forwarderDeps(collector.url, { limits: { maxBatchRecords: 10 } });
    collector.setFaults([{ kind: 'ok' }, { kind: 'ok' }, { kind: 'status', status: 401 }, { kind: 'ok' }]);
    await expect(forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis)).rejects.toThrow(DeliveryError);
    const firstKeys = collector.requests.map((r) => r.headers['idempotency-key']);

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    const secondKeys = collector.requests.slice(3).map((r) => r.headers['idempotency-key']);
    expect(new Set(secondKeys)).toEqual(new Set(firstKeys));
  });
});
