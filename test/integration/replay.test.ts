import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forwardEvent, type ForwardDependencies } from '../../forwarder/src/forward.js';
import { ScriptError } from '../../tools/errors.js';
import type { ReplayOptions } from '../../scripts/replay-parse.js';
import { replayFailures, type ReplayClients } from '../../scripts/replay-run.js';
import { forwarderDeps } from '../helpers/forwarder.js';
import { logsFixture, payloadOf, toSubscriptionEvent } from '../helpers/fixtures.js';
import { startLocalLambda, type LocalLambda } from '../helpers/local-lambda.js';
import { startSqs, type LocalSqs } from '../../local/sqs/index.js';

const queueName = 'log-forwarder-test-failed';
const functionName = 'log-forwarder-test-forwarder';
const options: ReplayOptions = { stage: 'test', region: 'us-east-1', max: 100, dryRun: false };
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** The record Lambda sends to the on-failure queue after the last attempt (docs/operations.md). */
function failureRecord(requestPayload: unknown, source = functionName): string {
  return JSON.stringify({
    version: '1.0',
    timestamp: '2026-11-23T09:54:29.987Z',
    requestContext: {
      requestId: randomUUID(),
      functionArn: `arn:aws:lambda:us-east-1:123456789012:function:${source}:$LATEST`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    },
    requestPayload,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'DeliveryError', errorMessage: '2 of 2 records not delivered to http: status 503' },
  });
}

