import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { coldStart } from './cold-start.js';
import { redeliver } from './redeliver.js';

// The same configuration as the forwarder: the same sink, secret and queues.
const forwarder = coldStart(process.env, 'log-forwarder-replay');

/**
 * The failure queue's event source (ReportBatchItemFailures): redelivers each parked message's
 * records through the same sink code and answers with exactly the messages still undelivered.
 */
export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  const { batchItemFailures } = await redeliver(event.Records, await forwarder.dependencies(context), () => context.getRemainingTimeInMillis());
  return { batchItemFailures };
}
