import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../forwarder/src/errors.js';
import { forwardEvent } from '../../forwarder/src/forward.js';
import { nanosecondsOf } from '../../forwarder/src/sinks/loki/encode.js';
import { startFakeLoki, type FakeLoki, type FakeLokiOptions } from '../helpers/fake-loki.js';
import { idsOf, lambdaContext, logsFixture, manyLines, payloadOf, toSubscriptionEvent } from '../helpers/fixtures.js';
import { forwarderDeps } from '../helpers/forwarder.js';
import { closedAfterEach, expectStoredOnce } from '../helpers/loopback-store.js';

const start = Date.UTC(2026, 10, 23, 10, 0, 0);
const linesFrom = (n: number) => manyLines(n, start);
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('Loki sink against a loopback Loki', () => {
  const closeLater = closedAfterEach();
  let loki: FakeLoki;
  const open = async (options: FakeLokiOptions = {}) => (loki = closeLater(await startFakeLoki(options)));

  it('stores every record of a fixture once, as gzip JSON streams labelled by service, stage, function, level, log group, account and region, in time order', async () => {
    await open({ tenant: 'team-a', authorization: basic('loki-user', 's3cret'), prefix: '/gateway' });
    const payload = logsFixture('node-text');
    const { deps } = await forwarderDeps(`${loki.url.replace('//', '//loki-user@')}?tenant=team-a`, { password: 's3cret' });

    const summary = await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(summary).toMatchObject({ outcome: 'forwarded', shipped: payload.logEvents.length });
    expectStoredOnce(loki, idsOf(payload));
    expect(loki.requests[0]?.headers).toMatchObject({ 'content-encoding': 'gzip', 'content-type': 'application/json', 'x-scope-orgid': 'team-a' });
    expect(loki.outOfOrderEntries).toBe(0);
    for (const { item: { labels, ns, record } } of loki.stored.values()) {
      expect(Object.keys(labels).sort()).toEqual(['cloud_account_id', 'cloud_region', 'function', 'level', 'log_group', 'service', 'stage']);
      expect(labels).toMatchObject({ service: 'auth-service', stage: 'dev', function: 'auth-service-dev-hello', log_group: payload.logGroup, cloud_account_id: payload.owner });
      // What the labels carry is not repeated in the line.
      expect(record).not.toHaveProperty('service');
      expect(record).not.toHaveProperty('cloud');
      expect(record.log).toBeUndefined();
      expect(ns).toBe(nanosecondsOf(record['@timestamp'] as string));
    }
    expect(new Set([...loki.stored.values()].map((e) => e.item.labels.level)).size).toBeGreaterThan(1);
  });

  it('cuts a large payload into pushes within the byte limit', async () => {
    await open();
    const payload = linesFrom(2000);
    const { deps } = await forwarderDeps(loki.url, { limits: { maxBatchBytes: 100_000 } });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(loki.requests.length).toBeGreaterThan(5);
    expectStoredOnce(loki, idsOf(payload));
  });

  it('fails the entries a partial 400 names as too far behind, stores the others once and throws', async () => {
    await open();
    const payload = linesFrom(30);
    loki.setOldestAcceptable(BigInt(start + 10) * 1_000_000n);
    const { deps, lines } = await forwarderDeps(loki.url);

    const run = forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    await expect(run).rejects.toThrow(DeliveryError);
    await expect(run).rejects.toThrow(/10 of 30 records not delivered to loki \(10 refused permanently\): HTTP 400: entry too far behind/);
    const ids = idsOf(payload);
    expectStoredOnce(loki, ids.slice(10));
    expect(loki.requests.map((r) => [r.status, r.ids.length])).toEqual([
      [400, 30],
      [204, 20],
    ]);
    expect(loki.duplicatesDropped).toBe(20);
    expect(lines.find((l) => l.msg === 'records not delivered')).toMatchObject({ undelivered: 10, permanent: 10 });
  });

  it('keeps a structured line whose size is in its app fields under the default max_line_size of 256 KB', async () => {
    await open();
    const fields = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`blob${i}`, 'y'.repeat(60_000)]));
    const payload = payloadOf([JSON.stringify({ level: 'info', msg: 'wide line', ...fields })], { startTime: start });
    const { deps } = await forwarderDeps(loki.url);

    await expect(forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis)).resolves.toMatchObject({ shipped: 1, truncated: 1 });

    expectStoredOnce(loki, idsOf(payload));
    const [entry] = [...loki.stored.values()];
    expect(Buffer.byteLength(entry!.item.line)).toBeLessThanOrEqual(256 * 1024);
    expect(entry!.item.record).toMatchObject({ log: { truncated: true }, app: { blob0: expect.stringMatching(/…\[truncated: 60000 bytes\]$/) } });
  });

  it('fails a line over max_line_size for good and stores the rest once', async () => {
    await open({ maxLineSize: 4_000 });
    const payload = payloadOf(['short one\n', `long ${'y'.repeat(5_000)}\n`, 'short two\n'], { startTime: start });
    const { deps } = await forwarderDeps(loki.url);

    const run = forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    await expect(run).rejects.toThrow(/1 of 3 records not delivered to loki \(1 refused permanently\): HTTP 400: line too long/);
    const [first, long, last] = idsOf(payload);
    expectStoredOnce(loki, [first!, last!]);
    expect(loki.stored.has(long!)).toBe(false);
  });

  it('stores a redelivered event once: Loki drops the entries it already has', async () => {
    await open();
    const payload = linesFrom(30);
    const { deps } = await forwarderDeps(loki.url, { limits: { maxBatchRecords: 10 } });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);
    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(loki.duplicatesDropped).toBe(30);
    expectStoredOnce(loki, idsOf(payload));
  });
});
