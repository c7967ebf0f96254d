import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../forwarder/src/errors.js';
import { forwardEvent } from '../../forwarder/src/forward.js';
import { startFakeSplunk, type FakeSplunk, type FakeSplunkOptions } from '../helpers/fake-splunk.js';
import { lambdaContext, logsFixture, payloadOf, toSubscriptionEvent } from '../helpers/fixtures.js';
import { forwarderDeps } from '../helpers/forwarder.js';

const token = '5a1c7e2b-0000-4000-8000-00000000hec1';
const manyLines = (n: number) => payloadOf(Array.from({ length: n }, (_, i) => `line ${i} ${'x'.repeat(200)}\n`));
const idsOf = (payload: { logEvents: Array<{ id: string }> }) => payload.logEvents.map((e) => e.id);

describe('Splunk HEC sink against a loopback HEC', () => {
  let hec: FakeSplunk;
  const open = async (options: Partial<FakeSplunkOptions> = {}) => (hec = await startFakeSplunk({ token, ...options }));
  afterEach(async () => {
    await hec.close();
  });

  const expectEachStoredOnce = (ids: readonly string[]) => {
    expect(hec.stored.size).toBe(ids.length);
    for (const id of ids) expect(hec.stored.get(id)?.times, id).toBe(1);
  };

  it('indexes every record of a fixture once, as gzip concatenated events with time, host, source, sourcetype, index and indexed fields', async () => {
    await open({ indexes: ['lambda'] });
    const payload = logsFixture('node-text');
    const { deps } = await forwarderDeps(`${hec.url}?index=lambda`, { token });

    const summary = await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(summary).toMatchObject({ outcome: 'forwarded', shipped: payload.logEvents.length });
    expectEachStoredOnce(idsOf(payload));
    expect(hec.requests[0]?.headers).toMatchObject({ authorization: `Splunk ${token}`, 'content-encoding': 'gzip', 'content-type': 'application/json' });
    for (const { event } of hec.stored.values()) {
      const record = event.event as { '@timestamp': string; log: { level: string }; faas: { name: string; execution?: string }; trace?: { id: string } };
      expect(event).toMatchObject({
        time: Date.parse(record['@timestamp']) / 1000,
        host: 'auth-service-dev-hello',
        source: payload.logGroup,
        sourcetype: 'aws:lambda:ecs',
        index: 'lambda',
      });
      expect(event.fields).toEqual({
        level: record.log.level,
        function: 'auth-service-dev-hello',
        service: 'auth-service',
        ...(record.faas.execution ? { request_id: record.faas.execution } : {}),
        ...(record.trace ? { trace_id: record.trace.id } : {}),
      });
    }
    expect([...hec.stored.values()].some(({ event }) => event.fields?.request_id)).toBe(true);
  });

  it('halves a batch HEC refuses as over max_content_length until every request fits', async () => {
    await open({ maxContentLength: 30_000 });
    const payload = manyLines(200);
    const { deps } = await forwarderDeps(hec.url, { token, gzip: false });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(hec.requests.some((r) => r.status === 413)).toBe(true);
    expect(hec.requests.filter((r) => r.status === 200).every((r) => r.bytes <= 30_000)).toBe(true);
    expectEachStoredOnce(idsOf(payload));
  });

  it('retries "server is busy" (503, HEC code 9), 500s and reset connections until every event is indexed once', async () => {
    await open({
      faults: [
        { kind: 'status', status: 503, body: '{"text":"Server is busy","code":9}' },
        { kind: 'reset' },
        { kind: 'status', status: 500, body: '{"text":"Internal server error","code":8}' },
        { kind: 'ok' },
      ],
    });
    const payload = manyLines(50);
    const { deps } = await forwarderDeps(hec.url, { token });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(hec.requests.length).toBeGreaterThanOrEqual(3);
    expectEachStoredOnce(idsOf(payload));
  });

  it('waits as long as a 429 Retry-After asks before sending again', async () => {
    await open({ faults: [{ kind: 'status', status: 429, headers: { 'retry-after': '2' } }, { kind: 'ok' }] });
    const payload = manyLines(5);
    const waits: number[] = [];
    const { deps } = await forwarderDeps(hec.url, { token, sleep: async (ms) => void waits.push(ms) });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(waits).toEqual([2000]);
    expectEachStoredOnce(idsOf(payload));
  });

  it('abandons a request that hangs and indexes the retry only', async () => {
    await open({ faults: [{ kind: 'hang' }, { kind: 'ok' }] });
    const payload = manyLines(20);
    const { deps } = await forwarderDeps(hec.url, { token, requestTimeoutMs: 200 });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(hec.requests).toHaveLength(2);
    expectEachStoredOnce(idsOf(payload));
  });

  it('fails fast on an invalid token (403, HEC code 4) and never shows the token', async () => {
    await open();
    const { deps } = await forwarderDeps(hec.url, { token: 'wrong-token-4242' });

    const run = forwardEvent(toSubscriptionEvent(manyLines(10)), deps, lambdaContext().getRemainingTimeInMillis);

    await expect(run).rejects.toThrow(DeliveryError);
    await expect(run).rejects.toThrow(/10 of 10 records not delivered to splunk \(10 refused permanently\): HTTP 403: HEC code 4: Invalid token/);
    await expect(run).rejects.not.toThrow(/wrong-token-4242/);
    expect(hec.requests).toHaveLength(1);
  });

  it('fails fast when the token may not write to the index (400, HEC code 7)', async () => {
    await open({ indexes: ['lambda'] });
    const { deps } = await forwarderDeps(`${hec.url}?index=main`, { token });

    const run = forwardEvent(toSubscriptionEvent(manyLines(10)), deps, lambdaContext().getRemainingTimeInMillis);

    await expect(run).rejects.toThrow(/10 of 10 records not delivered to splunk \(10 refused permanently\): HTTP 400: HEC code 7: Incorrect index/);
    expect(hec.requests).toHaveLength(1);
    expect(hec.stored.size).toBe(0);
  });

  it('fails for good the one event HEC names invalid, keeps the events HEC indexed before it and sends only those after it', async () => {
    await open({ faults: [{ kind: 'refuse-event', index: 2 }, { kind: 'ok' }] });
    const payload = manyLines(5);
    const { deps } = await forwarderDeps(hec.url, { token });

    const run = forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    await expect(run).rejects.toThrow(/1 of 5 records not delivered to splunk \(1 refused permanently\): HTTP 400: HEC code 6: Invalid data format \(event 2 of the request\)/);
    const ids = idsOf(payload);
    expectEachStoredOnce([...ids.slice(0, 2), ...ids.slice(3)]);
    expect(hec.requests.map((r) => [r.status, r.events])).toEqual([
      [400, 2],
      [200, 2],
    ]);
  });

  it('indexes a record twice when HEC indexed a request whose answer was lost: HEC has no dedupe, event.id tells the copies apart', async () => {
    await open({ faults: [{ kind: 'index-then-reset' }, { kind: 'ok' }] });
    const payload = manyLines(10);
    const { deps } = await forwarderDeps(hec.url, { token });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(hec.stored.size).toBe(10);
    expect([...hec.stored.values()].every((entry) => entry.times === 2)).toBe(true);
  });

  it('throws when HEC stays busy until the invocation runs out of time', async () => {
    await open({ faults: [{ kind: 'status', status: 503, body: '{"text":"Server is busy","code":9}' }] });
    const { deps } = await forwarderDeps(hec.url, { token });

    const run = forwardEvent(toSubscriptionEvent(manyLines(10)), deps, lambdaContext(1_500).getRemainingTimeInMillis);

    // The last reason is HEC's answer or, when the deadline cut the last request short, its timeout.
    await expect(run).rejects.toThrow(/10 of 10 records not delivered to splunk \(0 refused permanently\): (HTTP 503: HEC code 9: Server is busy|request timed out)/);
    expect(hec.stored.size).toBe(0);
    expect(hec.requests.length).toBeGreaterThan(1);
  });
});
