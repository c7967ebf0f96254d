// SQS for the offline stack and the tests: the forwarder's failure queue and dead-letter queue on
// loopback, speaking what @aws-sdk/client-sqs sends, the AWS JSON 1.0 protocol in query-compatible
// mode (`X-Amz-Target: AmazonSQS.<Operation>`). No npm emulator speaks that protocol with redrive
// and message moves, so this one answers the operations the forwarder, the replay function, its
// event source and `npm run replay` use, with SQS's limits and error shapes.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { QueueSpec } from '../model.js';
import { LocalQueues, localAccountId, md5, md5OfAttributes, QueueNotFoundError, type MessageAttributeValue, type QueuedMessage, type StoredMessage } from './queues.js';

export type { QueuedMessage, QueueSpec };

export interface LocalSqs {
  /** The `endpoint` for SQSClient, and AWS_ENDPOINT_URL_SQS. */
  endpoint: string;
  region: string;
  queues: LocalQueues;
  /** `<endpoint>/000000000000/<name>`. */
  queueUrl(name: string): string;
  queueArn(name: string): string;
  /** Puts a message on a queue; returns its MessageId. */
  send(queueName: string, body: string, attributes?: Record<string, MessageAttributeValue>): string;
  /** Every message still on the queue, visible or in flight, oldest first. */
  remaining(queueName: string): QueuedMessage[];
  /** The operations received, in order (`GetQueueUrl`, `SendMessageBatch`, ...). */
  operations: string[];
  close(): Promise<void>;
}

export interface LocalSqsOptions {
  queues: readonly QueueSpec[];
  region?: string;
  /** 0 or absent: a free port. */
  port?: number;
  host?: string;
  /** A queue's MaximumMessageSize: 256 KiB unless given (SQS allows up to 1 MiB). */
  maxMessageBytes?: number;
}

type Reply = { status: number; body: Record<string, unknown>; queryError?: string };
type Input = Record<string, unknown>;

const maxRequestBytes = 2 * 1024 * 1024;
const sqsCharacters = /^(?:[\t\n\r\u0020-\uD7FF\uE000-\uFFFD]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;
const maxBatchBytes = 1024 * 1024;
const maxVisibilitySeconds = 12 * 60 * 60;

const error = (status: number, shape: string, queryCode: string, message: string): Reply => ({
  status,
  // The SDK reads the query-compatible code from the header first, then `__type`.
  queryError: `${queryCode};Sender`,
  body: { __type: `com.amazonaws.sqs#${shape}`, message },
});
const invalid = (message: string) => error(400, 'InvalidParameterValue', 'InvalidParameterValue', message);
const noQueue = () => error(400, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.');
const ok = (body: Record<string, unknown> = {}): Reply => ({ status: 200, body });

const attributesOf = (value: unknown): Record<string, MessageAttributeValue> => (value && typeof value === 'object' ? (value as Record<string, MessageAttributeValue>) : {});
const sizeOf = (body: string, attributes: Record<string, MessageAttributeValue>) =>
  Buffer.byteLength(body) +
  Object.entries(attributes).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value.DataType) + Buffer.byteLength(value.StringValue ?? value.BinaryValue ?? ''), 0);

