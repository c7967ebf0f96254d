// Parking: what a sink did not take goes to the failure queue (or, refused for good, to the
// dead-letter queue) on the local SQS, and the invocation succeeds; it throws only when parking fails.
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../forwarder/src/errors.js';
import { FailureQueue, unpackMessage, type FailureQueueConfig } from '../../forwarder/src/failure-queue.js';
import { forwardEvent } from '../../forwarder/src/forward.js';
import { startSqs, type LocalSqs } from '../../local/sqs/index.js';
import { startCollector } from '../helpers/collector.js';
import { idsOf, lambdaContext, manyLines, payloadOf, toSubscriptionEvent } from '../helpers/fixtures.js';
import { forwarderDeps } from '../helpers/forwarder.js';
import { closedAfterEach, expectStoredOnce, type StoreFault } from '../helpers/loopback-store.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('the failure queue', () => {
  const closeLater = closedAfterEach();

  const setUp = async (faults: StoreFault[], queue: Partial<FailureQueueConfig> & { withDeadLetter?: boolean } = {}) => {
    const sqs: LocalSqs = closeLater(await startSqs({ queues: [{ name: 'dlq' }, { name: 'failures', redrive: { deadLetterQueue: 'dlq', maxReceiveCount: 3 } }] }));
    const store = closeLater(await startCollector(faults));
    const client = new SQSClient({ region: 'us-east-1', endpoint: sqs.endpoint, credentials });
    closeLater({ close: async () => client.destroy() });
    const failureQueue = new FailureQueue(
      {
        failureQueueUrl: sqs.queueUrl('failures'),
        ...(queue.withDeadLetter ? { deadLetterQueueUrl: sqs.queueUrl('dlq') } : {}),
        maxMessageBytes: 256 * 1024,
        ...queue,
      },
      async () => client,
    );
    const { deps, lines } = await forwarderDeps(store.url);
    closeLater(deps.sink);
    return { sqs, store, lines, deps: { ...deps, failureQueue } };
  };
  const attributesOf = (message: { attributes: Record<string, { StringValue?: string }> }) =>
    Object.fromEntries(Object.entries(message.attributes).map(([name, value]) => [name, value.StringValue]));

  it('parks the one record a store refuses for good, delivers the others once, and the invocation succeeds', async () => {
    const { sqs, store, deps, lines } = await setUp([{ kind: 'refuse-record', index: 3 }, { kind: 'ok' }]);
    const payload = manyLines(10);
    const ids = idsOf(payload);

    const summary = await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    expect(summary).toMatchObject({ outcome: 'forwarded', shipped: 9, parked: 1 });
    expectStoredOnce(store, ids.filter((_, index) => index !== 3));
    const [message, ...others] = sqs.remaining('failures');
    expect(others).toEqual([]);
    expect(attributesOf(message!)).toMatchObject({ sink: 'http', failure: 'permanent', reason: 'HTTP 400: line 1: bad record', records: '1', encoding: 'ndjson' });
    expect(unpackMessage(message!.body, 'ndjson').map((line) => (JSON.parse(line) as { event: { id: string } }).event.id)).toEqual([ids[3]]);
    expect(lines.find((line) => line.msg === 'records parked')).toMatchObject({ parked: 1, deadLettered: 0, permanent: 1 });
  });

  it('sends what the store refused for good to the dead-letter queue, and what ran out of time to the failure queue', async () => {
    const { sqs, deps } = await setUp([{ kind: 'status', status: 503 }], { withDeadLetter: true });
    const payload = manyLines(30);

    const summary = await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext(1_500).getRemainingTimeInMillis);

    expect(summary).toMatchObject({ shipped: 0, parked: 30 });
    expect(sqs.remaining('dlq')).toEqual([]);
    const parked = sqs.remaining('failures');
    expect(parked.reduce((sum, message) => sum + unpackMessage(message.body, 'ndjson').length, 0)).toBe(30);
    const attributes = attributesOf(parked[0]!);
    expect(attributes).toMatchObject({ sink: 'http', failure: 'transient', reason: expect.stringMatching(/HTTP 503|request timed out/) });
    expect(Number(attributes.attempts)).toBeGreaterThan(1);
    expect(Date.parse(attributes.firstFailureAt!)).toBeLessThanOrEqual(Date.now());

    const refused = await setUp([{ kind: 'refuse-record', index: 0 }, { kind: 'ok' }], { withDeadLetter: true });
    await forwardEvent(toSubscriptionEvent(manyLines(4)), refused.deps, lambdaContext().getRemainingTimeInMillis);
    expect(refused.sqs.remaining('failures')).toEqual([]);
    expect(refused.sqs.remaining('dlq').map((message) => attributesOf(message).failure)).toEqual(['permanent']);
  });

  it('puts several records in one message, and a record too large for a message alone gzip-compressed', async () => {
    const { sqs, deps } = await setUp([{ kind: 'status', status: 401 }], { maxMessageBytes: 64 * 1024 });
    const payload = payloadOf([...Array.from({ length: 200 }, (_, i) => `line ${i}\n`), `big ${'a b c '.repeat(30_000)}\n`]);

    await forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext().getRemainingTimeInMillis);

    const messages = sqs.remaining('failures');
    const unpacked = messages.flatMap((message) => unpackMessage(message.body, attributesOf(message).encoding));
    expect(unpacked.map((line) => (JSON.parse(line) as { event: { id: string } }).event.id).sort()).toEqual(idsOf(payload).sort());
    expect(messages.map((message) => attributesOf(message).encoding).sort()).toEqual(['ndjson', 'ndjson', 'ndjson+gzip+base64']);
    // What SQS receives carries the attributes with the MD5 the SDK checks.
    const client = new SQSClient({ region: 'us-east-1', endpoint: sqs.endpoint, credentials });
    const received = await client.send(new ReceiveMessageCommand({ QueueUrl: sqs.queueUrl('failures'), MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
    client.destroy();
    expect(received.Messages?.[0]?.MessageAttributes?.sink).toEqual({ DataType: 'String', StringValue: 'http' });
  });

  it('throws a DeliveryError that says parking failed when the failure queue cannot take the records', async () => {
    const { sqs, deps } = await setUp([{ kind: 'status', status: 401 }]);
    const missing = new FailureQueue({ failureQueueUrl: `${sqs.endpoint}/000000000000/nowhere`, maxMessageBytes: 256 * 1024 }, async () => new SQSClient({ region: 'us-east-1', endpoint: sqs.endpoint, credentials }));

    const run = forwardEvent(toSubscriptionEvent(manyLines(3)), { ...deps, failureQueue: missing }, lambdaContext().getRemainingTimeInMillis);

    await expect(run).rejects.toThrow(DeliveryError);
    await expect(run).rejects.toThrow(/^3 of 3 records not delivered to http \(3 refused permanently\): HTTP 401.*; parking them failed: 3 records could not be parked on .*nowhere: QueueDoesNotExist/);
  });
});

