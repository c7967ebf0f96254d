// The Splunk HEC sink: batched JSON events to /services/collector/event with `Authorization: Splunk <token>`.
import { createHttpSink } from '../shared/http-sink.js';
import { parseSinkUrl } from '../shared/url.js';
import type { SinkFactory } from '../types.js';
import { classifyHecAnswer } from './classify.js';
import { splunkSinkConfig } from './config.js';
import { encodeHecBatch } from './encode.js';

/** `splunk+https://host[:port][?index=&sourcetype=&source=&host=]`, the token from the secret or LOG_SINK_TOKEN. */
export const sinkFactory: SinkFactory = (location, options) => {
  const config = splunkSinkConfig(parseSinkUrl(location), options);
  return createHttpSink({
    ...config,
    name: 'splunk',
    contentType: 'application/json',
    encode: (batch) => ({ body: encodeHecBatch(batch, config.metadata), sent: undefined }),
    classify: (answer, count) => classifyHecAnswer(answer, count),
  });
};
