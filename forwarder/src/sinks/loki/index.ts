// The Loki sink: JSON pushes to /loki/api/v1/push, streams by service, stage, function and level.
import { createHttpSink } from '../shared/http-sink.js';
import { parseSinkUrl } from '../shared/url.js';
import type { SinkFactory } from '../types.js';
import { classifyLokiAnswer } from './classify.js';
import { lokiSinkConfig } from './config.js';
import { encodeLokiPush, lokiStreams } from './encode.js';

/** A 400 lists every refused entry; keep enough of it to name them (about 200 bytes each). */
const answerBytes = 256 * 1024;

/** `loki+https://[user[:password]@]host[:port][/prefix][?tenant=<org id>]` */
export const sinkFactory: SinkFactory = (location, options) => {
  const config = lokiSinkConfig(parseSinkUrl(location), options);
  return createHttpSink({
    ...config,
    name: 'loki',
    contentType: 'application/json',
    maxAnswerBytes: answerBytes,
    encode: (batch) => {
      const streams = lokiStreams(batch);
      return { body: encodeLokiPush(streams), sent: streams };
    },
    classify: (answer, count, streams) => classifyLokiAnswer(answer, streams, count),
  });
};
