// The queues of the local SQS: messages with attributes, visibility, receive counts and the redrive
// to a dead-letter queue after `maxReceiveCount` receives, as SQS documents them. No network here.
import { createHash, randomUUID } from 'node:crypto';
import type { QueueSpec } from '../model.js';

/** A message attribute as the JSON protocol carries it. */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export interface StoredMessage {
  messageId: string;
  body: string;
  attributes: Record<string, MessageAttributeValue>;
  sentAt: number;
  receiptHandle?: string;
  invisibleUntil: number;
  receiveCount: number;
  firstReceivedAt?: number;
}

/** A message as a test or the event source sees it; `visible` says whether a receive would return it now. */
export interface QueuedMessage {
  messageId: string;
  body: string;
  attributes: Record<string, MessageAttributeValue>;
  visible: boolean;
  receiveCount: number;
}

export const localAccountId = '000000000000';

export const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');

/**
 * MD5OfMessageAttributes as SQS computes it: for each attribute, sorted by name, the name, the
 * data type and the value, each behind its 4-byte big-endian length, the value behind a transport
 * byte (1 string, 2 binary) (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html).
 */
export function md5OfAttributes(attributes: Record<string, MessageAttributeValue>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  const withLength = (data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    parts.push(length, data);
  };
  for (const name of names) {
    const value = attributes[name]!;
    withLength(Buffer.from(name, 'utf8'));
    withLength(Buffer.from(value.DataType, 'utf8'));
    const binary = value.BinaryValue !== undefined;
    parts.push(Buffer.from([binary ? 2 : 1]));
    withLength(binary ? Buffer.from(value.BinaryValue!, 'base64') : Buffer.from(value.StringValue ?? '', 'utf8'));
  }
  return md5(Buffer.concat(parts));
}

/** The queues of one local SQS. */
export class LocalQueues {
  private readonly queues = new Map<string, { spec: QueueSpec; messages: StoredMessage[] }>();

  constructor(specs: readonly QueueSpec[]) {
    for (const spec of specs) this.queues.set(spec.name, { spec, messages: [] });
    for (const spec of specs) {
      if (spec.redrive && !this.queues.has(spec.redrive.deadLetterQueue)) {
        throw new Error(`local SQS: queue ${spec.name} redrives to ${spec.redrive.deadLetterQueue}, which is not declared`);
      }
    }
  }

  has(name: string): boolean {
    return this.queues.has(name);
  }

  names(): string[] {
    return [...this.queues.keys()];
  }

  spec(name: string): QueueSpec {
    return this.queue(name).spec;
  }

  /** The queues that redrive to `name`. */
  sourcesOf(name: string): string[] {
    return [...this.queues.values()].filter(({ spec }) => spec.redrive?.deadLetterQueue === name).map(({ spec }) => spec.name);
  }

  send(name: string, body: string, attributes: Record<string, MessageAttributeValue> = {}, now = Date.now()): StoredMessage {
    const message: StoredMessage = { messageId: randomUUID(), body, attributes, sentAt: now, invisibleUntil: 0, receiveCount: 0 };
    this.queue(name).messages.push(message);
    return message;
  }

  /**
   * Up to `max` visible messages, each made invisible for `visibilitySeconds` with a new receipt
   * handle. A message already received `maxReceiveCount` times moves to the dead-letter queue
   * instead, as SQS's redrive does.
   */
  receive(name: string, max: number, visibilitySeconds = this.spec(name).visibilityTimeoutSeconds ?? 30, now = Date.now()): StoredMessage[] {
    const { spec, messages } = this.queue(name);
    const picked: StoredMessage[] = [];
    for (const message of [...messages]) {
      if (picked.length >= max) break;
      if (message.invisibleUntil > now) continue;
      if (spec.redrive && message.receiveCount >= spec.redrive.maxReceiveCount) {
        this.remove(name, message);
        this.queue(spec.redrive.deadLetterQueue).messages.push({ ...message, receiptHandle: undefined, invisibleUntil: 0 });
        continue;
      }
      message.receiptHandle = randomUUID();
      message.invisibleUntil = now + visibilitySeconds * 1000;
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      picked.push(message);
    }
    return picked;
  }

  /** The message a receipt handle names; only the handle of its latest receive is valid. */
  byHandle(name: string, receiptHandle: unknown): StoredMessage | undefined {
    return this.queue(name).messages.find((message) => message.receiptHandle !== undefined && message.receiptHandle === receiptHandle);
  }

  remove(name: string, message: StoredMessage): void {
    const { messages } = this.queue(name);
    const index = messages.indexOf(message);
    if (index >= 0) messages.splice(index, 1);
  }

  /** Moves every message of `from` to the end of `to`, visible, receive count reset (StartMessageMoveTask). */
  moveAll(from: string, to: string): number {
    const source = this.queue(from).messages;
    const moved = source.splice(0, source.length);
    this.queue(to).messages.push(...moved.map((message) => ({ ...message, receiptHandle: undefined, invisibleUntil: 0, receiveCount: 0 })));
    return moved.length;
  }

  messages(name: string, now = Date.now()): QueuedMessage[] {
    return this.queue(name).messages.map(({ messageId, body, attributes, invisibleUntil, receiveCount }) => ({
      messageId,
      body,
      attributes,
      visible: invisibleUntil <= now,
      receiveCount,
    }));
  }

  /** Seconds since the oldest message was sent; 0 when the queue is empty. */
  oldestAgeSeconds(name: string, now = Date.now()): number {
    const oldest = this.queue(name).messages.reduce((min, message) => Math.min(min, message.sentAt), Infinity);
    return oldest === Infinity ? 0 : Math.floor((now - oldest) / 1000);
  }

  private queue(name: string) {
    const queue = this.queues.get(name);
    if (!queue) throw new QueueNotFoundError(name);
    return queue;
  }
}

export class QueueNotFoundError extends Error {
  override name = 'QueueNotFoundError';

  constructor(readonly queueName: string) {
    super(`The specified queue does not exist: ${queueName}`);
  }
}
