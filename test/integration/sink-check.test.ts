import { beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../forwarder/src/config.js';
import { checkSink } from '../../scripts/sink-check-run.js';
import { startCollector, type Collector } from '../helpers/collector.js';
import { closedAfterEach } from '../helpers/loopback-store.js';

describe('npm run sink:check', () => {
  const closeLater = closedAfterEach();
  let collector: Collector;
  beforeEach(async () => {
    collector = closeLater(await startCollector());
  });

  it('stores one record shaped like a forwarded one and reports the answer', async () => {
    const config = loadConfig({ LOG_SINK: collector.url, LOG_SINK_TOKEN: 'tok', STAGE: 'dev', AWS_REGION: 'eu-west-1' });

    const report = await checkSink(config, new Date('2026-11-23T10:00:00.000Z'));

    expect(report).toMatchObject({ sink: 'http', ok: true, answer: expect.stringMatching(/^HTTP 200/) });
    const stored = collector.stored.get(report.eventId)?.item;
    expect(stored).toMatchObject({
      '@timestamp': '2026-11-23T10:00:00.000Z',
      log: { level: 'info' },
      faas: { name: 'log-forwarder-dev-sink-check', execution: 'sink-check' },
      cloud: { region: 'eu-west-1' },
    });
    expect(collector.requests[0]?.headers.authorization).toBe('Bearer tok');
  });

  it('reports a refusal with the store\'s words and sends only once', async () => {
    collector.setFaults([{ kind: 'status', status: 503, body: 'maintenance' }]);

    const report = await checkSink(loadConfig({ LOG_SINK: collector.url }));

    expect(report.ok).toBe(false);
    expect(report.answer).toBe('retryable failure: HTTP 503: maintenance');
    expect(collector.requests).toHaveLength(1);
  });
});
