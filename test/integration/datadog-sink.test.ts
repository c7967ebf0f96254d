import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../forwarder/src/errors.js';
import { forwardEvent } from '../../forwarder/src/forward.js';
import { startFakeDatadog, type FakeDatadog, type FakeDatadogOptions } from '../helpers/fake-datadog.js';
import { lambdaContext, logsFixture, payloadOf, toSubscriptionEvent } from '../helpers/fixtures.js';
import { forwarderDeps } from '../helpers/forwarder.js';

const apiKey = 'dd0000000000000000000000000000ab';
const manyLines = (n: number) => payloadOf(Array.from({ length: n }, (_, i) => `line ${i} ${'x'.repeat(200)}\n`));
const idsOf = (payload: { logEvents: Array<{ id: string }> }) => payload.logEvents.map((e) => e.id);

describe('Datadog sink against a loopback logs intake', () => {
  let intake: FakeDatadog;
  const open = async (options: Partial<FakeDatadogOptions> = {}) => (intake = await startFakeDatadog({ apiKey, ...options }));
  afterEach(async () => {
    await intake.close();
  });

  const expectEachStoredOnce = (ids: readonly string[]) => {
    expect(intake.stored.size).toBe(ids.length);
    for (const id of ids) expect(intake.stored.get(id)?.times, id).toBe(1);
  };

  it('accepts every record of a fixture once, as a gzip JSON array of the records with ddsource, ddtags, hostname, service and status', async () => {
    await open();
    const payload = logsFixture('node-text');
    const { deps } = await forwarderDeps(`${intake.url}?tags=team:core,tier:1`, { token: apiKey });

    const summary = await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(summary).toMatchObject({ outcome: 'forwarded', shipped: payload.logEvents.length });
    expectEachStoredOnce(idsOf(payload));
    expect(intake.requests[0]?.headers).toMatchObject({ 'dd-api-key': apiKey, 'content-encoding': 'gzip', 'content-type': 'application/json' });
    for (const { log } of intake.stored.values()) {
      expect(log).toMatchObject({
        ddsource: 'lambda',
        ddtags: 'env:dev,function:auth-service-dev-hello,team:core,tier:1',
        hostname: 'auth-service-dev-hello',
        service: 'auth-service',
        status: (log.log as { level: string }).level,
        faas: { name: 'auth-service-dev-hello' },
        aws: { cloudwatch: { log_group: payload.logGroup } },
      });
      expect(typeof log.message).toBe('string');
      expect(typeof log['@timestamp']).toBe('string');
    }
  });

  it('sends at most 1,000 logs per request', async () => {
    await open();
    const payload = manyLines(2_500);
    const { deps } = await forwarderDeps(intake.url, { token: apiKey });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(intake.requests.map((r) => r.logs).sort((a, b) => b - a)).toEqual([1_000, 1_000, 500]);
    expectEachStoredOnce(idsOf(payload));
  });

  it('halves a batch the intake refuses as too large (413) until every request fits', async () => {
    await open({ maxPayloadBytes: 50_000 });
    const payload = manyLines(300);
    const { deps } = await forwarderDeps(intake.url, { token: apiKey });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(intake.requests.some((r) => r.status === 413)).toBe(true);
    expectEachStoredOnce(idsOf(payload));
  });

  it('retries 408s, 500s and reset connections until every log is accepted once', async () => {
    await open({ faults: [{ kind: 'status', status: 408 }, { kind: 'reset' }, { kind: 'status', status: 500 }, { kind: 'ok' }] });
    const payload = manyLines(50);
    const { deps } = await forwarderDeps(intake.url, { token: apiKey });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(intake.requests.length).toBeGreaterThanOrEqual(3);
    expectEachStoredOnce(idsOf(payload));
  });

  it('waits for the rate limit to reset (429 with X-RateLimit-Reset) before sending again', async () => {
    await open({ faults: [{ kind: 'status', status: 429, headers: { 'x-ratelimit-reset': '4' } }, { kind: 'ok' }] });
    const payload = manyLines(5);
    const waits: number[] = [];
    const { deps } = await forwarderDeps(intake.url, { token: apiKey, sleep: async (ms) => void waits.push(ms) });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(waits).toEqual([4000]);
    expectEachStoredOnce(idsOf(payload));
  });

  it('abandons a request that hangs and keeps the retry only', async () => {
    await open({ faults: [{ kind: 'hang' }, { kind: 'ok' }] });
    const payload = manyLines(20);
    const { deps } = await forwarderDeps(intake.url, { token: apiKey, requestTimeoutMs: 200 });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(intake.requests).toHaveLength(2);
    expectEachStoredOnce(idsOf(payload));
  });

  it('fails fast on an invalid API key (403) and never shows the key', async () => {
    await open();
    const { deps } = await forwarderDeps(intake.url, { token: 'not-the-key-7777' });

    const run = forwardEvent(toSubscriptionEvent(manyLines(10)), deps, lambdaContext().getRemainingTimeInMillis);

    await expect(run).rejects.toThrow(DeliveryError);
    await expect(run).rejects.toThrow(/10 of 10 records not delivered to datadog \(10 refused permanently\): HTTP 403/);
    await expect(run).rejects.not.toThrow(/not-the-key-7777/);
    expect(intake.requests).toHaveLength(1);
  });

  it('fails fast on a 400', async () => {
    await open({ faults: [{ kind: 'status', status: 400, body: '{"errors":["Bad Request"]}' }] });
    const { deps } = await forwarderDeps(intake.url, { token: apiKey });

    await expect(forwardEvent(toSubscriptionEvent(manyLines(10)), deps, lambdaContext().getRemainingTimeInMillis)).rejects.toThrow(
      /10 of 10 records not delivered to datadog \(10 refused permanently\): HTTP 400: \{"errors":\["Bad Request"\]\}/,
    );
    expect(intake.requests).toHaveLength(1);
  });

  it('keeps a log twice when the intake accepted a request whose answer was lost: no dedupe, event.id tells the copies apart', async () => {
    await open({ faults: [{ kind: 'keep-then-reset' }, { kind: 'ok' }] });
    const payload = manyLines(10);
    const { deps } = await forwarderDeps(intake.url, { token: apiKey });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(intake.stored.size).toBe(10);
    expect([...intake.stored.values()].every((entry) => entry.times === 2)).toBe(true);
  });

  it('throws when the intake stays down until the invocation runs out of time', async () => {
    await open({ faults: [{ kind: 'status', status: 503 }] });
    const { deps } = await forwarderDeps(intake.url, { token: apiKey });

    const run = forwardEvent(toSubscriptionEvent(manyLines(10)), deps, lambdaContext(1_500).getRemainingTimeInMillis);

    // The last reason is the 503 or, when the deadline cut the last request short, its timeout.
    await expect(run).rejects.toThrow(/10 of 10 records not delivered to datadog \(0 refused permanently\): (HTTP 503|request timed out)/);
    expect(intake.stored.size).toBe(0);
    expect(intake.requests.length).toBeGreaterThan(1);
  });
});
