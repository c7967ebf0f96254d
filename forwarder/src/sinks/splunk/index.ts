// The Splunk HEC sink: batched JSON events to /services/collector/event with `Authorization: Splunk <token>`.
import { classifyNetworkError, headerValue } from '../http/retry.js';
import { failAll, type PreparedRecord, type SendOutcome, type Sink, type SinkFactory } from '../types.js';
import { parseSinkUrl } from '../url.js';
import { splunkSinkConfig, type SplunkSinkConfig } from './config.js';
import { encodeHecBatch } from './encode.js';
import { classifyHecAnswer } from './retry.js';
import { sendHecEvents } from './send.js';

/** `splunk+https://host[:port][?index=&sourcetype=&source=&host=]`, the token from the secret or LOG_SINK_TOKEN. */
export const sinkFactory: SinkFactory = (location, options) => createSplunkSink(splunkSinkConfig(parseSinkUrl(location), options));

export function createSplunkSink(config: SplunkSinkConfig): Sink {
  return {
    name: 'splunk',
    limits: config.limits,
    async send(batch: readonly PreparedRecord[], signal: AbortSignal): Promise<SendOutcome> {
      try {
        const answer = await sendHecEvents(config, encodeHecBatch(batch, config.metadata), signal);
        return classifyHecAnswer(
          { status: answer.status, body: answer.body, retryAfter: headerValue(answer.headers['retry-after']) },
          batch.length,
        );
      } catch (error) {
        const fault = classifyNetworkError(error);
        return { failures: failAll(batch, fault.retryable, fault.reason) };
      }
    },
    async close() {},
  };
}
