// The Loki sink: JSON pushes to /loki/api/v1/push, streams by what a batch shares (service, stage, function, level, log group, account, region).
import { httpSinkFactory } from '../shared/http-sink.js';
import { classifyLokiAnswer } from './classify.js';
import { lokiSinkConfig } from './config.js';
import { encodeLokiPush, lokiStreams } from './encode.js';

/** `loki+https://[user[:password]@]host[:port][/prefix][?tenant=<org id>]` */
export const sinkFactory = httpSinkFactory({
  name: 'loki',
  contentType: 'application/json',
  configure: lokiSinkConfig,
  // A 400 lists every refused entry; keep enough of it to name them (about 200 bytes each).
  maxAnswerBytes: 256 * 1024,
  encode: (batch) => {
    const streams = lokiStreams(batch);
    return { body: encodeLokiPush(streams), sent: streams };
  },
  classify: classifyLokiAnswer,
});
