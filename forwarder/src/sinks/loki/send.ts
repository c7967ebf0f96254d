// Sends one push request to Loki over the shared kept-alive HTTP client.
import { sendHttp, type HttpAnswer } from '../http/send.js';
import type { LokiSinkConfig } from './config.js';

/** A 400 lists every refused entry; keep enough of it to name them (about 200 bytes each). */
const answerBytes = 256 * 1024;

/** POSTs a push body; resolves with Loki's answer, rejects on network faults and timeouts. */
export function sendLokiPush(config: LokiSinkConfig, body: string, signal: AbortSignal): Promise<HttpAnswer> {
  const headers = { ...config.headers, 'content-type': 'application/json' };
  return sendHttp({ url: config.url, headers, body, gzip: config.gzip, maxBodyBytes: answerBytes }, signal);
}
