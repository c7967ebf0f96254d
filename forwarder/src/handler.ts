import type { CloudWatchLogsEvent, Context } from 'aws-lambda';
import { createLogger, invocationLogger } from '../../shared/logger.js';
import { loadConfig } from './config.js';
import { FailureQueue } from './failure-queue.js';
import { createFilter } from './filter.js';
import { forwardEvent, type ForwardDependencies, type ForwardSummary } from './forward.js';
import { createRedactor } from './redact.js';
import { configuredSink } from './sinks/configured.js';
import { StreamTracker } from './stream-context.js';

// Read once per cold start; a bad variable fails the init with its name in the message.
const config = loadConfig(process.env);
const logger = createLogger({ service: 'log-forwarder', stage: config.stage ?? 'local', functionName: config.functionName, level: config.logLevel });
const transform = {
  region: config.region,
  stage: config.stage,
  streams: new StreamTracker(),
  filter: createFilter(config.filter),
  redactor: createRedactor(config.redaction),
};
const delivery = {
  concurrency: config.concurrency,
  requestTimeoutMs: config.requestTimeoutMs,
  retry: { baseDelayMs: config.retryBaseMs, maxDelayMs: config.retryMaxMs },
};
const failureQueue = config.failureQueue ? new FailureQueue(config.failureQueue) : undefined;
// The secret is read once per cold start; a failure fails every invocation of this environment
// (Lambda retries the event, then keeps it in the failure queue) until a new one starts.
const sinkReady = configuredSink(config);
// The rejection is reported by the first invocation that awaits it, not as an unhandled one.
sinkReady.catch(() => undefined);

/** CloudWatch Logs subscription handler: decode, parse, ship; parks what the sink did not take, and throws only when parking fails. */
export async function handler(event: CloudWatchLogsEvent, context: Context): Promise<ForwardSummary> {
  const deps: ForwardDependencies = {
    sink: await sinkReady,
    logger: invocationLogger(logger, context),
    functionName: config.functionName,
    transform,
    delivery,
    ...(failureQueue ? { failureQueue } : {}),
  };
  return forwardEvent(event, deps, () => context.getRemainingTimeInMillis());
}
