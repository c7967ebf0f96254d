// The Loki sink: JSON pushes to /loki/api/v1/push, streams by service, stage, function and level.
import { classifyNetworkError, headerValue } from '../http/retry.js';
import { failAll, type PreparedRecord, type SendOutcome, type Sink, type SinkFactory } from '../types.js';
import { parseSinkUrl } from '../url.js';
import { lokiSinkConfig, type LokiSinkConfig } from './config.js';
import { encodeLokiPush, lokiStreams } from './encode.js';
import { classifyLokiAnswer } from './retry.js';
import { sendLokiPush } from './send.js';

/** `loki+https://[user[:password]@]host[:port][/prefix][?tenant=<org id>]` */
export const sinkFactory: SinkFactory = (location, options) => createLokiSink(lokiSinkConfig(parseSinkUrl(location), options));

export function createLokiSink(config: LokiSinkConfig): Sink {
  return {
    name: 'loki',
    limits: config.limits,
    async send(batch: readonly PreparedRecord[], signal: AbortSignal): Promise<SendOutcome> {
      const streams = lokiStreams(batch);
      try {
        const answer = await sendLokiPush(config, encodeLokiPush(streams), signal);
        return classifyLokiAnswer(
          { status: answer.status, body: answer.body, retryAfter: headerValue(answer.headers['retry-after']) },
          streams,
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
