// The Loki sink: JSON pushes to /loki/api/v1/push, streams by service, stage, function and level.
import { createHttpSink } from '../shared/http-sink.js';
import { parseSinkUrl } from '../shared/url.js';
import type { Sink, SinkFactory } from '../types.js';
import { classifyLokiAnswer } from './classify.js';
import { lokiSinkConfig, type LokiSinkConfig } from './config.js';
import { encodeLokiPush, lokiStreams } from './encode.js';

/** `loki+https://[user[:password]@]host[:port][/prefix][?tenant=<org id>]` */
export const sinkFactory: SinkFactory = (location, options) => createLokiSink(lokiSinkConfig(parseSinkUrl(location), options));

/** A 400 lists every refused entry; keep enough of it to name them (about 200 bytes each). */
const answerBytes = 256 * 1024;

export function createLokiSink(config: LokiSinkConfig): Sink {
  return createHttpSink({
    name: 'loki',
    limits: config.limits,
    url: config.url,
    headers: { ...config.headers, 'content-type': 'application/json' },
    gzip: config.gzip,
    maxAnswerBytes: answerBytes,
    encode: (batch) => {
      const streams = lokiStreams(batch);
      return { body: encodeLokiPush(streams), sent: streams };
    },
    classify: (answer, count, streams) => classifyLokiAnswer(answer, streams, count),
  });
}
