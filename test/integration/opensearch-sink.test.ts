import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { forwardEvent } from '../../forwarder/src/forward.js';
import type { Sink } from '../../forwarder/src/sinks/types.js';
import { createSearchClient } from '../../forwarder/src/sinks/opensearch/client.js';
import { searchSinkConfig } from '../../forwarder/src/sinks/opensearch/config.js';
import { installIndexTemplate, detectAppField, planFor, parseTemplateArgs, runTemplate } from '../../scripts/opensearch-template.js';
import { startFakeOpenSearch, type FakeOpenSearch, type FakeOpenSearchOptions } from '../helpers/fake-opensearch.js';
import { idsOf, lambdaContext, logsFixture, manyLines, payloadOf, toSubscriptionEvent } from '../helpers/fixtures.js';
import { forwarderDeps } from '../helpers/forwarder.js';
import { expectStoredOnce } from '../helpers/loopback-store.js';

const fixtures = ['node-text', 'python-text', 'pino', 'json-format', 'powertools', 'platform-text', 'multiline', 'plain-text'];

describe('OpenSearch sink against a loopback cluster', () => {
  let cluster: FakeOpenSearch;
  const sinks: Sink[] = [];
  /** Forwarder dependencies whose sink (and its client) is closed after the test. */
  const depsFor = async (...args: Parameters<typeof forwarderDeps>) => {
    const made = await forwarderDeps(...args);
    sinks.push(made.deps.sink);
    return made;
  };
  const start = async (options: FakeOpenSearchOptions = {}) => {
    await cluster.close();
    cluster = await startFakeOpenSearch(options);
  };
  beforeEach(async () => {
    cluster = await startFakeOpenSearch();
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await Promise.all(sinks.splice(0).map((sink) => sink.close()));
    await cluster.close();
  });

  const sinkUrl = (query = 'index=logs-%25Y.%25m.%25d', scheme = 'opensearch') => `${scheme}+${cluster.url}?${query}`;
  const forward = async (payload: unknown, deps: Awaited<ReturnType<typeof depsFor>>['deps'], budgetMs?: number) =>
    forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext(budgetMs).getRemainingTimeInMillis);

  it('stores every record of every fixture once, in the daily index of its @timestamp, as gzip NDJSON create actions', async () => {
    const { deps } = await depsFor(sinkUrl());
    const ids: string[] = [];

    for (const variant of fixtures) {
      const payload = logsFixture(variant);
      ids.push(...idsOf(payload));
      await forward(payload, deps);
    }

    expectStoredOnce(cluster, ids);
    for (const { item: doc } of cluster.stored.values()) {
      const timestamp = doc.source['@timestamp'] as string;
      expect(doc.index).toBe(`logs-${timestamp.slice(0, 4)}.${timestamp.slice(5, 7)}.${timestamp.slice(8, 10)}`);
      expect((doc.source.event as { id: string }).id).toBe(doc.id);
    }
    for (const request of cluster.requests) {
      expect(request).toMatchObject({ method: 'POST', path: '/_bulk' });
      expect(request.query.get('filter_path')).toContain('items.*.status');
      expect(request.headers).toMatchObject({ 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' });
      expect(request.bytes).toBeLessThan(request.bodyBytes);
    }
    expect([...cluster.actionCounts.keys()]).toEqual(['create']);
  });

  it('sends plain NDJSON when gzip is off, behind a path prefix', async () => {
    await start({ prefix: '/search' });
    const payload = manyLines(10);
    const { deps } = await depsFor(sinkUrl('index=lambda'), { gzip: false });

    await forward(payload, deps);

    expectStoredOnce(cluster, idsOf(payload));
    expect(cluster.requests[0]?.path).toBe('/search/_bulk');
    expect(cluster.requests[0]?.headers['content-encoding']).toBeUndefined();
    expect([...cluster.stored.values()].every(({ item }) => item.index === 'lambda')).toBe(true);
  });

  it('stores a redelivered event once: the repeated creates answer 409 and count as delivered', async () => {
    const payload = logsFixture('node-text');
    const { deps } = await depsFor(sinkUrl());
    await forward(payload, deps);

    const again = await forward(payload, deps);

    expect(again.shipped).toBe(payload.logEvents.length);
    expect(cluster.conflicts).toBe(payload.logEvents.length);
    expectStoredOnce(cluster, idsOf(payload));
  });

  it('retries only the bulk items that failed with 429 or 503, until each is stored once', async () => {
    const payload = manyLines(30);
    const ids = idsOf(payload);
    cluster.failItems({ ids: ids.slice(0, 3), status: 429, type: 'es_rejected_execution_exception', attempts: 1 });
    cluster.failItems({ ids: ids.slice(10, 12), status: 503, type: 'unavailable_shards_exception', attempts: 2 });
    const { deps } = await depsFor(sinkUrl());

    await forward(payload, deps);

    expectStoredOnce(cluster, ids);
    const sent = cluster.requests.map((r) => r.ids);
    expect(sent[0]).toHaveLength(30);
    expect(new Set(sent[1])).toEqual(new Set([...ids.slice(0, 3), ...ids.slice(10, 12)]));
    expect(new Set(sent[2])).toEqual(new Set(ids.slice(10, 12)));
    expect(sent).toHaveLength(3);
  });

  it('halves a batch the cluster refuses with 413 until it fits', async () => {
    const payload = manyLines(40);
    const { deps } = await depsFor(sinkUrl());
    await forward(payload, deps);
    const whole = cluster.requests[0]!.bodyBytes;
    // Room for half of the records, not for all of them.
    await start({ maxContentLength: Math.ceil(whole * 0.6) });
    const { deps: limited } = await depsFor(sinkUrl());

    await forward(payload, limited);

    expect(cluster.requests.map((r) => r.ids.length)).toEqual([40, 20, 20]);
    expect(cluster.requests.map((r) => r.bodyBytes > whole * 0.6)).toEqual([true, false, false]);
    expectStoredOnce(cluster, idsOf(payload));
  });

  describe('authentication', () => {
    it('sends the URL user with the password of the secret as basic auth', async () => {
      await start({ basicAuth: { username: 'writer', password: 's3cr:et' } });
      const payload = manyLines(3);
      const { deps } = await depsFor(sinkUrl().replace('//', '//writer@'), { password: 's3cr:et' });

      await forward(payload, deps);

      expectStoredOnce(cluster, idsOf(payload));
      expect(cluster.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('writer:s3cr:et').toString('base64')}`);
    });

    it('sends LOG_SINK_TOKEN as an Elasticsearch API key', async () => {
      await start({ authorization: 'ApiKey aWQ6a2V5' });
      const payload = manyLines(3);
      const { deps } = await depsFor(sinkUrl(undefined, 'elasticsearch'), { token: 'aWQ6a2V5' });

      const summary = await forward(payload, deps);

      expect(summary.shipped).toBe(3);
      expectStoredOnce(cluster, idsOf(payload));
    });

    it('signs gzip bulk requests with SigV4 from the default credential chain', async () => {
      const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token' };
      vi.stubEnv('AWS_ACCESS_KEY_ID', credentials.accessKeyId);
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey);
      vi.stubEnv('AWS_SESSION_TOKEN', credentials.sessionToken);
      await start({ sigv4: { ...credentials, region: 'eu-west-1', service: 'es' } });
      const payload = logsFixture('powertools');
      const { deps } = await depsFor(sinkUrl('index=logs-%25Y.%25m.%25d&aws=es&region=eu-west-1'));

      await forward(payload, deps);

      expectStoredOnce(cluster, idsOf(payload));
      const headers = cluster.requests[0]!.headers;
      expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/es\/aws4_request, SignedHeaders=\S*host\S*, Signature=[0-9a-f]{64}$/);
      expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
      expect(headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
      expect(headers['x-amz-security-token']).toBe('session-token');
      expect(headers['content-encoding']).toBe('gzip');
    });

    it('fails fast when a SigV4 signature does not match', async () => {
      vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'not-the-key');
      vi.stubEnv('AWS_SESSION_TOKEN', '');
      await start({ sigv4: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'the-key', region: 'eu-west-1', service: 'aoss' } });
      const { deps } = await depsFor(sinkUrl('index=logs&aws=aoss&region=eu-west-1'));

      await expect(forward(manyLines(2), deps)).rejects.toThrow(/HTTP 403: .*The request signature we calculated does not match the signature you provided/);
      expect(cluster.requests).toHaveLength(1);
    });
  });
});

describe('index template installation', () => {
  let cluster: FakeOpenSearch;
  afterEach(async () => {
    await cluster.close();
  });

  const connect = async (options: FakeOpenSearchOptions) => {
    cluster = await startFakeOpenSearch(options);
    const config = searchSinkConfig(`opensearch+${cluster.url}?index=logs-%Y.%m.%d`);
    return { config, client: await createSearchClient(config) };
  };

  it('installs a composable template with flat_object for app on OpenSearch ≥ 2.7', async () => {
    const { config, client } = await connect({ info: { version: { distribution: 'opensearch', number: '2.19.0' } } });

    const plan = planFor(config, parseTemplateArgs([]), await detectAppField(client));
    const kind = await installIndexTemplate(client, plan);
    await client.close();

    expect(kind).toBe('composable');
    expect(cluster.templates.get('log-forwarder-logs')).toMatchObject({
      kind: 'composable',
      body: { index_patterns: ['logs-*.*.*'], template: { mappings: { properties: { app: { type: 'flat_object' } } } } },
    });
  });

  it('falls back to a legacy template where composable ones have no handler', async () => {
    const { config, client } = await connect({ info: { version: { number: '7.5.2', build_flavor: 'default' } }, legacyTemplatesOnly: true });

    const kind = await installIndexTemplate(client, planFor(config, parseTemplateArgs([]), await detectAppField(client)));
    await client.close();

    expect(kind).toBe('legacy');
    expect(cluster.templates.get('log-forwarder-logs')).toMatchObject({
      kind: 'legacy',
      body: { order: 200, mappings: { properties: { app: { type: 'flattened' } } } },
    });
  });

  it('runs from LOG_SINK and says when today’s index exists already', async () => {
    cluster = await startFakeOpenSearch({ basicAuth: { username: 'admin', password: 'pw' } });
    const sink = `opensearch+${cluster.url.replace('//', '//admin:pw@')}?index=logs-%Y.%m.%d`;
    const { deps } = await forwarderDeps(sink);
    await forwardEvent(toSubscriptionEvent(payloadOf(['hello\n'], { startTime: Date.UTC(2026, 10, 23, 10) })), deps, lambdaContext().getRemainingTimeInMillis);
    await deps.sink.close();

    const output = await runTemplate({ LOG_SINK: sink }, parseTemplateArgs(['--name', 'lambda-logs']), new Date('2026-11-23T12:00:00Z'));

    expect(output).toMatch(/^installed index template lambda-logs on http:\/\/127\.0\.0\.1:\d+\n/);
    expect(output).toContain('indices: logs-*.*.* (LOG_SINK index logs-%Y.%m.%d)');
    expect(output).toContain('app:     mapped as flat_object');
    expect(output).toContain('logs-2026.11.23 exists already');
    expect(output).not.toContain('pw');
    expect(cluster.templates.has('lambda-logs')).toBe(true);
  });
});
