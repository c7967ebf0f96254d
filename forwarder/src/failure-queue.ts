// Parks what a sink did not take: undelivered records go to the SQS failure queue (or, refused for
// good, to the dead-letter queue) as messages of several records each, for the replay function.
import { gunzipSync, gzipSync } from 'node:zlib';
import type { SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import type { UndeliveredRecord } from './deliver.js';
import { ParkError } from './errors.js';

/** How a message body holds its records. */
export type ParkedEncoding = 'ndjson' | 'ndjson+gzip+base64';

/** The message attributes of a parked message, by name; see docs/operations.md. */
export interface ParkedAttributes {
  /** The sink that did not take the records. */
  sink: string;
  /** `transient`: may succeed later; `permanent`: the store refused them. */
  failure: 'transient' | 'permanent';
  /** Why, in the store's own words where it gave any. */
  reason: string;
  /** When a request carrying them first failed, ISO 8601. */
  firstFailureAt: string;
  /** Requests that carried them so far, the replay's included. */
  attempts: number;
  records: number;
  encoding: ParkedEncoding;
}

/** One message ready for SendMessageBatch. */
export interface ParkedMessage {
  body: string;
  attributes: ParkedAttributes;
  /** Bytes SQS counts: the body, and each attribute's name, type and value. */
  bytes: number;
}

export interface FailureQueueConfig {
  /** FAILURE_QUEUE_URL: where undelivered records wait for the replay function. */
  failureQueueUrl: string;
  /** DEAD_LETTER_QUEUE_URL: where records the store refused for good go; the failure queue (marked permanent) when unset. */
  deadLetterQueueUrl?: string;
  /** The largest message SQS takes, body and attributes: 256 KiB unless the queues allow more (at most 1 MiB). */
  maxMessageBytes: number;
  /**
   * AWS_ENDPOINT_URL_SQS (or AWS_ENDPOINT_URL): another SQS endpoint, e.g. the offline stack's. Given
   * explicitly, the SDK sends there even when the queue URLs name sqs.<region>.amazonaws.com.
   */
  endpoint?: string;
}

export interface ParkingReport {
  /** Records parked, on either queue. */
  parked: number;
  /** Of those, the ones on the dead-letter queue. */
  deadLettered: number;
  messages: number;
}

/** SendMessageBatch takes at most 10 entries and 1 MiB in all (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html). */
const maxEntries = 10;
const maxBatchBytes = 1024 * 1024;
/** Reasons are cut so that the attributes stay small beside the records. */
const maxReasonChars = 512;
/** SendMessageBatch calls in flight at once. */
const parallelCalls = 4;
/** Tries per entry before parking gives up and the invocation throws. */
const sendTries = 3;

/**
 * SQS takes only #x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF in bodies and
 * string attributes. JSON escapes control characters and lone surrogates already; U+FFFE and
 * U+FFFF may stand raw inside its strings and are written as escapes, which is the same JSON.
 */
function sqsSafeJson(json: string): string {
  return /[\uFFFE\uFFFF]/.test(json) ? json.replace(/[\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`) : json;
}

/** A store's words as an attribute value: characters SQS refuses (and a surrogate half left by a cut) become U+FFFD. */
function sqsSafeText(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[^\t\n\r\u0020-\uD7FF\uD800-\uDFFF\uE000-\uFFFD]/g, '\uFFFD');
}

/** The bytes SQS counts for an attribute: its name, its data type and its value. */
const attributeBytes = (attributes: ParkedAttributes) =>
  Object.entries(attributes).reduce((sum, [name, value]) => sum + name.length + 'String'.length + Buffer.byteLength(String(value)), 0);

/**
 * A reason without what names one record (ids, quoted values, bracketed field names), so that a
 * store's per-record refusals of one kind ("…in document with id '…'") share messages.
 */
export function reasonKind(reason: string): string {
  return reason.replace(/\[[^\]]*\]|'[^']*'|"[^"]*"|\b[0-9a-f][0-9a-f-]{7,}\b|\d{4,}/gi, '…');
}

/**
 * Packs undelivered records into messages: records that failed alike (transient or permanent, the
 * same kind of reason; the attribute quotes the first record's) share a message, as NDJSON of their rendered JSON, up to `maxMessageBytes`. A
 * record too large for a message alone goes gzip-compressed in base64; one that does not fit even
 * so cannot be parked, and the invocation throws (Lambda's retries and its on-failure destination
 * still hold the event). Pure.
 */
export function packMessages(records: readonly UndeliveredRecord[], sink: string, maxMessageBytes: number): ParkedMessage[] {
  const groups = new Map<string, UndeliveredRecord[]>();
  for (const item of records) {
    const key = `${item.permanent ? 'p' : 't'}\u0000${reasonKind(item.reason)}`;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const messages: ParkedMessage[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const base = {
      sink,
      failure: first.permanent ? ('permanent' as const) : ('transient' as const),
      reason: sqsSafeText(first.reason.length > maxReasonChars ? `${first.reason.slice(0, maxReasonChars - 1)}…` : first.reason),
    };
    let lines: string[] = [];
    let bodyBytes = 0;
    let firstFailureAt = Infinity;
    let attempts = 0;
    const flush = () => {
      if (lines.length === 0) return;
      const attributes: ParkedAttributes = { ...base, firstFailureAt: new Date(firstFailureAt).toISOString(), attempts, records: lines.length, encoding: 'ndjson' };
      const body = lines.join('\n');
      messages.push({ body, attributes, bytes: Buffer.byteLength(body) + attributeBytes(attributes) });
      lines = [];
      bodyBytes = 0;
      firstFailureAt = Infinity;
      attempts = 0;
    };
    // Room for the attributes, with the counts at their widest.
    const room = maxMessageBytes - attributeBytes({ ...base, firstFailureAt: new Date(0).toISOString(), attempts: 999_999, records: 999_999, encoding: 'ndjson+gzip+base64' });
    for (const item of group) {
      const line = sqsSafeJson(item.record.json);
      const bytes = Buffer.byteLength(line) + 1;
      if (bytes > room) {
        messages.push(alone(item, base, room, maxMessageBytes));
        continue;
      }
      if (bodyBytes + bytes > room) flush();
      lines.push(line);
      bodyBytes += bytes;
      firstFailureAt = Math.min(firstFailureAt, item.firstFailureAt);
      attempts = Math.max(attempts, item.attempts);
    }
    flush();
  }
  return messages;
}

function alone(item: UndeliveredRecord, base: Pick<ParkedAttributes, 'sink' | 'failure' | 'reason'>, room: number, maxMessageBytes: number): ParkedMessage {
  const body = gzipSync(sqsSafeJson(item.record.json)).toString('base64');
  if (body.length > room) {
    throw new ParkError(`record ${item.record.id} is ${item.record.json.length} bytes, ${body.length} as gzip base64: too large for a ${maxMessageBytes}-byte SQS message`);
  }
  const attributes: ParkedAttributes = { ...base, firstFailureAt: new Date(item.firstFailureAt).toISOString(), attempts: item.attempts, records: 1, encoding: 'ndjson+gzip+base64' };
  return { body, attributes, bytes: body.length + attributeBytes(attributes) };
}

/** The records of a parked message body, one JSON text each. Throws on an encoding it does not know. */
export function unpackMessage(body: string, encoding: string | undefined): string[] {
  if (encoding !== undefined && encoding !== 'ndjson' && encoding !== 'ndjson+gzip+base64') throw new ParkError(`unknown parked message encoding "${encoding}"`);
  const text = encoding === 'ndjson+gzip+base64' ? gunzipSync(Buffer.from(body, 'base64')).toString('utf8') : body;
  return text.split('\n').filter((line) => line.trim() !== '');
}

/** The SQS message attributes of a parked message. */
export function messageAttributes(attributes: ParkedAttributes): NonNullable<SendMessageBatchRequestEntry['MessageAttributes']> {
  const out: NonNullable<SendMessageBatchRequestEntry['MessageAttributes']> = {};
  for (const [name, value] of Object.entries(attributes)) {
    out[name] = typeof value === 'number' ? { DataType: 'Number', StringValue: String(value) } : { DataType: 'String', StringValue: value };
  }
  return out;
}

/** Cuts messages into SendMessageBatch calls of at most 10 entries and 1 MiB. Pure. */
export function sendBatches<T extends { bytes: number }>(messages: readonly T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    if (current.length === maxEntries || (current.length > 0 && bytes + message.bytes > maxBatchBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += message.bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * The failure queue and the dead-letter queue of one forwarder. The SQS client is loaded on the
 * first park, so a cold start that delivers everything never pays for it.
 */
export class FailureQueue {
  private client: Promise<SQSClient> | undefined;
  /** Whether records refused for good go to a dead-letter queue of their own. */
  readonly deadLettering: boolean;

  constructor(
    readonly config: FailureQueueConfig,
    private readonly makeClient: () => Promise<SQSClient> = () => defaultClient(config.endpoint),
  ) {
    this.deadLettering = config.deadLetterQueueUrl !== undefined;
  }

  /** Parks every record, or throws a ParkError naming how many could not be parked. */
  async park(records: readonly UndeliveredRecord[], sink: string): Promise<ParkingReport> {
    const toDeadLetter = this.config.deadLetterQueueUrl === undefined ? [] : records.filter((item) => item.permanent);
    const toFailure = this.config.deadLetterQueueUrl === undefined ? records : records.filter((item) => !item.permanent);
    const failureMessages = packMessages(toFailure, sink, this.config.maxMessageBytes);
    const deadMessages = packMessages(toDeadLetter, sink, this.config.maxMessageBytes);
    await this.send(this.config.failureQueueUrl, failureMessages);
    if (this.config.deadLetterQueueUrl !== undefined) await this.send(this.config.deadLetterQueueUrl, deadMessages);
    return { parked: records.length, deadLettered: toDeadLetter.length, messages: failureMessages.length + deadMessages.length };
  }

  private async send(queueUrl: string, messages: readonly ParkedMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const { SendMessageBatchCommand } = await import('@aws-sdk/client-sqs');
    this.client ??= this.makeClient();
    const client = await this.client;
    // A few calls at once: thousands of records refused alike still park within seconds.
    const batches = sendBatches(messages);
    const sendOne = async (batch: ParkedMessage[]): Promise<void> => {
      let pending = batch.map((message, index) => ({ message, id: String(index) }));
      let lastError = '';
      for (let attempt = 1; attempt <= sendTries && pending.length > 0; attempt += 1) {
        try {
          const answer = await client.send(
            new SendMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: pending.map(({ message, id }) => ({ Id: id, MessageBody: message.body, MessageAttributes: messageAttributes(message.attributes) })),
            }),
          );
          const failed = new Map((answer.Failed ?? []).map((entry) => [entry.Id, entry]));
          lastError = [...failed.values()].map((entry) => `${entry.Code}: ${entry.Message ?? ''}`)[0] ?? '';
          pending = pending.filter(({ id }) => failed.has(id));
          // A sender fault (a bad entry) will not pass on a retry; everything else may.
          if ([...failed.values()].some((entry) => entry.SenderFault)) break;
        } catch (error) {
          lastError = `${(error as Error).name}: ${(error as Error).message}`;
        }
      }
      if (pending.length > 0) {
        const records = pending.reduce((sum, { message }) => sum + message.attributes.records, 0);
        throw new ParkError(`${records} records could not be parked on ${queueUrl}: ${lastError}`);
      }
    };
    let next = 0;
    const worker = async () => {
      while (next < batches.length) await sendOne(batches[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(parallelCalls, batches.length) }, worker));
  }
}

async function defaultClient(endpoint: string | undefined): Promise<SQSClient> {
  const { SQSClient } = await import('@aws-sdk/client-sqs');
  // Parking runs in the time the invocation kept back: no call may hang on.
  return new SQSClient({ ...(endpoint === undefined ? {} : { endpoint }), maxAttempts: 2, requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 } });
}
