// What both functions of the forwarder read and build once per cold start: the configuration,
// the logger, the transform and delivery settings, the sink (with its secret) and the failure queue.
import type { Context } from 'aws-lambda';
import { createLogger, invocationLogger } from '../../shared/logger.js';
import { loadConfig, type ForwarderConfig } from './config.js';
import { FailureQueue } from './failure-queue.js';
import { createFilter } from './filter.js';
import type { ForwardDependencies } from './forward.js';
import { createRedactor } from './redact.js';
import { configuredSink } from './sinks/configured.js';
import { StreamTracker } from './stream-context.js';

export interface ColdStart {
  config: ForwarderConfig;
  /** The dependencies of one invocation; awaits the sink, so a bad secret fails every invocation with its reason. */
  dependencies(context: Context): Promise<ForwardDependencies>;
}

/** Reads the environment; a bad variable throws a ConfigError naming it, which fails the init. */
export function coldStart(env: NodeJS.ProcessEnv, service: string): ColdStart {
  const config = loadConfig(env);
  const logger = createLogger({ service, stage: config.stage ?? 'local', functionName: config.functionName, level: config.logLevel });
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
    ...(config.retryWindowMs !== undefined ? { retryWindowMs: config.retryWindowMs } : {}),
  };
  const failureQueue = config.failureQueue ? new FailureQueue(config.failureQueue) : undefined;
  // The secret is read once per cold start; a failure fails every invocation of this environment
  // (Lambda retries, then the event or message waits on its queue) until a new one starts.
  const sinkReady = configuredSink(config);
  // The rejection is reported by the first invocation that awaits it, not as an unhandled one.
  sinkReady.catch(() => undefined);
  return {
    config,
    async dependencies(context) {
      return {
        sink: await sinkReady,
        logger: invocationLogger(logger, context),
        functionName: config.functionName,
        transform,
        delivery,
        ...(failureQueue ? { failureQueue } : {}),
      };
    },
  };
}
