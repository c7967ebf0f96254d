// The Datadog sink: JSON arrays of logs to the v2 logs intake with `DD-API-KEY`.
import { classifyNetworkError, headerValue } from '../http/retry.js';
import { failAll, type PreparedRecord, type SendOutcome, type Sink, type SinkFactory } from '../types.js';
import { parseSinkUrl } from '../url.js';
import { datadogSinkConfig, type DatadogSinkConfig } from './config.js';
import { encodeDatadogBatch } from './encode.js';
import { classifyDatadogAnswer } from './retry.js';
import { sendDatadogLogs } from './send.js';

/** `datadog+https://<intake host>[?service=&tags=k:v,k2:v2&source=]`, the API key from the secret or LOG_SINK_TOKEN. */
export const sinkFactory: SinkFactory = (location, options) => createDatadogSink(datadogSinkConfig(parseSinkUrl(location), options));

export function createDatadogSink(config: DatadogSinkConfig): Sink {
  return {
    name: 'datadog',
    limits: config.limits,
    async send(batch: readonly PreparedRecord[], signal: AbortSignal): Promise<SendOutcome> {
      try {
        const answer = await sendDatadogLogs(config, encodeDatadogBatch(batch, config.defaults), signal);
        return classifyDatadogAnswer(
          {
            status: answer.status,
            body: answer.body,
            retryAfter: headerValue(answer.headers['retry-after']),
            rateLimitReset: headerValue(answer.headers['x-ratelimit-reset']),
          },
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
