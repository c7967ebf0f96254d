// The Datadog sink: JSON arrays of logs to the v2 logs intake with `DD-API-KEY`.
import { createHttpSink } from '../shared/http-sink.js';
import { parseSinkUrl } from '../shared/url.js';
import type { SinkFactory } from '../types.js';
import { classifyDatadogAnswer } from './classify.js';
import { datadogSinkConfig } from './config.js';
import { encodeDatadogBatch } from './encode.js';

/** `datadog+https://<intake host>[?service=&tags=k:v,k2:v2&source=]`, the API key from the secret or LOG_SINK_TOKEN. */
export const sinkFactory: SinkFactory = (location, options) => {
  const config = datadogSinkConfig(parseSinkUrl(location), options);
  return createHttpSink({
    ...config,
    name: 'datadog',
    contentType: 'application/json',
    encode: (batch) => ({ body: encodeDatadogBatch(batch, config.defaults), sent: undefined }),
    classify: (answer, count) => classifyDatadogAnswer(answer, count),
  });
};