export async function startSqs(options: LocalSqsOptions): Promise<LocalSqs> {
  const region = options.region ?? 'us-east-1';
  const host = options.host ?? '127.0.0.1';
  const maxMessageBytes = options.maxMessageBytes ?? 256 * 1024;
  const queues = new LocalQueues(options.queues);
  const operations: string[] = [];
  const moves: Array<{ TaskHandle: string; SourceArn: string; DestinationArn: string; Status: 'COMPLETED'; ApproximateNumberOfMessagesMoved: number; StartedTimestamp: number }> = [];
  let endpoint = '';
  const queueUrl = (name: string) => `${endpoint}/${localAccountId}/${name}`;
  const queueArn = (name: string) => `arn:aws:sqs:${region}:${localAccountId}:${name}`;
  const nameOfUrl = (input: Input) => String(input.QueueUrl ?? '').split('/').pop() ?? '';
  const nameOfArn = (arn: unknown) => (typeof arn === 'string' && arn.startsWith(`arn:aws:sqs:${region}:${localAccountId}:`) ? arn.split(':').pop()! : '');

  const accept = (name: string, body: unknown, attributes: Record<string, MessageAttributeValue>): StoredMessage | string => {
    if (typeof body !== 'string' || body.length === 0) return 'The request must contain the parameter MessageBody.';
    // SQS takes these characters only, in the body and in string attribute values.
    for (const text of [body, ...Object.values(attributes).map((value) => value.StringValue ?? '')]) {
      if (!sqsCharacters.test(text)) return 'Invalid binary character in the message body or an attribute: only #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF are allowed.';
    }
    if (sizeOf(body, attributes) > maxMessageBytes) return `One or more parameters are invalid. Reason: Message must be shorter than ${maxMessageBytes} bytes.`;
    return queues.send(name, body, attributes);
  };
  const sent = (message: StoredMessage) => {
    const attributesMd5 = md5OfAttributes(message.attributes);
    return { MessageId: message.messageId, MD5OfMessageBody: md5(message.body), ...(attributesMd5 ? { MD5OfMessageAttributes: attributesMd5 } : {}) };
  };
  const visibility = (value: unknown, fallback: number): number | Reply => {
    const seconds = value ?? fallback;
    if (!Number.isInteger(seconds) || (seconds as number) < 0 || (seconds as number) > maxVisibilitySeconds) {
      return invalid(`VisibilityTimeout must be an integer from 0 to ${maxVisibilitySeconds}`);
    }
    return seconds as number;
  };

  const handlers: Record<string, (input: Input, name: string) => Reply> = {
    GetQueueUrl(input) {
      const name = String(input.QueueName);
      return queues.has(name) ? ok({ QueueUrl: queueUrl(name) }) : noQueue();
    },
    SendMessage(input, name) {
      const message = accept(name, input.MessageBody, attributesOf(input.MessageAttributes));
      return typeof message === 'string' ? invalid(message) : ok(sent(message));
    },
    SendMessageBatch(input, name) {
      const entries = Array.isArray(input.Entries) ? (input.Entries as Input[]) : [];
      if (entries.length === 0) return error(400, 'EmptyBatchRequest', 'AWS.SimpleQueueService.EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
      if (entries.length > 10) return error(400, 'TooManyEntriesInBatchRequest', 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${entries.length}.`);
      if (new Set(entries.map((entry) => entry.Id)).size !== entries.length) return error(400, 'BatchEntryIdsNotDistinct', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 'Id values must be unique.');
      const total = entries.reduce((sum, entry) => sum + sizeOf(String(entry.MessageBody ?? ''), attributesOf(entry.MessageAttributes)), 0);
      if (total > maxBatchBytes) return error(400, 'BatchRequestTooLong', 'AWS.SimpleQueueService.BatchRequestTooLong', `Batch requests cannot be longer than ${maxBatchBytes} bytes. You have sent ${total} bytes.`);
      const Successful: unknown[] = [];
      const Failed: unknown[] = [];
      for (const entry of entries) {
        const message = accept(name, entry.MessageBody, attributesOf(entry.MessageAttributes));
        if (typeof message === 'string') Failed.push({ Id: entry.Id, SenderFault: true, Code: 'InvalidParameterValue', Message: message });
        else Successful.push({ Id: entry.Id, ...sent(message) });
      }
      return ok({ Successful, Failed });
    },
    ReceiveMessage(input, name) {
      const max = input.MaxNumberOfMessages ?? 1;
      if (!Number.isInteger(max) || (max as number) < 1 || (max as number) > 10) return invalid('MaxNumberOfMessages must be from 1 to 10');
      const timeout = visibility(input.VisibilityTimeout, queues.spec(name).visibilityTimeoutSeconds ?? 30);
      if (typeof timeout !== 'number') return timeout;
      const wanted = (input.MessageAttributeNames as string[] | undefined) ?? [];
      const picked = queues.receive(name, max as number, timeout);
      if (picked.length === 0) return ok({});
      return ok({
        Messages: picked.map((message) => {
          const attributes = Object.fromEntries(Object.entries(message.attributes).filter(([key]) => wanted.includes('All') || wanted.includes('.*') || wanted.includes(key)));
          const attributesMd5 = md5OfAttributes(attributes);
          return {
            MessageId: message.messageId,
            ReceiptHandle: message.receiptHandle,
            MD5OfBody: md5(message.body),
            Body: message.body,
            Attributes: {
              ApproximateReceiveCount: String(message.receiveCount),
              SentTimestamp: String(message.sentAt),
              ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
            },
            ...(attributesMd5 ? { MessageAttributes: attributes, MD5OfMessageAttributes: attributesMd5 } : {}),
          };
        }),
      });
    },
    DeleteMessage(input, name) {
      const message = queues.byHandle(name, input.ReceiptHandle);
      if (!message) return error(404, 'ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 'The receipt handle is not valid.');
      queues.remove(name, message);
      return ok();
    },
    DeleteMessageBatch(input, name) {
      const entries = Array.isArray(input.Entries) ? (input.Entries as Input[]) : [];
      const Successful: unknown[] = [];
      const Failed: unknown[] = [];
      for (const entry of entries) {
        const message = queues.byHandle(name, entry.ReceiptHandle);
        if (!message) {
          Failed.push({ Id: entry.Id, SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'The receipt handle is not valid.' });
          continue;
        }
        queues.remove(name, message);
        Successful.push({ Id: entry.Id });
      }
      return ok({ Successful, Failed });
    },
    ChangeMessageVisibility(input, name) {
      const message = queues.byHandle(name, input.ReceiptHandle);
      if (!message) return error(404, 'ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 'The receipt handle is not valid.');
      const timeout = visibility(input.VisibilityTimeout, -1);
      if (typeof timeout !== 'number') return timeout;
      message.invisibleUntil = Date.now() + timeout * 1000;
      return ok();
    },
    GetQueueAttributes(_input, name) {
      const spec = queues.spec(name);
      const messages = queues.messages(name);
      return ok({
        Attributes: {
          QueueArn: queueArn(name),
          ApproximateNumberOfMessages: String(messages.filter((message) => message.visible).length),
          ApproximateNumberOfMessagesNotVisible: String(messages.filter((message) => !message.visible).length),
          VisibilityTimeout: String(spec.visibilityTimeoutSeconds ?? 30),
          MaximumMessageSize: String(maxMessageBytes),
          ...(spec.redrive ? { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn(spec.redrive.deadLetterQueue), maxReceiveCount: spec.redrive.maxReceiveCount }) } : {}),
        },
      });
    },
    StartMessageMoveTask(input) {
      const source = nameOfArn(input.SourceArn);
      if (!queues.has(source)) return error(400, 'ResourceNotFoundException', 'ResourceNotFoundException', 'The resource that you specified for the SourceArn parameter doesn\'t exist.');
      // Without a destination, messages go back to the queue they were redriven from.
      const destination = input.DestinationArn === undefined ? queues.sourcesOf(source)[0] : nameOfArn(input.DestinationArn);
      if (!destination || !queues.has(destination)) return invalid('The source queue is not a dead-letter queue of any queue, or the destination does not exist.');
      const TaskHandle = randomUUID();
      const moved = queues.moveAll(source, destination);
      moves.push({ TaskHandle, SourceArn: queueArn(source), DestinationArn: queueArn(destination), Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: moved, StartedTimestamp: Date.now() });
      return ok({ TaskHandle });
    },
    ListMessageMoveTasks(input) {
      return ok({ Results: moves.filter((move) => move.SourceArn === input.SourceArn).reverse() });
    },
  };
  const withoutQueue = new Set(['GetQueueUrl', 'StartMessageMoveTask', 'ListMessageMoveTasks']);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxRequestBytes) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : '';
      operations.push(operation || `(${req.method} ${req.url} ${req.headers['content-type']})`);
      const handler = handlers[operation];
      let reply: Reply;
      if (req.method !== 'POST' || req.headers['content-type'] !== 'application/x-amz-json-1.0' || !handler) {
        reply = error(400, 'UnsupportedOperation', 'AWS.SimpleQueueService.UnsupportedOperation', `not supported here: ${target || req.url}`);
      } else {
        try {
          const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Input;
          const name = withoutQueue.has(operation) ? '' : nameOfUrl(input);
          reply = name === '' && !withoutQueue.has(operation) ? noQueue() : handler(input, name);
        } catch (cause) {
          reply = cause instanceof QueueNotFoundError ? noQueue() : invalid('the request body is not JSON');
        }
      }
      const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() };
      if (reply.queryError) headers['x-amzn-query-error'] = reply.queryError;
      res.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
    });
  });
  server.listen(options.port ?? 0, host);
  await once(server, 'listening');
  endpoint = `http://${host}:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    region,
    queues,
    queueUrl,
    queueArn,
    send: (queueName, body, attributes = {}) => queues.send(queueName, body, attributes).messageId,
    remaining: (queueName) => queues.messages(queueName),
    operations,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
