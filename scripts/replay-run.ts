// The replay loop: drain the on-failure queue, re-invoke the forwarder, delete what succeeded.
import { InvokeCommand, ResourceNotFoundException, type LambdaClient } from '@aws-sdk/client-lambda';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ScriptError } from '../tools/errors.js';
import {
  describeFailure,
  failureQueueName,
  forwarderFunctionName,
  functionNameFromArn,
  judgeInvocation,
  parseDestinationRecord,
  replayOutcomes,
  type ReplayOptions,
} from './replay-parse.js';

export interface ReplayClients {
  sqs: SQSClient;
  lambda: LambdaClient;
}

export interface ReplayReport {
  delivered: number;
  failed: number;
  invalid: number;
}

// Messages stay hidden for the whole run (each replay may take up to the 60 s function timeout)
// so one run never handles a message twice; the ones kept are made visible again at the end.
const runVisibilitySeconds = 12 * 60 * 60;

/** Replays up to `options.max` records; never deletes a message whose replay did not succeed. */
export async function replayFailures(
  options: ReplayOptions,
  clients: ReplayClients,
  print: (line: string) => void,
): Promise<ReplayReport> {
  const queueName = failureQueueName(options.stage);
  const functionName = forwarderFunctionName(options.stage);
  const queueUrl = await findQueue(clients.sqs, queueName, options.region);
  const report: ReplayReport = { delivered: 0, failed: 0, invalid: 0 };
  const kept: Message[] = [];
  let handled = 0;
  try {
    while (handled < options.max) {
      const { Messages: messages = [] } = await clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, options.max - handled),
          VisibilityTimeout: runVisibilitySeconds,
          WaitTimeSeconds: 1,
        }),
      );
      if (messages.length === 0) break;
      for (const message of messages) {
        handled += 1;
        // Kept until deleted, so that a run stopped by an error still makes it visible again.
        kept.push(message);
        const deleted = await handleMessage(message, { ...options, queueUrl, functionName }, clients, print, report);
        if (deleted) kept.pop();
      }
    }
  } finally {
    await releaseAll(clients.sqs, queueUrl, kept);
  }
  print(
    `${options.dryRun ? 'dry run: ' : ''}${handled} message(s) from ${queueName}: ` +
      `${report.delivered} replayed and deleted, ${report.failed} failed again, ${report.invalid} unreadable (kept)`,
  );
  return report;
}

async function handleMessage(
  message: Message,
  context: ReplayOptions & { queueUrl: string; functionName: string },
  clients: ReplayClients,
  print: (line: string) => void,
  report: ReplayReport,
): Promise<boolean> {
  let record;
  try {
    record = parseDestinationRecord(message.Body);
  } catch (error) {
    report.invalid += 1;
    print(`skip ${message.MessageId}: ${(error as Error).message}`);
    return false;
  }
  const source = functionNameFromArn(record.requestContext.functionArn);
  if (source !== context.functionName) {
    report.invalid += 1;
    print(`skip ${message.MessageId}: the record is from ${source ?? 'an unknown function'}, not ${context.functionName}`);
    return false;
  }
  if (context.dryRun) {
    print(`would replay ${describeFailure(record)}`);
    return false;
  }
  const response = await invoke(clients.lambda, context.functionName, record.requestPayload);
  if (judgeInvocation(response) !== replayOutcomes.delivered) {
    report.failed += 1;
    print(`failed again ${record.requestContext.requestId}: ${response.FunctionError ?? `status ${response.StatusCode}`}`);
    return false;
  }
  await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: context.queueUrl, ReceiptHandle: message.ReceiptHandle }));
  report.delivered += 1;
  print(`replayed ${record.requestContext.requestId}`);
  return true;
}

async function invoke(lambda: LambdaClient, functionName: string, payload: unknown) {
  try {
    return await lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        Payload: Buffer.from(JSON.stringify(payload)),
      }),
    );
  } catch (cause) {
    if (cause instanceof ResourceNotFoundException) {
      throw new ScriptError(`function ${functionName} not found: deploy the stage or pass --region`, { cause });
    }
    throw cause;
  }
}

async function findQueue(sqs: SQSClient, queueName: string, region: string): Promise<string> {
  try {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
    if (QueueUrl) return QueueUrl;
  } catch (cause) {
    if (!(cause instanceof QueueDoesNotExist)) throw cause;
  }
  throw new ScriptError(`queue ${queueName} not found in ${region}: deploy the stage or pass --region`);
}

/** Makes kept messages visible again now rather than after the long run-visibility timeout. */
async function releaseAll(sqs: SQSClient, queueUrl: string, messages: Message[]): Promise<void> {
  for (const message of messages) {
    await sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }),
    );
  }
}
