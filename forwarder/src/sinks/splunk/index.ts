// The Splunk HEC sink: batched JSON events to /services/collector/event with `Authorization: Splunk <token>`.
import { createHttpSink } from '../shared/http-sink.js';
import { parseSinkUrl } from '../shared/url.js';
import type { Sink, SinkFactory } from '../types.js';
import { classifyHecAnswer } from './classify.js';
import { splunkSinkConfig, type SplunkSinkConfig } from './config.js';
import { encodeHecBatch } from './encode.js';

/** `splunk+https://host[:port][?index=&sourcetype=&source=&host=]`, the token from the secret or LOG_SINK_TOKEN. */
export const sinkFactory: SinkFactory = (location, options) => createSplunkSink(splunkSinkConfig(parseSinkUrl(location), options));

export function createSplunkSink(config: SplunkSinkConfig): Sink {
  return createHttpSink({
    name: 'splunk',
    limits: config.limits,
    url: config.url,
    headers: { ...config.headers, 'content-type': 'application/json' },
    gzip: config.gzip,
    encode: (batch) => ({ body: encodeHecBatch(batch, config.metadata), sent: undefined }),
    classify: (answer, count) => classifyHecAnswer(answer, count),
  });
}
