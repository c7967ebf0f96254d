// `npm run replay`'s first step: the dead-letter queue's messages go back to the failure queue,
// where the replay function delivers them, with SQS's own message move task.
import {
  ChangeMessageVisibilityCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  StartMessageMoveTaskCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ScriptError } from '../tools/errors.js';
import type { ReplayOptions } from './replay-parse.js';

/** Queue names of resources/forwarder-parked-queues.yml. */
export const parkedQueueName = (stage: string) => `log-forwarder-${stage}-parked`;
export const deadLetterQueueName = (stage: string) => `log-forwarder-${stage}-dead-letters`;

export interface DeadLetterReport {
  /** Messages on the dead-letter queue when the run started. */
  waiting: number;
  /** Messages moved back (0 on a dry run). */
  moved: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function queueArn(sqs: SQSClient, name: string): Promise<{ url: string; arn: string; waiting: number } | undefined> {
  let url: string | undefined;
  try {
    url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch (cause) {
    if (cause instanceof QueueDoesNotExist) return undefined;
    throw cause;
  }
  if (!url) return undefined;
  const { Attributes: attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages'] }));
  if (!attributes.QueueArn) throw new ScriptError(`queue ${name} has no ARN in its attributes`);
  return { url, arn: attributes.QueueArn, waiting: Number(attributes.ApproximateNumberOfMessages ?? 0) };
}

/** Lists up to `max` dead letters, then makes them visible again: what a move would send back. */
async function listDeadLetters(sqs: SQSClient, url: string, max: number, print: (line: string) => void): Promise<void> {
  const held: string[] = [];
  try {
    while (held.length < max) {
      // Hidden while the listing runs, so each message shows once.
      const { Messages: messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: Math.min(10, max - held.length), VisibilityTimeout: 300, MessageAttributeNames: ['All'], WaitTimeSeconds: 1 }),
      );
      if (messages.length === 0) break;
      for (const message of messages) {
        held.push(message.ReceiptHandle!);
        const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue ?? '?';
        print(`would move ${message.MessageId}: ${attribute('records')} record(s) for ${attribute('sink')}, ${attribute('failure')}: ${attribute('reason')}`);
      }
    }
  } finally {
    for (const handle of held) await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 0 }));
  }
}

/**
 * Moves every message of the dead-letter queue back to the failure queue (StartMessageMoveTask),
 * and waits for the task to finish. A stage deployed before the queues existed has none: nothing
 * to do. The move needs sqs:StartMessageMoveTask, ReceiveMessage, DeleteMessage and
 * GetQueueAttributes on the dead-letter queue and sqs:SendMessage on the failure queue.
 */
export async function moveDeadLetters(options: ReplayOptions, sqs: SQSClient, print: (line: string) => void, waitMs = 120_000): Promise<DeadLetterReport> {
  const dead = await queueArn(sqs, deadLetterQueueName(options.stage));
  const parked = await queueArn(sqs, parkedQueueName(options.stage));
  if (!dead || !parked) {
    print(`no ${deadLetterQueueName(options.stage)} and ${parkedQueueName(options.stage)} queues in ${options.region}: this stage parks no records`);
    return { waiting: 0, moved: 0 };
  }
  if (dead.waiting === 0) {
    print(`${deadLetterQueueName(options.stage)} is empty`);
    return { waiting: 0, moved: 0 };
  }
  if (options.dryRun) {
    await listDeadLetters(sqs, dead.url, options.max, print);
    print(`dry run: would move ${dead.waiting} message(s) from ${deadLetterQueueName(options.stage)} back to ${parkedQueueName(options.stage)}`);
    return { waiting: dead.waiting, moved: 0 };
  }
  const { TaskHandle: handle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dead.arn, DestinationArn: parked.arn }));
  const until = Date.now() + waitMs;
  for (;;) {
    const { Results: tasks = [] } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dead.arn, MaxResults: 10 }));
    const task = tasks.find((candidate) => candidate.TaskHandle === handle) ?? tasks[0];
    if (task?.Status === 'COMPLETED') {
      print(`moved ${task.ApproximateNumberOfMessagesMoved ?? 0} message(s) from ${deadLetterQueueName(options.stage)} back to ${parkedQueueName(options.stage)}; the replay function delivers them`);
      return { waiting: dead.waiting, moved: task.ApproximateNumberOfMessagesMoved ?? 0 };
    }
    if (task?.Status === 'FAILED' || task?.Status === 'CANCELLED') throw new ScriptError(`moving the dead letters back ${task.Status.toLowerCase()}: ${task.FailureReason ?? 'no reason given'}`);
    if (Date.now() > until) {
      print(`the move of ${dead.waiting} message(s) is still running (task ${handle}); it goes on without this script`);
      return { waiting: dead.waiting, moved: task?.ApproximateNumberOfMessagesMoved ?? 0 };
    }
    await sleep(2_000);
  }
}
