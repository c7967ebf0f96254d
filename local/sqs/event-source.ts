// Lambda's SQS event source mapping for the local queues: receive a batch, invoke the function with
// the SQS event Lambda builds, and with ReportBatchItemFailures delete all but the messages the
// function names (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
import type { SQSBatchResponse, SQSEvent, SQSMessageAttributes } from 'aws-lambda';
import { localAccountId, md5, md5OfAttributes, type LocalQueues, type StoredMessage } from './queues.js';

export interface EventSourceOptions {
  queues: LocalQueues;
  queue: string;
  region: string;
  /** Messages per invocation, as the mapping's BatchSize. */
  batchSize: number;
  /** Runs the function; a rejection is a function error, and the whole batch stays on the queue. */
  invoke(event: SQSEvent): Promise<unknown>;
  /** How often an idle source looks at the queue again. */
  pollIntervalMs?: number;
  report?: (line: string) => void;
}

export interface PollResult {
  received: number;
  deleted: number;
  /** Messages left on the queue to be received again after their visibility timeout. */
  failed: number;
}

/** The event Lambda passes for received messages. */
export function sqsEvent(messages: readonly StoredMessage[], queueArn: string, region: string): SQSEvent {
  return {
    Records: messages.map((message) => {
      const messageAttributes: SQSMessageAttributes = {};
      for (const [name, value] of Object.entries(message.attributes)) {
        messageAttributes[name] = {
          dataType: value.DataType,
          ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
          ...(value.BinaryValue !== undefined ? { binaryValue: value.BinaryValue } : {}),
          stringListValues: [],
          binaryListValues: [],
        };
      }
      const attributesMd5 = md5OfAttributes(message.attributes);
      return {
        messageId: message.messageId,
        receiptHandle: message.receiptHandle ?? '',
        body: message.body,
        attributes: {
          ApproximateReceiveCount: String(message.receiveCount),
          SentTimestamp: String(message.sentAt),
          SenderId: localAccountId,
          ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
        },
        messageAttributes,
        md5OfBody: md5(message.body),
        ...(attributesMd5 ? { md5OfMessageAttributes: attributesMd5 } : {}),
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: region,
      };
    }),
  };
}

export class SqsEventSource {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: EventSourceOptions) {}

  /** One receive and one invocation, as the mapping's poller does; nothing happens on an empty queue. */
  async pollOnce(): Promise<PollResult> {
    const { queues, queue, region, batchSize } = this.options;
    const messages = queues.receive(queue, batchSize);
    if (messages.length === 0) return { received: 0, deleted: 0, failed: 0 };
    const queueArn = `arn:aws:sqs:${region}:${localAccountId}:${queue}`;
    let failedIds: Set<string>;
    try {
      failedIds = failedItems(await this.options.invoke(sqsEvent(messages, queueArn, region)), messages);
    } catch (error) {
      this.options.report?.(`local sqs: ${queue}: the function failed (${(error as Error).message}); ${messages.length} messages stay on the queue`);
      return { received: messages.length, deleted: 0, failed: messages.length };
    }
    let deleted = 0;
    for (const message of messages) {
      if (failedIds.has(message.messageId)) continue;
      queues.remove(queue, message);
      deleted += 1;
    }
    return { received: messages.length, deleted, failed: messages.length - deleted };
  }

  /** Polls until stopped: at once while there are messages, every `pollIntervalMs` when idle. */
  start(): void {
    const loop = async () => {
      while (!this.stopped) {
        const { received } = await this.pollOnce();
        if (received === 0) break;
      }
      if (!this.stopped) this.timer = setTimeout(() => (this.running = loop()), this.options.pollIntervalMs ?? 1_000);
    };
    this.running = loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}

/**
 * The messages a ReportBatchItemFailures answer leaves on the queue. An answer that names a
 * message not in the batch, or is not of that shape, fails the whole batch, as Lambda does; no
 * answer, or an empty list, deletes them all.
 */
function failedItems(answer: unknown, messages: readonly StoredMessage[]): Set<string> {
  const all = new Set(messages.map((message) => message.messageId));
  if (answer === undefined || answer === null) return new Set();
  const failures = (answer as Partial<SQSBatchResponse>).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return all;
  const ids = failures.map((failure) => (failure as { itemIdentifier?: unknown })?.itemIdentifier);
  if (ids.some((id) => typeof id !== 'string' || !all.has(id))) return all;
  return new Set(ids as string[]);
}
