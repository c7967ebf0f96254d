// Sends one batch of events to the HEC event endpoint over the shared kept-alive HTTP client.
import { sendHttp, type HttpAnswer } from '../http/send.js';
import type { SplunkSinkConfig } from './config.js';

/** POSTs concatenated events; resolves with HEC's answer, rejects on network faults and timeouts. */
export function sendHecEvents(config: SplunkSinkConfig, body: string, signal: AbortSignal): Promise<HttpAnswer> {
  const headers = { ...config.headers, 'content-type': 'application/json' };
  return sendHttp({ url: config.url, headers, body, gzip: config.gzip }, signal);
}
