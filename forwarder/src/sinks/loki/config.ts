// Reads `loki+https://[user[:password]@]host[:port][/prefix][?tenant=…]` into the push endpoint, headers and limits.
import { SinkConfigError } from '../../errors.js';
import type { HttpSinkSettings } from '../shared/http-sink.js';
import { endpointPath, knownParameters, recordLimit, recordLimitParameter } from '../shared/url.js';
import type { SinkLimits, SinkOptions } from '../types.js';

/** Settings of the Loki sink: the push endpoint, without user info, and its headers. */
export type LokiSinkConfig = HttpSinkSettings;

export const lokiPushPath = '/loki/api/v1/push';

/**
 * Loki's documented defaults (https://grafana.com/docs/loki/latest/configure/#limits_config and
 * #server): `max_line_size` 256KB per line, `grpc_server_max_recv_msg_size` 4 MiB per push (the
 * distributor forwards it to ingesters over gRPC), `ingestion_burst_size_mb` 6 MB ("at least the
 * maximum logs size expected in a single push request"), `ingestion_rate_mb` 4 MB/s per tenant.
 * 1 MiB per push is Promtail's and Alloy's default `batch_size` and a quarter of the gRPC limit,
 * so a push stays far below it even when a record's escaping costs more than estimated.
 * Messages are cut at 100 KiB so that a message and its stack trace stay under `max_line_size`
 * together with the rest of the record, which is the line.
 */
export const lokiDefaultLimits: SinkLimits = {
  maxBatchRecords: 10_000,
  maxBatchBytes: 1024 * 1024,
  maxMessageBytes: 100 * 1024,
  // `max_line_size`: the line is the record's JSON.
  maxRecordBytes: 256 * 1024,
  // `["<19 digits>","…"],` frames each line (26 bytes), and the line is a JSON string: escaping
  // the quotes of a record adds 90–110 bytes for the records of test/fixtures (measured).
  recordOverheadBytes: 128,
};

/**
 * Reads the Loki sink URL. User info in the URL is basic auth; a password (or token) from the
 * secret completes a user named without one (Grafana Cloud: user = the stack's user id, password
 * = an access token). Without a user, a token is sent as `Authorization: Bearer`.
 */
export function lokiSinkConfig(sink: URL, options: SinkOptions = {}): LokiSinkConfig {
  const scheme = /^loki\+(https?):$/.exec(sink.protocol)?.[1];
  if (!scheme) throw new SinkConfigError(`LOG_SINK: the loki sink needs a loki+https: or loki+http: URL, got ${sink.protocol}`);
  if (!sink.hostname) throw new SinkConfigError('LOG_SINK: the loki sink needs a host, e.g. loki+https://logs.example.com');
  const parameters = knownParameters(sink, 'loki', ['tenant', recordLimitParameter]);
  const tenant = parameters.get('tenant');
  const url = new URL(`${scheme}://${sink.host}${endpointPath(sink, lokiPushPath)}`);
  const headers: Record<string, string> = {};
  const authorization = lokiAuthorization(sink, options);
  if (authorization) headers.authorization = authorization;
  if (tenant !== undefined) headers['x-scope-orgid'] = tenant;
  return { url, headers, gzip: options.gzip ?? true, limits: { ...lokiDefaultLimits, ...recordLimit(parameters.get(recordLimitParameter), 'loki'), ...options.limits } };
}

function lokiAuthorization(sink: URL, options: SinkOptions): string | undefined {
  const user = sink.username ? decodeURIComponent(sink.username) : options.username;
  const secret = options.password ?? options.token;
  if (!user) return options.token ? `Bearer ${options.token}` : undefined;
  if (sink.password && secret) {
    throw new SinkConfigError('LOG_SINK: the loki URL has a password and a secret (or LOG_SINK_TOKEN) is set too; keep one');
  }
  const password = sink.password ? decodeURIComponent(sink.password) : (secret ?? '');
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