describe('replayFailures against loopback SQS and Lambda running the forwarder', () => {
  let dir: string;
  let deps: ForwardDependencies;
  let sqs: LocalSqs;
  let lambda: LocalLambda;
  let clients: ReplayClients;
  let printed: string[];
  const print = (line: string) => printed.push(line);

  /** Messages of the log rows stored in the forwarder's SQLite file, alphabetically. */
  const storedMessages = (): string[] => {
    const db = new DatabaseSync(path.join(dir, 'logs.db'), { readOnly: true, timeout: 5000 });
    try {
      return (db.prepare('SELECT message FROM logs ORDER BY message').all() as unknown as Array<{ message: string }>).map((row) => row.message);
    } finally {
      db.close();
    }
  };

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'replay-'));
    ({ deps } = await forwarderDeps(`sqlite:${path.join(dir, 'logs.db')}`));
    sqs = await startSqs({ queues: [{ name: queueName }] });
    lambda = await startLocalLambda({
      [functionName]: (event, context) => forwardEvent(event, deps, () => context.getRemainingTimeInMillis()),
    });
    clients = {
      sqs: new SQSClient({ region: 'us-east-1', endpoint: sqs.endpoint, credentials }),
      lambda: new LambdaClient({ region: 'us-east-1', endpoint: lambda.endpoint, credentials }),
    };
    printed = [];
  });

  afterEach(async () => {
    clients.sqs.destroy();
    clients.lambda.destroy();
    await Promise.all([sqs.close(), lambda.close(), deps.sink.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('replays two good records into SQLite and deletes both messages', async () => {
    // Prepare
    sqs.send(queueName, failureRecord(toSubscriptionEvent(payloadOf(['first line\n', 'second line\n']))));
    sqs.send(queueName, failureRecord(toSubscriptionEvent(payloadOf(['third line\n']))));

    // Act
    const report = await replayFailures(options, clients, print);

    // Assess
    expect(report).toEqual({ delivered: 2, failed: 0, invalid: 0 });
    expect(storedMessages()).toEqual(['first line', 'second line', 'third line']);
    expect(sqs.remaining(queueName)).toEqual([]);
    expect(lambda.invocations.map((invocation) => invocation.functionName)).toEqual([functionName, functionName]);
  });

  it('reports a record the forwarder refuses as failed and leaves it visible in the queue', async () => {
    // Prepare
    const refused = failureRecord({ awslogs: { data: 'bm90IGd6aXA=' } });
    sqs.send(queueName, refused);
    sqs.send(queueName, failureRecord(toSubscriptionEvent(logsFixture('pino'))));

    // Act
    const report = await replayFailures(options, clients, print);

    // Assess
    expect(report).toEqual({ delivered: 1, failed: 1, invalid: 0 });
    expect(sqs.remaining(queueName)).toEqual([expect.objectContaining({ body: refused, visible: true, receiveCount: 1 })]);
    expect(printed).toContainEqual(expect.stringMatching(/^failed again [\w-]+: Unhandled$/));
    expect(storedMessages()).toHaveLength(logsFixture('pino').logEvents.length);
  });

  it('keeps a record from another function and an unparsable body, counted invalid, without invoking', async () => {
    // Prepare
    const foreign = failureRecord(toSubscriptionEvent(payloadOf(['from prod\n'])), 'log-forwarder-prod-forwarder');
    sqs.send(queueName, foreign);
    sqs.send(queueName, 'not json at all');

    // Act
    const report = await replayFailures(options, clients, print);

    // Assess
    expect(report).toEqual({ delivered: 0, failed: 0, invalid: 2 });
    expect(lambda.invocations).toEqual([]);
    expect(sqs.remaining(queueName).map(({ body, visible }) => ({ body, visible }))).toEqual([
      { body: foreign, visible: true },
      { body: 'not json at all', visible: true },
    ]);
    expect(printed).toContainEqual(expect.stringContaining('the record is from log-forwarder-prod-forwarder'));
  });

  it('invokes nothing and deletes nothing on a dry run', async () => {
    // Prepare
    sqs.send(queueName, failureRecord(toSubscriptionEvent(payloadOf(['dry one\n']))));
    sqs.send(queueName, failureRecord(toSubscriptionEvent(payloadOf(['dry two\n']))));

    // Act
    const report = await replayFailures({ ...options, dryRun: true }, clients, print);

    // Assess
    expect(report).toEqual({ delivered: 0, failed: 0, invalid: 0 });
    expect(lambda.invocations).toEqual([]);
    expect(sqs.remaining(queueName).map((message) => message.visible)).toEqual([true, true]);
    expect(storedMessages()).toEqual([]);
    expect(printed.filter((line) => line.startsWith('would replay '))).toHaveLength(2);
  });

  it('stores the lines of a record sent twice only once and deletes both copies', async () => {
    // Prepare
    const record = failureRecord(toSubscriptionEvent(payloadOf(['only once\n', 'also once\n'])));
    sqs.send(queueName, record);
    sqs.send(queueName, record);

    // Act
    const report = await replayFailures(options, clients, print);

    // Assess
    expect(report).toEqual({ delivered: 2, failed: 0, invalid: 0 });
    expect(lambda.invocations).toHaveLength(2);
    expect(storedMessages()).toEqual(['also once', 'only once']);
    expect(sqs.remaining(queueName)).toEqual([]);
  });

  it('fails with a ScriptError naming the queue when the stage has no failure queue', async () => {
    // Prepare
    const absentStage = { ...options, stage: 'absent' };

    // Act
    const run = replayFailures(absentStage, clients, print);

    // Assess
    await expect(run).rejects.toThrow(new ScriptError('queue log-forwarder-absent-failed not found in us-east-1: deploy the stage or pass --region'));
    expect(sqs.operations).toEqual(['GetQueueUrl']);
  });

  it('fails with a ScriptError naming the function when it does not exist, keeping the message', async () => {
    // Prepare
    await lambda.close();
    lambda = await startLocalLambda({});
    clients.lambda.destroy();
    clients.lambda = new LambdaClient({ region: 'us-east-1', endpoint: lambda.endpoint, credentials });
    sqs.send(queueName, failureRecord(toSubscriptionEvent(payloadOf(['no function\n']))));

    // Act
    const run = replayFailures(options, clients, print);

    // Assess
    await expect(run).rejects.toThrow(`function ${functionName} not found`);
    expect(sqs.remaining(queueName)).toEqual([expect.objectContaining({ visible: true })]);
  });
});
