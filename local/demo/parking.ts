// The failure queue, shown once by `npm start`: the real forwarder (the packaged handler, in a
// Lambda environment of its own, shipping to a receiver instead of SQLite) gets one event of three
// lines; the receiver's schema refuses one of them. The other two are delivered, and the refused
// one waits on the stack's dead-letter queue with the receiver's own words.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createLambdaRuntime } from '../lambda/index.js';
import type { RunningStack } from '../stack.js';

export interface ParkingShown {
  delivered: string[];
  /** The dead-letter queue and what its newest message says. */
  deadLetterQueue: string;
  reason: string;
}

/** An NDJSON receiver whose schema wants `app.amount` to be a number; it refuses a request whole otherwise, as a receiver without per-record answers does. */
async function startStrictReceiver(): Promise<{ url: string; received: string[]; close(): Promise<void> }> {
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const lines = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8').split('\n').filter(Boolean);
      const records = lines.map((line) => JSON.parse(line) as { message: string; app?: { amount?: unknown } });
      const bad = records.find((record) => record.app?.amount !== undefined && typeof record.app.amount !== 'number');
      if (bad) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(`failed to parse field [app.amount] of type [long]: ${JSON.stringify(bad.app?.amount)}`);
        return;
      }
      received.push(...records.map((record) => record.message));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ingest`,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function showParking(stack: RunningStack, print: (line: string) => void): Promise<ParkingShown> {
  const { model } = stack;
  const forwarder = model.functions.find((spec) => spec.service === 'log-forwarder' && spec.key === 'forwarder');
  const deadLetterQueue = model.queues.find((queue) => model.queues.some((other) => other.redrive?.deadLetterQueue === queue.name))?.name;
  if (!forwarder || !deadLetterQueue) throw new Error('the templates have no forwarder with a dead-letter queue');
  const receiver = await startStrictReceiver();
  const runtime = await createLambdaRuntime({
    functions: [{ ...forwarder, name: `${forwarder.name}-parking-demo`, environment: { ...forwarder.environment, LOG_SINK: receiver.url, LOG_LEVEL: 'silent' } }],
    settings: model.settings,
    // Its own lines go nowhere: this is not a function of the stack.
    logs: () => ({ write: () => undefined }),
    baseEnv: { AWS_ENDPOINT_URL_SQS: stack.sqs.endpoint },
    report: () => undefined,
  });
  try {
    const start = Date.now();
    const lines = [
      { level: 'info', msg: 'order 1041 placed', amount: 42 },
      { level: 'info', msg: 'order 1042 placed', amount: '12 EUR' },
      { level: 'info', msg: 'order 1041 shipped', amount: 42 },
    ];
    const payload = {
      messageType: 'DATA_MESSAGE',
      owner: model.settings.accountId,
      logGroup: `/aws/lambda/shop-${model.settings.stage}-orders`,
      logStream: `${new Date(start).toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]0123456789abcdef0123456789abcdef`,
      subscriptionFilters: ['parking-demo'],
      logEvents: lines.map((line, index) => ({ id: ((BigInt(start + index) << 144n) + BigInt(index)).toString().padStart(56, '0'), timestamp: start + index, message: `${JSON.stringify(line)}\n` })),
    };
    const before = stack.sqs.remaining(deadLetterQueue).length;
    const result = await runtime.invoke(`${forwarder.name}-parking-demo`, { awslogs: { data: gzipSync(JSON.stringify(payload)).toString('base64') } });
    if (result.error) throw new Error(`the forwarder failed: ${result.error.errorType}: ${result.error.errorMessage}`);
    const parked = stack.sqs.remaining(deadLetterQueue).slice(before);
    const reason = parked.at(-1)?.attributes.reason?.StringValue ?? 'nothing was parked';
    // In the event's order: the halves of a split may arrive in either.
    const delivered = lines.map((line) => line.msg).filter((message) => receiver.received.includes(message));
    print(`failure queue: a receiver whose schema refuses one of an event's 3 lines took the other ${delivered.length} (${delivered.join('; ')})`);
    print(`failure queue: the refused line waits on ${deadLetterQueue}: ${reason}`);
    return { delivered, deadLetterQueue, reason };
  } finally {
    await runtime.close();
    await receiver.close();
  }
}
