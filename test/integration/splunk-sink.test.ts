import { describe, expect, it } from 'vitest';
import { forwardEvent } from '../../forwarder/src/forward.js';
import { startFakeSplunk, type FakeSplunk, type FakeSplunkOptions } from '../helpers/fake-splunk.js';
import { idsOf, lambdaContext, logsFixture, manyLines, toSubscriptionEvent } from '../helpers/fixtures.js';
import { forwarderDeps } from '../helpers/forwarder.js';
import { closedAfterEach, expectStoredOnce } from '../helpers/loopback-store.js';

const token = '5a1c7e2b-0000-4000-8000-00000000hec1';

describe('Splunk HEC sink against a loopback HEC', () => {
  const closeLater = closedAfterEach();
  let hec: FakeSplunk;
  const open = async (options: Partial<FakeSplunkOptions> = {}) => (hec = closeLater(await startFakeSplunk({ token, ...options })));

  it('indexes every record of a fixture once, as gzip concatenated events with time, host, source, sourcetype, index and indexed fields', async () => {
    await open({ indexes: ['lambda'] });
    const payload = logsFixture('node-text');
    const { deps } = await forwarderDeps(`${hec.url}?index=lambda`, { token });

    const summary = await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(summary).toMatchObject({ outcome: 'forwarded', shipped: payload.logEvents.length });
    expectStoredOnce(hec, idsOf(payload));
    expect(hec.requests[0]?.headers).toMatchObject({ authorization: `Splunk ${token}`, 'content-encoding': 'gzip', 'content-type': 'application/json' });
    for (const { item: event } of hec.stored.values()) {
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
    expect([...hec.stored.values()].some(({ item }) => item.fields?.request_id)).toBe(true);
  });

  it('halves a batch HEC refuses as over max_content_length until every request fits', async () => {
    await open({ maxContentLength: 30_000 });
    const payload = manyLines(200);
    const { deps } = await forwarderDeps(hec.url, { token, gzip: false });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(hec.requests.some((r) => r.status === 413)).toBe(true);
    expect(hec.requests.filter((r) => r.status === 200).every((r) => r.bytes <= 30_000)).toBe(true);
    expectStoredOnce(hec, idsOf(payload));
  });

  it('fails fast when the token may not write to the index (400, HEC code 7)', async () => {
    await open({ indexes: ['lambda'] });
    const { deps } = await forwarderDeps(`${hec.url}?index=main`, { token });

    const run = forwardEvent(toSubscriptionEvent(manyLines(10)), deps, lambdaContext().getRemainingTimeInMillis);

    await expect(run).rejects.toThrow(/10 of 10 records not delivered to splunk \(10 refused permanently\): HTTP 400: HEC code 7: Incorrect index/);
    expect(hec.requests).toHaveLength(1);
    expect(hec.stored.size).toBe(0);
  });

  describe('with indexer acknowledgment (?ack=true)', () => {
    it('names one channel on every request and counts a batch stored only once HEC acknowledges its ackId', async () => {
      await open({ ack: { pollsBeforeIndexed: 2 } });
      const payload = manyLines(30);
      const { deps } = await forwarderDeps(`${hec.url}?ack=true`, { token });

      await expect(forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis)).resolves.toMatchObject({ shipped: 30 });

      expectStoredOnce(hec, idsOf(payload));
      expect(hec.ackPolls).toBe(3);
      const channels = new Set(hec.requests.map((request) => request.headers['x-splunk-request-channel'] ?? request.query.get('channel')));
      expect([...channels]).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/)]);
    });

    it('sends a batch again when HEC does not acknowledge it in time, and says so when time runs out', async () => {
      await open({ ack: { pollsBeforeIndexed: Infinity } });
      const { deps } = await forwarderDeps(`${hec.url}?ack=true`, { token, requestTimeoutMs: 700 });

      const run = forwardEvent(toSubscriptionEvent(manyLines(5)), deps, lambdaContext(2_500).getRemainingTimeInMillis);

      await expect(run).rejects.toThrow(/5 of 5 records not delivered to splunk \(0 refused permanently\): HEC did not acknowledge ackId \d+ in time/);
      expect(hec.requests.filter((request) => request.path === '/services/collector/event').length).toBeGreaterThan(1);
    });

    it('refuses for good, and says to add ack=true, when the token acknowledges but LOG_SINK does not ask for it', async () => {
      await open({ ack: { pollsBeforeIndexed: 0 } });
      const { deps } = await forwarderDeps(hec.url, { token });

      await expect(forwardEvent(toSubscriptionEvent(manyLines(3)), deps, lambdaContext().getRemainingTimeInMillis)).rejects.toThrow(/HEC code 10: Data channel is missing \(the token has indexer acknowledgment on: add ack=true to LOG_SINK\)/);
    });
  });
});
