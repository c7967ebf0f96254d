// The replay function's work: records parked on the failure queue go to the sink again through
// the same delivery loop, and the SQS event source learns which messages are still undelivered.
import type { SQSBatchItemFailure, SQSRecord } from 'aws-lambda';
import { Delivery, type UndeliveredRecord } from './deliver.js';
import { unpackMessage } from './failure-queue.js';
import type { ForwardDependencies } from './forward.js';
import { deliveryMetrics, emfFields } from './metrics.js';
import { PreparedRecord } from './record.js';

export interface RedeliverySummary {
  messages: number;
  records: number;
  delivered: number;
  /** Records parked again: refused for good (to the dead-letter queue), or the rest of a message partly delivered. */
  parked: number;
  /** Messages left on the queue for SQS to deliver again (and, after maxReceiveCount, to move to the dead-letter queue). */
  failedMessages: number;
}

interface ParkedMessage {
  messageId: string;
  records: PreparedRecord[];
  attempts: number;
  firstFailureAt: number;
}

const attribute = (record: SQSRecord, name: string): string | undefined => record.messageAttributes?.[name]?.stringValue;

/** Reads a parked message's records; throws with the reason when it is not one the forwarder wrote. */
export function readParkedMessage(record: SQSRecord): ParkedMessage {
  const lines = unpackMessage(record.body, attribute(record, 'encoding'));
  const records = lines.map((json, index): PreparedRecord => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new Error(`line ${index + 1} is not JSON`);
    }
    const record = parsed as { event?: { id?: unknown }; '@timestamp'?: unknown; message?: unknown; log?: { level?: unknown }; aws?: { cloudwatch?: { log_group?: unknown } } } | null;
    const id = record?.event?.id;
    if (typeof id !== 'string' || id === '') throw new Error(`line ${index + 1} has no event.id: not a record the forwarder parked`);
    // What every sink's encoder reads: a record without it would fail the whole batch it travels in.
    if (typeof record?.['@timestamp'] !== 'string' || typeof record.message !== 'string' || typeof record.log?.level !== 'string' || typeof record.aws?.cloudwatch?.log_group !== 'string') {
      throw new Error(`line ${index + 1} lacks @timestamp, message, log.level or aws.cloudwatch.log_group: not a record the forwarder parked`);
    }
    return PreparedRecord.fromJson(id, parsed as PreparedRecord['record'], json);
  });
  const attempts = Number(attribute(record, 'attempts') ?? 0);
  const firstFailureAt = Date.parse(attribute(record, 'firstFailureAt') ?? '');
  return {
    messageId: record.messageId,
    records,
    attempts: Number.isFinite(attempts) ? attempts : 0,
    firstFailureAt: Number.isNaN(firstFailureAt) ? Number(record.attributes.SentTimestamp) : firstFailureAt,
  };
}

/**
 * Sends every record of `messages` to the sink once more. A message is done when each of its
 * records is delivered, or parked again: refused for good (the dead-letter queue takes it when
 * one is configured), or left over from a message whose other records were delivered, so those
 * are never sent twice. A message none of whose records got through, or that cannot be read, is
 * reported in `batchItemFailures`: SQS delivers it again and, after maxReceiveCount receives,
 * moves it to the dead-letter queue.
 */
export async function redeliver(
  messages: readonly SQSRecord[],
  deps: ForwardDependencies,
  remainingMs: () => number,
): Promise<{ batchItemFailures: SQSBatchItemFailure[]; summary: RedeliverySummary }> {
  const failures: SQSBatchItemFailure[] = [];
  const read: ParkedMessage[] = [];
  for (const message of messages) {
    try {
      read.push(readParkedMessage(message));
    } catch (error) {
      deps.logger.error({ messageId: message.messageId, reason: (error as Error).message }, 'parked message unreadable; SQS moves it to the dead-letter queue after its receives');
      failures.push({ itemIdentifier: message.messageId });
    }
  }
  const started = performance.now();
  const delivery = new Delivery(deps.sink, { ...deps.delivery, remainingMs });
  const owner = new Map<PreparedRecord, ParkedMessage>();
  for (const message of read) {
    for (const record of message.records) {
      owner.set(record, message);
      delivery.add(record);
    }
  }
  const report = await delivery.finish();
  const undeliveredOf = new Map<ParkedMessage, UndeliveredRecord[]>();
  for (const item of report.undelivered) {
    const message = owner.get(item.record)!;
    const list = undeliveredOf.get(message) ?? [];
    // What the replay tried counts on top of what the records went through before.
    list.push({ ...item, attempts: message.attempts + item.attempts, firstFailureAt: Math.min(message.firstFailureAt, item.firstFailureAt) });
    undeliveredOf.set(message, list);
  }
  const summary: RedeliverySummary = { messages: messages.length, records: owner.size, delivered: report.delivered, parked: 0, failedMessages: 0 };
  const deadLettering = deps.failureQueue?.deadLettering ?? false;
  for (const [message, undelivered] of undeliveredOf) {
    const transient = undelivered.filter((item) => !item.permanent).length;
    // Records now delivered, or refused for good and bound for the dead-letter queue.
    const handled = message.records.length - undelivered.length + (deadLettering ? undelivered.length - transient : 0);
    // Left on the queue: SQS counts its receives and redrives it to the dead-letter queue. Parked
    // again as a new message: what is left of a message that made progress, so the records
    // delivered from it are never sent twice.
    const stays = !deps.failureQueue || (transient === 0 ? !deadLettering : handled === 0);
    if (!stays) {
      try {
        summary.parked += (await deps.failureQueue!.park(undelivered, deps.sink.name)).parked;
        continue;
      } catch (error) {
        deps.logger.error({ messageId: message.messageId, reason: (error as Error).message }, 'records not parked again; the message stays on the queue');
      }
    }
    failures.push({ itemIdentifier: message.messageId });
  }
  summary.failedMessages = failures.length;
  const first = report.undelivered[0];
  deps.logger[failures.length > 0 ? 'warn' : 'info']({ ...summary, requests: report.requests, retries: report.retries, ...(first ? { reason: first.reason } : {}) }, 'replayed');
  if (deps.logger.isLevelEnabled('info')) {
    const values = deliveryMetrics(report, { recordsIn: summary.records, parked: summary.parked, filtered: 0, truncated: 0, durationMs: performance.now() - started });
    deps.logger.info(emfFields(values, { Function: deps.functionName ?? 'log-forwarder-replay', Sink: deps.sink.name }), 'metrics');
  }
  return { batchItemFailures: failures, summary };
}
