// The replay function against the local SQS and its event source: parked records are delivered
// once when the store is back, what the store refuses for good goes to the dead-letter queue, a
// message that makes no progress stays for SQS to redrive, and nothing delivered is sent twice.
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { FailureQueue, unpackMessage } from '../../forwarder/src/failure-queue.js';
import { forwardEvent } from '../../forwarder/src/forward.js';
import { redeliver } from '../../forwarder/src/redeliver.js';
import { SqsEventSource } from '../../local/sqs/event-source.js';
import { startSqs } from '../../local/sqs/index.js';
import { startCollector } from '../helpers/collector.js';
import { idsOf, lambdaContext, manyLines, toSubscriptionEvent } from '../helpers/fixtures.js';
import { forwarderDeps } from '../helpers/forwarder.js';
import { closedAfterEach, expectStoredOnce, type StoreFault } from '../helpers/loopback-store.js';
import { eventId, preparedRecord } from '../helpers/records.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('the replay function', () => {
  const closeLater = closedAfterEach();

  /** A forwarder and a replay function sharing one sink, one failure queue and one dead-letter queue. */
  const setUp = async (faults: StoreFault[], options: { maxBatchRecords?: number } = {}) => {
    const sqs = closeLater(await startSqs({ queues: [{ name: 'dead-letters' }, { name: 'parked', visibilityTimeoutSeconds: 0, redrive: { deadLetterQueue: 'dead-letters', maxReceiveCount: 2 } }] }));
    const store = closeLater(await startCollector(faults));
    const client = new SQSClient({ region: 'us-east-1', endpoint: sqs.endpoint, credentials });
    closeLater({ close: async () => client.destroy() });
    const failureQueue = new FailureQueue({ failureQueueUrl: sqs.queueUrl('parked'), deadLetterQueueUrl: sqs.queueUrl('dead-letters'), maxMessageBytes: 256 * 1024 }, async () => client);
    const made = await forwarderDeps(store.url, { ...(options.maxBatchRecords ? { limits: { maxBatchRecords: options.maxBatchRecords } } : {}) });
    closeLater(made.deps.sink);
    const deps = { ...made.deps, delivery: { ...made.deps.delivery, concurrency: 1 }, failureQueue };
    const answers: unknown[] = [];
    const source = new SqsEventSource({
      queues: sqs.queues,
      queue: 'parked',
      region: 'us-east-1',
      batchSize: 10,
      invoke: async (event: SQSEvent) => {
        const { batchItemFailures } = await redeliver(event.Records, deps, lambdaContext(1_500).getRemainingTimeInMillis);
        answers.push({ batchItemFailures });
        return { batchItemFailures };
      },
    });
    const park = async (payload: ReturnType<typeof manyLines>) =>
      forwardEvent(toSubscriptionEvent(payload), deps, lambdaContext(1_200).getRemainingTimeInMillis);
    return { sqs, store, deps, source, park, answers, lines: made.lines };
  };

  it('delivers every parked record once when the store is back, and empties the queue', async () => {
    const { sqs, store, source, park } = await setUp([{ kind: 'status', status: 503 }]);
    const payload = manyLines(30);
    await expect(park(payload)).resolves.toMatchObject({ parked: 30 });
    store.setFaults([{ kind: 'ok' }]);

    await expect(source.pollOnce()).resolves.toEqual({ received: 1, deleted: 1, failed: 0 });

    expectStoredOnce(store, idsOf(payload));
    expect(sqs.remaining('parked')).toEqual([]);
    expect(sqs.remaining('dead-letters')).toEqual([]);
  });

  it('sends a record the store now refuses for good to the dead-letter queue and delivers the others', async () => {
    const { sqs, store, source, park } = await setUp([{ kind: 'status', status: 503 }]);
    const payload = manyLines(10);
    await park(payload);
    store.setFaults([{ kind: 'refuse-record', index: 6 }, { kind: 'ok' }]);

    await expect(source.pollOnce()).resolves.toMatchObject({ deleted: 1, failed: 0 });

    const ids = idsOf(payload);
    expectStoredOnce(store, ids.filter((_, index) => index !== 6));
    expect(sqs.remaining('parked')).toEqual([]);
    const [dead] = sqs.remaining('dead-letters');
    expect(dead?.attributes.failure?.StringValue).toBe('permanent');
    expect(unpackMessage(dead!.body, 'ndjson').map((line) => (JSON.parse(line) as { event: { id: string } }).event.id)).toEqual([ids[6]]);
  });

  it('leaves a message that made no progress on the queue, and SQS redrives it after maxReceiveCount receives', async () => {
    const { sqs, source, park, answers } = await setUp([{ kind: 'status', status: 503 }]);
    await park(manyLines(5));
    const [parked] = sqs.remaining('parked');

    await expect(source.pollOnce()).resolves.toMatchObject({ received: 1, failed: 1 });
    await expect(source.pollOnce()).resolves.toMatchObject({ received: 1, failed: 1 });
    await expect(source.pollOnce()).resolves.toEqual({ received: 0, deleted: 0, failed: 0 });

    expect(answers).toEqual([{ batchItemFailures: [{ itemIdentifier: parked!.messageId }] }, { batchItemFailures: [{ itemIdentifier: parked!.messageId }] }]);
    expect(sqs.remaining('parked')).toEqual([]);
    expect(sqs.remaining('dead-letters').map((message) => message.messageId)).toEqual([parked!.messageId]);
  });

  it('parks again only what is left of a message that made progress, so nothing delivered is sent twice', async () => {
    const { sqs, store, source, deps } = await setUp([{ kind: 'ok' }, { kind: 'status', status: 503 }], { maxBatchRecords: 5 });
    // One parked message of ten records, as the forwarder writes it.
    const records = Array.from({ length: 10 }, (_, n) => preparedRecord(eventId(n + 1)));
    await deps.failureQueue.park(records.map((record) => ({ record, reason: 'HTTP 503', permanent: false, attempts: 3, firstFailureAt: Date.UTC(2026, 11, 3) })), 'http');
    const [before] = sqs.remaining('parked');

    await expect(source.pollOnce()).resolves.toMatchObject({ received: 1, deleted: 1, failed: 0 });

    const ids = records.map((record) => record.id);
    expectStoredOnce(store, ids.slice(0, 5));
    const [after, ...more] = sqs.remaining('parked');
    expect(more).toEqual([]);
    expect(after!.messageId).not.toBe(before!.messageId);
    expect(unpackMessage(after!.body, 'ndjson').map((line) => (JSON.parse(line) as { event: { id: string } }).event.id)).toEqual(ids.slice(5));
    expect(Number(after!.attributes.attempts?.StringValue)).toBeGreaterThan(3);
    expect(after!.attributes.firstFailureAt?.StringValue).toBe('2026-12-03T00:00:00.000Z');
  });

  it('reports a message it cannot read, or whose lines are no records, with the reason in its log, and delivers the rest of the batch', async () => {
    const { sqs, store, source, park, lines } = await setUp([{ kind: 'status', status: 503 }]);
    const payload = manyLines(3);
    await park(payload);
    const junk = sqs.send('parked', 'not a parked record');
    const partial = sqs.send('parked', '{"event":{"id":"x"}}');
    store.setFaults([{ kind: 'ok' }]);

    await expect(source.pollOnce()).resolves.toEqual({ received: 3, deleted: 1, failed: 2 });

    expectStoredOnce(store, idsOf(payload));
    expect(sqs.remaining('parked').map((message) => message.messageId)).toEqual([junk, partial]);
    expect(lines.find((line) => line.messageId === partial)).toMatchObject({ reason: 'line 1 lacks @timestamp, message, log.level or aws.cloudwatch.log_group: not a record the forwarder parked' });
    expect(lines.find((line) => String(line.msg).startsWith('parked message unreadable'))).toMatchObject({ messageId: junk, reason: 'line 1 is not JSON' });
  });
});
