import type { CloudWatchLogsEvent, Context } from 'aws-lambda';
import { coldStart } from './cold-start.js';
import { forwardEvent, type ForwardSummary } from './forward.js';

// Read once per cold start; a bad variable fails the init with its name in the message.
const forwarder = coldStart(process.env, 'log-forwarder');

/** CloudWatch Logs subscription handler: decode, parse, ship; parks what the sink did not take, and throws only when parking fails. */
export async function handler(event: CloudWatchLogsEvent, context: Context): Promise<ForwardSummary> {
  return forwardEvent(event, await forwarder.dependencies(context), () => context.getRemainingTimeInMillis());
}
