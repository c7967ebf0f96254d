// The generic HTTP sink: gzip NDJSON for Vector, Fluent Bit, Logstash or a Sumo Logic source.
import { createHttpSink } from '../shared/http-sink.js';
import { parseSinkUrl } from '../shared/url.js';
import type { Sink, SinkFactory } from '../types.js';
import { classifyHttpAnswer } from './classify.js';
import { httpSinkConfig, type HttpSinkConfig } from './config.js';
import { batchKey, encodeNdjson } from './encode.js';

/** `http(s)://[user:password@]host[:port]/path` */
export const sinkFactory: SinkFactory = (location, options) => createNdjsonSink(httpSinkConfig(parseSinkUrl(location), options));

export function createNdjsonSink(config: HttpSinkConfig): Sink {
  return createHttpSink({
    name: 'http',
    limits: config.limits,
    url: config.url,
    headers: { ...config.headers, 'content-type': 'application/x-ndjson' },
    gzip: config.gzip,
    encode: (batch) => ({ body: encodeNdjson(batch), headers: { 'idempotency-key': batchKey(batch) }, sent: undefined }),
    classify: (answer, count) => classifyHttpAnswer(answer, count),
  });
}
