// The Splunk HEC sink: batched JSON events to /services/collector/event with `Authorization: Splunk <token>`.
import type { PreparedRecord } from '../../record.js';
import { httpSinkFactory } from '../shared/http-sink.js';
import { awaitAck } from './ack.js';
import { classifyHecAnswer } from './classify.js';
import { splunkSinkConfig, type SplunkSinkConfig } from './config.js';
import { encodeHecBatch } from './encode.js';

/** `splunk+https://host[:port][?index=&sourcetype=&source=&host=]`, the token from the secret or LOG_SINK_TOKEN. */
export const sinkFactory = httpSinkFactory({
  name: 'splunk',
  contentType: 'application/json',
  configure: splunkSinkConfig,
  encode: (batch: readonly PreparedRecord[], { metadata }: SplunkSinkConfig) => ({ body: encodeHecBatch(batch, metadata) }),
  classify: classifyHecAnswer,
  confirmer: ({ ack, headers }) => (ack ? (answer, count, signal) => awaitAck(answer, count, { ...ack, headers }, signal) : undefined),
});
