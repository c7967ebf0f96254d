// The generic HTTP sink: gzip NDJSON for Vector, Fluent Bit, Logstash or a Sumo Logic source.
import { createHttpSink } from '../shared/http-sink.js';
import { parseSinkUrl } from '../shared/url.js';
import type { SinkFactory } from '../types.js';
import { classifyHttpAnswer } from './classify.js';
import { httpSinkConfig } from './config.js';
import { batchKey, encodeNdjson } from './encode.js';

/** `http(s)://[user:password@]host[:port]/path` */
export const sinkFactory: SinkFactory = (location, options) => {
  const config = httpSinkConfig(parseSinkUrl(location), options);
  return createHttpSink({
    ...config,
    name: 'http',
    contentType: 'application/x-ndjson',
    encode: (batch) => ({ body: encodeNdjson(batch), headers: { 'idempotency-key': batchKey(batch) }, sent: undefined }),
    classify: (answer, count) => classifyHttpAnswer(answer, count),
  });
};
