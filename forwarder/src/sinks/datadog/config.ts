// Reads `datadog+https://<intake host>[?service=&tags=&source=]` and the API key into the sink's settings.
import { SinkConfigError } from '../../errors.js';
import type { SinkLimits, SinkOptions } from '../types.js';

/** What the sink adds to every log besides what the record says. */
export interface DatadogDefaults {
  /** `ddsource`: the integration whose pipeline Datadog applies. */
  source: string;
  /** The service of records that name none (before the function name). */
  service?: string;
  /** Tags added to every log's `ddtags`, `key:value` each. */
  tags: string[];
}

/** Settings of the Datadog sink. */
export interface DatadogSinkConfig {
  /** The logs intake endpoint, `https://<intake host>/api/v2/logs`. */
  url: URL;
  headers: Record<string, string>;
  gzip: boolean;
  defaults: DatadogDefaults;
  limits: SinkLimits;
}

export const datadogLogsPath = '/api/v2/logs';

/**
 * The intake's documented limits per request (https://docs.datadoghq.com/api/latest/logs/#send-logs):
 * at most 1,000 logs, 5 MB uncompressed, 1 MB per log (larger logs are truncated by Datadog).
 * 4.5 MB of records leaves 500 bytes per log for the fields the sink adds beyond its estimate.
 * Messages are cut at 256 KiB so that a message and its stack trace fit in 1 MB with the record.
 */
export const datadogDefaultLimits: SinkLimits = {
  maxBatchRecords: 1_000,
  maxBatchBytes: 4_500_000,
  maxMessageBytes: 256 * 1024,
};

/**
 * What the sink adds to each record's JSON, at most, for a Lambda log group: the keys (82
 * bytes with the array's comma), the stage (32), the function in `ddtags` and as `hostname`
 * (64 each, Lambda's limit), the service (64) and the status (5).
 */
const addedBytes = 82 + 32 + 64 + 64 + 64 + 5;

const knownParameters = new Set(['service', 'tags', 'source']);

/** Reads the Datadog sink URL; the API key comes from the secret or LOG_SINK_TOKEN, never the URL. */
export function datadogSinkConfig(sink: URL, options: SinkOptions = {}): DatadogSinkConfig {
  const scheme = /^datadog\+(https?):$/.exec(sink.protocol)?.[1];
  if (!scheme) throw new SinkConfigError(`LOG_SINK: the datadog sink needs a datadog+https: URL, got ${sink.protocol}`);
  if (!sink.hostname) throw new SinkConfigError('LOG_SINK: the datadog sink needs the intake host, e.g. datadog+https://http-intake.logs.datadoghq.com');
  if (sink.username || sink.password) {
    throw new SinkConfigError('LOG_SINK: put the Datadog API key in the secret (LOG_SINK_SECRET_ID) or LOG_SINK_TOKEN, not in the URL');
  }
  if (!options.token) {
    throw new SinkConfigError('LOG_SINK: the datadog sink needs an API key: set LOG_SINK_SECRET_ID (deployed) or LOG_SINK_TOKEN (local)');
  }
  const defaults: DatadogDefaults = { source: 'lambda', tags: [] };
  for (const [name, value] of sink.searchParams) {
    if (!knownParameters.has(name)) throw new SinkConfigError(`LOG_SINK: unknown datadog parameter "${name}"; use service, tags or source`);
    if (value.trim() === '') throw new SinkConfigError(`LOG_SINK: the datadog ${name} parameter is empty`);
    if (name === 'tags') defaults.tags = parseTags(value);
    else if (name === 'service') defaults.service = value;
    else defaults.source = value;
  }
  const prefix = sink.pathname.replace(/\/+$/, '');
  const path = prefix.endsWith(datadogLogsPath) ? prefix : `${prefix}${datadogLogsPath}`;
  const configured = defaults.source.length + (defaults.service?.length ?? 0) + defaults.tags.join(',').length + 1;
  return {
    url: new URL(`${scheme}://${sink.host}${path}`),
    headers: { 'dd-api-key': options.token },
    gzip: options.gzip ?? true,
    defaults,
    limits: { ...datadogDefaultLimits, recordOverheadBytes: addedBytes + configured, ...options.limits },
  };
}

/** `team:core,tier:1` → ['team:core', 'tier:1']; each tag must be `key:value` or a bare key. */
function parseTags(value: string): string[] {
  const tags = value.split(',').map((tag) => tag.trim());
  const bad = tags.find((tag) => tag === '' || tag.startsWith(':'));
  if (bad !== undefined) throw new SinkConfigError(`LOG_SINK: the datadog tags parameter has an empty tag or key in "${value}"; use key:value,key2:value2`);
  return tags;
}
