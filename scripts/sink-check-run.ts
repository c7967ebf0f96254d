// Sends one test record to a sink, once, and says what happened: the core of `npm run sink:check`.
import { hostname } from 'node:os';
import type { ForwarderConfig } from '../forwarder/src/config.js';
import { configuredSink } from '../forwarder/src/sinks/configured.js';
import { StreamTracker } from '../forwarder/src/stream-context.js';
import { transformPayload } from '../forwarder/src/transform.js';

export interface SinkCheckReport {
  sink: string;
  ok: boolean;
  /** Milliseconds from sending the record to the store's answer. */
  latencyMs: number;
  eventId: string;
  answer: string;
}

/**
 * Builds one record the way the forwarder builds any (so it is shaped and sized like the real
 * ones), sends it in a single attempt without retries, and reports the store's answer.
 */
export async function checkSink(config: ForwarderConfig, now = new Date()): Promise<SinkCheckReport> {
  const sink = await configuredSink(config);
  const eventId = `sink-check-${now.getTime()}-${process.pid}`;
  const stage = config.stage ?? 'local';
  const { records } = transformPayload(
    {
      messageType: 'DATA_MESSAGE',
      owner: '000000000000',
      logGroup: `/aws/lambda/log-forwarder-${stage}-sink-check`,
      logStream: `${now.toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]sink-check`,
      subscriptionFilters: ['sink-check'],
      logEvents: [{ id: eventId, timestamp: now.getTime(), message: `${now.toISOString()}\tsink-check\tINFO\tsink check from ${hostname()}\n` }],
    },
    { region: config.region, stage, streams: new StreamTracker(), maxMessageBytes: sink.limits.maxMessageBytes },
  );
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${config.requestTimeoutMs} ms`)), config.requestTimeoutMs);
  const started = performance.now();
  try {
    const outcome = await sink.send(records, controller.signal);
    const latencyMs = performance.now() - started;
    const failure = outcome.failures[0];
    return {
      sink: sink.name,
      ok: failure === undefined,
      latencyMs,
      eventId,
      answer: failure ? `${failure.retryable ? 'retryable' : 'permanent'} failure: ${failure.reason}` : (outcome.answer ?? 'stored'),
    };
  } finally {
    clearTimeout(timer);
    await sink.close();
  }
}
