// The Datadog sink: JSON arrays of logs to the v2 logs intake with `DD-API-KEY`.
import type { PreparedRecord } from '../../record.js';
import { httpSinkFactory } from '../shared/http-sink.js';
import { classifyDatadogAnswer } from './classify.js';
import { datadogSinkConfig, type DatadogSinkConfig } from './config.js';
import { encodeDatadogBatch } from './encode.js';

const encode = (batch: readonly PreparedRecord[], { defaults }: DatadogSinkConfig) => ({ body: encodeDatadogBatch(batch, defaults) });

/** `datadog+https://<intake host>[?service=&tags=k:v,k2:v2&source=]`, the API key from the secret or LOG_SINK_TOKEN. */
export const sinkFactory = httpSinkFactory({ name: 'datadog', contentType: 'application/json', configure: datadogSinkConfig, encode, classify: classifyDatadogAnswer });
