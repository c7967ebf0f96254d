import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import { serveLoopback } from './loopback-store.js';

/** A message as the queue holds it; `visible` says whether a ReceiveMessage would return it now. */
export interface QueuedMessage {
  messageId: string;
  body: string;
  visible: boolean;
  receiveCount: number;
}

export interface LocalSqs {
  /** The `endpoint` to give SQSClient. */
  endpoint: string;
  /** Puts a message on a queue created at start; returns its MessageId. */
  send(queueName: string, body: string): string;
  /** Every message still on the queue, visible or in flight, oldest first. */
  remaining(queueName: string): QueuedMessage[];
  /** The operations received, in order (`GetQueueUrl`, `ReceiveMessage`, ...). */
  operations: string[];
  close(): Promise<void>;
}

interface StoredMessage {
  messageId: string;
  body: string;
  receiptHandle?: string;
  invisibleUntil: number;
  receiveCount: number;
}

type Reply = { status: number; body: Record<string, unknown>; queryError?: string };

const maxRequestBytes = 2 * 1024 * 1024;
const maxVisibilitySeconds = 12 * 60 * 60;
const accountId = '000000000000';

/**
 * An in-memory SQS on 127.0.0.1 speaking what @aws-sdk/client-sqs sends: the AWS JSON 1.0
 * protocol in query-compatible mode (`X-Amz-Target: AmazonSQS.<Operation>`). It answers
 * ReceiveMessage at once instead of long polling: tests fill the queue before the run.
 */
export async function startLocalSqs(queueNames: readonly string[]): Promise<LocalSqs> {
  const queues = new Map<string, StoredMessage[]>(queueNames.map((name) => [name, []]));
  const operations: string[] = [];
  let endpoint = '';

  const error = (status: number, shape: string, queryCode: string, message: string): Reply => ({
    status,
    // The SDK reads the query-compatible code from the header first, then `__type`.
    queryError: `${queryCode};Sender`,
    body: { __type: `com.amazonaws.sqs#${shape}`, message },
  });
  const invalid = (message: string) => error(400, 'InvalidParameterValue', 'InvalidParameterValue', message);

  function queueOf(input: Record<string, unknown>): StoredMessage[] | Reply {
    const name = String(input.QueueUrl ?? '').split('/').pop() ?? '';
    return queues.get(name) ?? error(400, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.');
  }
  function byHandle(input: Record<string, unknown>): { queue: StoredMessage[]; index: number } | Reply {
    const queue = queueOf(input);
    if (!Array.isArray(queue)) return queue;
    // Only the handle of the latest receive is valid, so a stale handle shows up as an error.
    const index = queue.findIndex((message) => message.receiptHandle !== undefined && message.receiptHandle === input.ReceiptHandle);
    return index < 0 ? error(404, 'ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 'The receipt handle is not valid.') : { queue, index };
  }
  function visibilitySeconds(value: unknown, fallback: number): number | Reply {
    const seconds = value ?? fallback;
    if (!Number.isInteger(seconds) || (seconds as number) < 0 || (seconds as number) > maxVisibilitySeconds) {
      return invalid(`VisibilityTimeout must be an integer from 0 to ${maxVisibilitySeconds}`);
    }
    return seconds as number;
  }

  const handlers: Record<string, (input: Record<string, unknown>) => Reply> = {
    GetQueueUrl(input) {
      const name = String(input.QueueName);
      if (!queues.has(name)) return error(400, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.');
      return { status: 200, body: { QueueUrl: `${endpoint}/${accountId}/${name}` } };
    },
    ReceiveMessage(input) {
      const queue = queueOf(input);
      if (!Array.isArray(queue)) return queue;
      const max = input.MaxNumberOfMessages ?? 1;
      if (!Number.isInteger(max) || (max as number) < 1 || (max as number) > 10) return invalid('MaxNumberOfMessages must be from 1 to 10');
      const timeout = visibilitySeconds(input.VisibilityTimeout, 30);
      if (typeof timeout !== 'number') return timeout;
      const now = Date.now();
      const picked = queue.filter((message) => message.invisibleUntil <= now).slice(0, max as number);
      for (const message of picked) {
        message.receiptHandle = randomUUID();
        message.invisibleUntil = now + timeout * 1000;
        message.receiveCount += 1;
      }
      if (picked.length === 0) return { status: 200, body: {} };
      const md5 = (body: string) => createHash('md5').update(body, 'utf8').digest('hex');
      const messages = picked.map((m) => ({ MessageId: m.messageId, ReceiptHandle: m.receiptHandle, MD5OfBody: md5(m.body), Body: m.body }));
      return { status: 200, body: { Messages: messages } };
    },
    DeleteMessage(input) {
      const found = byHandle(input);
      if ('status' in found) return found;
      found.queue.splice(found.index, 1);
      return { status: 200, body: {} };
    },
    ChangeMessageVisibility(input) {
      const found = byHandle(input);
      if ('status' in found) return found;
      const timeout = visibilitySeconds(input.VisibilityTimeout, -1);
      if (typeof timeout !== 'number') return timeout;
      found.queue[found.index]!.invisibleUntil = Date.now() + timeout * 1000;
      return { status: 200, body: {} };
    },
  };

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
          reply = handler(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>);
        } catch {
          reply = invalid('the request body is not JSON');
        }
      }
      const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() };
      if (reply.queryError) headers['x-amzn-query-error'] = reply.queryError;
      res.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
    });
  });
  const served = await serveLoopback(server);
  endpoint = served.origin;

  const queueNamed = (name: string): StoredMessage[] => {
    const queue = queues.get(name);
    if (!queue) throw new Error(`local SQS has no queue ${name}`);
    return queue;
  };
  return {
    endpoint,
    operations,
    send(queueName, body) {
      const messageId = randomUUID();
      queueNamed(queueName).push({ messageId, body, invisibleUntil: 0, receiveCount: 0 });
      return messageId;
    },
    remaining(queueName) {
      const now = Date.now();
      return queueNamed(queueName).map(({ messageId, body, invisibleUntil, receiveCount }) => ({ messageId, body, visible: invisibleUntil <= now, receiveCount }));
    },
    close: served.close,
  };
}
