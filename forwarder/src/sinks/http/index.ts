// The generic HTTP sink: gzip NDJSON for Vector, Fluent Bit, Logstash or a Sumo Logic source.
import { failAll, type PreparedRecord, type SendOutcome, type Sink, type SinkFactory } from '../types.js';
import { parseSinkUrl } from '../url.js';
import { httpSinkConfig, type HttpSinkConfig } from './config.js';
import { batchKey, encodeNdjson } from './encode.js';
import { classifyNetworkError, classifyStatus, headerValue } from './retry.js';
import { sendHttp } from './send.js';

/** `http(s)://[user:password@]host[:port]/path` */
export const sinkFactory: SinkFactory = (location, options) => createHttpSink(httpSinkConfig(parseSinkUrl(location), options));

export function createHttpSink(config: HttpSinkConfig): Sink {
  return {
    name: 'http',
    limits: config.limits,
    async send(batch: readonly PreparedRecord[], signal: AbortSignal): Promise<SendOutcome> {
      const headers = {
        ...config.headers,
        'content-type': 'application/x-ndjson',
        'idempotency-key': batchKey(batch),
      };
      try {
        const answer = await sendHttp({ url: config.url, headers, body: encodeNdjson(batch), gzip: config.gzip }, signal);
        const verdict = classifyStatus(answer.status, headerValue(answer.headers['retry-after']));
        const answered = `HTTP ${answer.status}${answer.body ? ` ${answer.body.slice(0, 200)}` : ''}`;
        if (verdict.ok) return { failures: [], answer: answered };
        const reason = answer.body ? `${verdict.reason}: ${answer.body.slice(0, 200)}` : verdict.reason;
        return {
          failures: failAll(batch, verdict.retryable, reason),
          ...(verdict.retryAfterMs !== undefined ? { retryAfterMs: verdict.retryAfterMs } : {}),
          ...(verdict.tooLarge ? { tooLarge: true } : {}),
          answer: answered,
        };
      } catch (error) {
        const fault = classifyNetworkError(error);
        return { failures: failAll(batch, fault.retryable, fault.reason) };
      }
    },
    async close() {},
  };
}