describe('the forwarder’s own metrics', () => {
  const closeLater = closedAfterEach();

  it('writes one Embedded Metric Format line per invocation: records in, delivered, parked, refused, bytes, requests, retries, latency', async () => {
    const store = closeLater(await startCollector([{ kind: 'refuse-record', index: 1 }, { kind: 'ok' }]));
    const { deps, lines } = await forwarderDeps(store.url);
    closeLater(deps.sink);
    const parked: unknown[] = [];
    const failureQueue = { deadLettering: true, park: async (records: readonly unknown[]) => (parked.push(...records), { parked: records.length, deadLettered: records.length, messages: 1 }) };

    await forwardEvent(toSubscriptionEvent(manyLines(8)), { ...deps, failureQueue }, lambdaContext().getRemainingTimeInMillis);

    const line = lines.find((entry) => entry.msg === 'metrics') as Record<string, unknown> & { _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> } };
    expect(line._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'LogForwarder', Dimensions: [['Function', 'Sink']] });
    expect(line._aws.CloudWatchMetrics[0]!.Metrics.map((metric) => metric.Name)).toEqual(['RecordsIn', 'Delivered', 'Parked', 'Refused', 'Filtered', 'Truncated', 'DeliveredBytes', 'Requests', 'Retries', 'SinkLatency', 'Duration']);
    expect(line).toMatchObject({ Function: 'log-forwarder-test-forwarder', Sink: 'http', RecordsIn: 8, Delivered: 7, Parked: 1, Refused: 1, Truncated: 0 });
    expect(line.Requests).toBeGreaterThan(1);
    expect(line.DeliveredBytes).toBeGreaterThan(7 * 200);
    expect(parked).toHaveLength(1);
  });
});
