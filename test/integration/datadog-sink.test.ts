import { describe, expect, it } from 'vitest';
import { forwardEvent } from '../../forwarder/src/forward.js';
import { startFakeDatadog, type FakeDatadog, type FakeDatadogOptions } from '../helpers/fake-datadog.js';
import { idsOf, lambdaContext, logsFixture, manyLines, toSubscriptionEvent } from '../helpers/fixtures.js';
import { forwarderDeps } from '../helpers/forwarder.js';
import { closedAfterEach, expectStoredOnce } from '../helpers/loopback-store.js';

const apiKey = 'dd0000000000000000000000000000ab';

describe('Datadog sink against a loopback logs intake', () => {
  const closeLater = closedAfterEach();
  let intake: FakeDatadog;
  const open = async (options: Partial<FakeDatadogOptions> = {}) => (intake = closeLater(await startFakeDatadog({ apiKey, ...options })));

  it('accepts every record of a fixture once, as a gzip JSON array of the records with ddsource, ddtags, hostname, service and status', async () => {
    await open();
    const payload = logsFixture('node-text');
    const { deps } = await forwarderDeps(`${intake.url}?tags=team:core,tier:1`, { token: apiKey });

    const summary = await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(summary).toMatchObject({ outcome: 'forwarded', shipped: payload.logEvents.length });
    expectStoredOnce(intake, idsOf(payload));
    expect(intake.requests[0]?.headers).toMatchObject({ 'dd-api-key': apiKey, 'content-encoding': 'gzip', 'content-type': 'application/json' });
    for (const { item: log } of intake.stored.values()) {
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

    expect(intake.requests.map((r) => r.ids.length).sort((a, b) => b - a)).toEqual([1_000, 1_000, 500]);
    expectStoredOnce(intake, idsOf(payload));
  });

  it('halves a batch the intake refuses as too large (413) until every request fits', async () => {
    await open({ maxPayloadBytes: 50_000 });
    const payload = manyLines(300);
    const { deps } = await forwarderDeps(intake.url, { token: apiKey });

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(intake.requests.some((r) => r.status === 413)).toBe(true);
    expectStoredOnce(intake, idsOf(payload));
  });
});
