// The generic HTTP sink: gzip NDJSON for Vector, Fluent Bit, Logstash or a Sumo Logic source.
import { httpSinkFactory } from '../shared/http-sink.js';
import { classifyHttpAnswer } from './classify.js';
import { httpSinkConfig } from './config.js';
import { batchKey, encodeNdjson } from './encode.js';

/** `http(s)://[user:password@]host[:port]/path` */
export const sinkFactory = httpSinkFactory({
  name: 'http',
  contentType: 'application/x-ndjson',
  configure: httpSinkConfig,
  // The same records make the same key on every retry and redelivery, so a receiver can drop what it has.
  encode: (batch) => ({ body: encodeNdjson(batch), headers: { 'idempotency-key': batchKey(batch) } }),
  classify: classifyHttpAnswer,
});
