// Sends one batch of logs to Datadog's logs intake over the shared kept-alive HTTP client.
import { sendHttp, type HttpAnswer } from '../http/send.js';
import type { DatadogSinkConfig } from './config.js';

/** POSTs a JSON array of logs; resolves with the intake's answer, rejects on network faults and timeouts. */
export function sendDatadogLogs(config: DatadogSinkConfig, body: string, signal: AbortSignal): Promise<HttpAnswer> {
  const headers = { ...config.headers, 'content-type': 'application/json' };
  return sendHttp({ url: config.url, headers, body, gzip: config.gzip }, signal);
}
