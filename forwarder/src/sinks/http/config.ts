import { SinkConfigError } from '../../errors.js';
import type { HttpSinkSettings } from '../shared/http-sink.js';
import type { SinkLimits, SinkOptions } from '../types.js';

/** Settings of the generic HTTP NDJSON sink: the endpoint, without user info, and its headers. */
export type HttpSinkConfig = HttpSinkSettings;

/**
 * Defaults sized for common receivers: Vector's `http_server` and Logstash's `http` input take
 * bodies of several MB; Fluent Bit's `http` input buffers 4 MB (`buffer_max_size`); Sumo Logic
 * recommends 100 KB – 1 MB per request. 1 MiB fits all of them.
 */
export const httpDefaultLimits: SinkLimits = {
  maxBatchRecords: 10_000,
  maxBatchBytes: 1024 * 1024,
  maxMessageBytes: 256 * 1024,
  // A record as large as a whole batch still fits a request on its own.
  maxRecordBytes: 1024 * 1024,
};

/**
 * Reads `http(s)://[user:password@]host[:port]/path`. User info becomes basic auth; a token
 * (LOG_SINK_TOKEN) becomes `Authorization: Bearer`.
 */
export function httpSinkConfig(sink: URL, options: SinkOptions = {}): HttpSinkConfig {
  if (sink.protocol !== 'http:' && sink.protocol !== 'https:') {
    throw new SinkConfigError(`LOG_SINK: the http sink needs an http: or https: URL, got ${sink.protocol}`);
  }
  if (sink.username && options.token) {
    throw new SinkConfigError('LOG_SINK: set either user info in the URL or LOG_SINK_TOKEN, not both');
  }
  // A password from the secret completes the user named in the URL.
  const password = sink.password ? decodeURIComponent(sink.password) : (options.password ?? '');
  const url = new URL(sink.href);
  const headers: Record<string, string> = {};
  if (sink.username) {
    const credentials = `${decodeURIComponent(sink.username)}:${password}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    url.username = '';
    url.password = '';
  } else if (options.token) {
    headers.authorization = `Bearer ${options.token}`;
  }
  return {
    url,
    headers,
    gzip: options.gzip ?? true,
    limits: { ...httpDefaultLimits, ...options.limits },
  };
}
