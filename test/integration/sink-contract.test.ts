// The contract every HTTP sink keeps, run against each store's loopback fake through the real
// delivery loop (and the failure queue and replay, on the local SQS): the same cases, the same
// fault script, what differs is said per store below. SQLite's cases are in sqlite-sink.test.ts.
// Store-specific behaviour (wire format, limits, authentication schemes) stays in <store>-sink.test.ts.
import { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../forwarder/src/errors.js';
import { FailureQueue } from '../../forwarder/src/failure-queue.js';
import { forwardEvent } from '../../forwarder/src/forward.js';
import { redeliver } from '../../forwarder/src/redeliver.js';
import { SqsEventSource } from '../../local/sqs/event-source.js';
import { startSqs } from '../../local/sqs/index.js';
import type { SinkOptions } from '../../forwarder/src/sinks/types.js';
import { startCollector } from '../helpers/collector.js';
import { startFakeDatadog } from '../helpers/fake-datadog.js';
import { startFakeLoki } from '../helpers/fake-loki.js';
import { startFakeOpenSearch } from '../helpers/fake-opensearch.js';
import { startFakeSplunk } from '../helpers/fake-splunk.js';
import { idsOf, lambdaContext, manyLines, payloadOf, toSubscriptionEvent } from '../helpers/fixtures.js';
import { forwarderDeps } from '../helpers/forwarder.js';
import { closedAfterEach, expectStoredOnce, type LoopbackStore, type StoreFault } from '../helpers/loopback-store.js';

interface StoreUnderTest {
  /** The sink's name, as errors and logs give it. */
  sink: string;
  start(faults: StoreFault[]): Promise<{ store: LoopbackStore<unknown>; location: string }>;
  /** The credentials the store accepts, and the secret of wrong ones that must never show. */
  credentials: { right: SinkOptions; wrong: SinkOptions; wrongLocation?: (location: string) => string; secret: string };
  /** The store's "try again later", and the wait its rate-limit answer asks for. */
  busy: StoreFault;
  rateLimit: { fault: StoreFault; waitMs: number };
  /** `record`: the store refuses one record and keeps the others; `request`: it refuses the whole request, and the sink isolates the record by halves. */
  refuses: 'record' | 'request';
  /** Whether the store drops a record it already has when a request is sent again. */
  dedupes: boolean;
}

const stores: StoreUnderTest[] = [
  {
    sink: 'http',
    start: async (faults) => {
      const store = await startCollector(faults, { token: 'collector-token' });
      return { store, location: store.url };
    },
    credentials: { right: { token: 'collector-token' }, wrong: { token: 'wr0ng-collector-token' }, secret: 'wr0ng-collector-token' },
    busy: { kind: 'status', status: 503 },
    rateLimit: { fault: { kind: 'status', status: 429, headers: { 'retry-after': '2' } }, waitMs: 2_000 },
    refuses: 'request',
    dedupes: false,
  },
  {
    sink: 'datadog',
    start: async (faults) => {
      const store = await startFakeDatadog({ apiKey: 'dd0000000000000000000000000000ab', faults });
      return { store, location: store.url };
    },
    credentials: { right: { token: 'dd0000000000000000000000000000ab' }, wrong: { token: 'not-the-key-7777' }, secret: 'not-the-key-7777' },
    busy: { kind: 'status', status: 503 },
    rateLimit: { fault: { kind: 'status', status: 429, headers: { 'x-ratelimit-reset': '4' } }, waitMs: 4_000 },
    refuses: 'request',
    dedupes: false,
  },
  {
    sink: 'splunk',
    start: async (faults) => {
      const store = await startFakeSplunk({ token: 'hec-token-1', faults });
      return { store, location: store.url };
    },
    credentials: { right: { token: 'hec-token-1' }, wrong: { token: 'wrong-token-4242' }, secret: 'wrong-token-4242' },
    busy: { kind: 'status', status: 503, body: '{"text":"Server is busy","code":9}' },
    rateLimit: { fault: { kind: 'status', status: 429, headers: { 'retry-after': '2' } }, waitMs: 2_000 },
    refuses: 'record',
    dedupes: false,
  },
  {
    sink: 'loki',
    start: async (faults) => {
      const store = await startFakeLoki({ faults, authorization: `Basic ${Buffer.from('loki-user:s3cret').toString('base64')}` });
      return { store, location: store.url.replace('//', '//loki-user@') };
    },
    credentials: {
      right: { password: 's3cret' },
      wrong: {},
      wrongLocation: (location) => location.replace('//loki-user@', '//loki-user:wr0ng-pass@'),
      secret: 'wr0ng-pass',
    },
    busy: { kind: 'status', status: 503 },
    rateLimit: { fault: { kind: 'status', status: 429, headers: { 'retry-after': '3' }, body: 'Ingestion rate limit exceeded' }, waitMs: 3_000 },
    refuses: 'record',
    dedupes: true,
  },
  {
    sink: 'opensearch',
    start: async (faults) => {
      const store = await startFakeOpenSearch({ faults, basicAuth: { username: 'writer', password: 's3cr:et' } });
      return { store, location: `opensearch+${store.url.replace('//', '//writer@')}?index=logs` };
    },
    credentials: {
      right: { password: 's3cr:et' },
      wrong: {},
      wrongLocation: (location) => location.replace('//writer@', '//writer:hunter2@'),
      secret: 'hunter2',
    },
    busy: { kind: 'status', status: 503 },
    rateLimit: { fault: { kind: 'status', status: 429, headers: { 'retry-after': '2' } }, waitMs: 2_000 },
    refuses: 'record',
    dedupes: true,
  },
];

describe.each(stores)('the $sink sink keeps the sink contract', (spec) => {
  let store: LoopbackStore<unknown>;
  let location: string;
  const closeLater = closedAfterEach();
  const open = async (faults: StoreFault[] = [{ kind: 'ok' }]) => {
    ({ store, location } = await spec.start(faults));
    closeLater(store);
  };
  const forward = async (payload: unknown, options: Parameters<typeof forwarderDeps>[1] = {}, budgetMs?: number, credentials = spec.credentials.right) => {
    const { deps, lines } = await forwarderDeps(location, { ...credentials, ...options });
    closeLater(deps.sink);
    const run = forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext(budgetMs).getRemainingTimeInMillis);
    run.catch(() => undefined);
    return { run, lines };
  };

  it('accepts: stores every record once, one request per batch, each answered 2xx', async () => {
    await open();
    const payload = manyLines(50);

    const { run } = await forward(payload);

    await expect(run).resolves.toMatchObject({ outcome: 'forwarded', events: 50, shipped: 50 });
    expectStoredOnce(store, idsOf(payload));
    expect(store.requests.map((request) => request.status >= 200 && request.status < 300)).toEqual([true]);
  });

  it('retries transient answers (busy, 500, reset connection) until every record is stored once', async () => {
    await open([spec.busy, { kind: 'reset' }, { kind: 'status', status: 500 }, { kind: 'ok' }]);
    const payload = manyLines(30);

    await (await forward(payload)).run;

    expect(store.requests.map((request) => request.status)).toEqual([503, 0, 500, expect.any(Number)]);
    expectStoredOnce(store, idsOf(payload));
  });

  it('waits as long as the rate limit asks before sending again', async () => {
    await open([spec.rateLimit.fault, { kind: 'ok' }]);
    const payload = manyLines(5);
    const waits: number[] = [];

    await (await forward(payload, { sleep: async (ms) => void waits.push(ms) })).run;

    expect(waits).toEqual([spec.rateLimit.waitMs]);
    expectStoredOnce(store, idsOf(payload));
  });

  it('refuses a single record for good: reports it permanent in the store’s words, sends it once and throws so nothing is lost', async () => {
    await open([{ kind: 'refuse-record', index: 0 }, { kind: 'ok' }]);
    const payload = manyLines(1);

    const { run, lines } = await forward(payload);

    await expect(run).rejects.toThrow(DeliveryError);
    await expect(run).rejects.toThrow(new RegExp(`^1 of 1 records not delivered to ${spec.sink} \\(1 refused permanently\\): (HTTP|item) 400`));
    expect(store.requests).toHaveLength(1);
    expect(store.stored.size).toBe(0);
    expect(lines.find((line) => line.msg === 'records not delivered')).toMatchObject({ undelivered: 1, permanent: 1 });
  });

  it(`answers part of a request: the other records are stored once${spec.refuses === 'request' ? ', found by sending halves' : ''}, the refused one is reported permanent`, async () => {
    await open([{ kind: 'refuse-record', index: 3 }, { kind: 'ok' }]);
    const payload = manyLines(10);
    const ids = idsOf(payload);

    const { run } = await forward(payload);

    await expect(run).rejects.toThrow(new RegExp(`^1 of 10 records not delivered to ${spec.sink} \\(1 refused permanently\\)`));
    expectStoredOnce(store, ids.filter((_, index) => index !== 3));
    // Halving 10 records down to the refused one: at most 2·⌈log2 10⌉ requests after the first.
    expect(store.requests.length).toBeLessThanOrEqual(spec.refuses === 'record' ? 2 : 1 + 2 * Math.ceil(Math.log2(10)));
  });

  it.each(['keep-then-hang', 'keep-then-reset'] as const)(
    `sends again when the answer is lost after the store kept the request (%s): ${spec.dedupes ? 'the store drops the copies' : 'the store has no dedupe, and event.id tells the copies apart'}`,
    async (kind) => {
      await open([{ kind }, { kind: 'ok' }]);
      const payload = manyLines(20);

      await (await forward(payload, { requestTimeoutMs: 200 })).run;

      expect(store.requests).toHaveLength(2);
      if (spec.dedupes) expectStoredOnce(store, idsOf(payload));
      else expect(idsOf(payload).map((id) => store.stored.get(id)?.times)).toEqual(idsOf(payload).map(() => 2));
    },
  );

  it('abandons a request that gets no answer and stores the retry once', async () => {
    await open([{ kind: 'hang' }, { kind: 'ok' }]);
    const payload = manyLines(15);

    await (await forward(payload, { requestTimeoutMs: 200 })).run;

    expect(store.requests).toHaveLength(2);
    expectStoredOnce(store, idsOf(payload));
  });

  it('halves a batch refused as too large (413) until it fits', async () => {
    await open([{ kind: 'status', status: 413 }, { kind: 'ok' }]);
    const payload = manyLines(40);

    await (await forward(payload)).run;

    expect(store.requests.map((request) => request.ids.length)).toEqual([40, 20, 20]);
    expectStoredOnce(store, idsOf(payload));
  });

  it('stores an oversize record once, its message cut to the sink’s limit with a visible marker', async () => {
    await open();
    const payload = payloadOf(['small\n', `big ${'z'.repeat(600 * 1024)}\n`]);

    const { run } = await forward(payload);

    await expect(run).resolves.toMatchObject({ shipped: 2, truncated: 1 });
    expectStoredOnce(store, idsOf(payload));
    const { deps } = await forwarderDeps(location, spec.credentials.right);
    expect(store.requests[0]!.bodyBytes).toBeLessThan(deps.sink.limits.maxMessageBytes + 64 * 1024);
    await deps.sink.close();
  });

  it('stores an oversize structured record once, its largest app values cut to the record limit', async () => {
    await open();
    const fields = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`blob${i}`, `${i}`.repeat(60_000 + i * 1_000)]));
    const payload = payloadOf([JSON.stringify({ level: 'info', msg: 'big structured line', ...fields, small: 'kept' })]);
    const maxRecordBytes = 200_000;

    const { run } = await forward(payload, { limits: { maxRecordBytes } });

    await expect(run).resolves.toMatchObject({ shipped: 1, truncated: 1 });
    expectStoredOnce(store, idsOf(payload));
    // The limit is the record's, with what the sink adds to it; a request adds its own envelope (Loki's stream labels).
    expect(store.requests[0]!.bodyBytes).toBeLessThanOrEqual(maxRecordBytes + 1_024);
  });

  it('refuses wrong credentials once, for good, and never shows them', async () => {
    await open();
    location = spec.credentials.wrongLocation?.(location) ?? location;

    const { run } = await forward(manyLines(10), {}, undefined, spec.credentials.wrong);

    await expect(run).rejects.toThrow(new RegExp(`^10 of 10 records not delivered to ${spec.sink} \\(10 refused permanently\\): HTTP 40[13]`));
    await expect(run).rejects.toThrow(expect.objectContaining({ message: expect.not.stringContaining(spec.credentials.secret) }));
    expect(store.requests).toHaveLength(1);
  });

  it('throws when the store stays busy until the invocation runs out of time, and stores nothing', async () => {
    await open([spec.busy]);

    const { run } = await forward(manyLines(10), {}, 1_500);

    // The last attempt may be cut short by the deadline itself, so its reason is not always the store's.
    await expect(run).rejects.toThrow(new RegExp(`^10 of 10 records not delivered to ${spec.sink} \\(0 refused permanently\\): (HTTP 503|request timed out)`));
    expect(store.stored.size).toBe(0);
    expect(store.requests.length).toBeGreaterThan(1);
  });

  it('parks every record while the store is down for the whole invocation, and the replay delivers each once when it is back', async () => {
    await open([spec.busy]);
    const sqs = closeLater(await startSqs({ queues: [{ name: 'dead-letters' }, { name: 'parked', visibilityTimeoutSeconds: 0 }] }));
    const client = new SQSClient({ region: 'us-east-1', endpoint: sqs.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    closeLater({ close: async () => client.destroy() });
    const failureQueue = new FailureQueue({ failureQueueUrl: sqs.queueUrl('parked'), deadLetterQueueUrl: sqs.queueUrl('dead-letters'), maxMessageBytes: 256 * 1024 }, async () => client);
    const { deps } = await forwarderDeps(location, spec.credentials.right);
    closeLater(deps.sink);
    const payload = manyLines(20);

    await expect(forwardEvent(toSubscriptionEvent(payload), { ...deps, failureQueue }, lambdaContext(1_500).getRemainingTimeInMillis)).resolves.toMatchObject({ shipped: 0, parked: 20 });
    expect(store.stored.size).toBe(0);
    store.setFaults([{ kind: 'ok' }]);
    const source = new SqsEventSource({
      queues: sqs.queues,
      queue: 'parked',
      region: 'us-east-1',
      batchSize: 10,
      invoke: async (event) => redeliver(event.Records, { ...deps, failureQueue }, lambdaContext().getRemainingTimeInMillis).then(({ batchItemFailures }) => ({ batchItemFailures })),
    });
    while ((await source.pollOnce()).received > 0);

    expectStoredOnce(store, idsOf(payload));
    expect([...sqs.remaining('parked'), ...sqs.remaining('dead-letters')]).toEqual([]);
  });

  it('throws when nothing listens at the store’s address, every record still undelivered', async () => {
    await open();
    await store.close();

    const { run } = await forward(manyLines(3), {}, 1_300);

    await expect(run).rejects.toThrow(new RegExp(`^3 of 3 records not delivered to ${spec.sink} \\(0 refused permanently\\): (ECONNREFUSED|connection error|request timed out)`));
  });
});
