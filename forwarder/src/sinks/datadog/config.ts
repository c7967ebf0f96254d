// Reads `datadog+https://<intake host>[?service=&tags=&source=]` and the API key into the sink's settings.
import { SinkConfigError } from '../../errors.js';
import type { HttpSinkSettings } from '../shared/http-sink.js';
import { endpointPath, recordLimit, recordLimitParameter, tokenStoreEndpoint } from '../shared/url.js';
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

/** Settings of the Datadog sink; its `url` is the logs intake endpoint, `https://<intake host>/api/v2/logs`. */
export interface DatadogSinkConfig extends HttpSinkSettings {
  defaults: DatadogDefaults;
}

export const datadogLogsPath = '/api/v2/logs';

/**
 * The intake's documented limits per request (https://docs.datadoghq.com/api/latest/logs/#send-logs):
 * at most 1,000 logs, 5 MB uncompressed, 1 MB per log ("Maximum size for a single log: 1MB";
 * larger logs are truncated by Datadog, so the sink cuts them itself, visibly). 4.5 MB of records
 * leaves 500 bytes per log for the fields the sink adds beyond its estimate. Messages are cut at
 * 256 KiB so that a message and its stack trace fit in 1 MB with the record.
 */
export const datadogDefaultLimits: SinkLimits = { maxBatchRecords: 1_000, maxBatchBytes: 4_500_000, maxMessageBytes: 256 * 1024, maxRecordBytes: 1_000_000 };

/**
 * What the sink adds to each record's JSON, at most, for a Lambda log group: the keys (82
 * bytes with the array's comma), the stage (32), the function in `ddtags` and as `hostname`
 * (64 each, Lambda's limit), the service (64) and the status (5).
 */
const addedBytes = 82 + 32 + 64 + 64 + 64 + 5;

const datadogExample = 'datadog+https://http-intake.logs.datadoghq.com';

/** Reads the Datadog sink URL; the API key comes from the secret or LOG_SINK_TOKEN, never the URL. */
export function datadogSinkConfig(sink: URL, options: SinkOptions = {}): DatadogSinkConfig {
  const { scheme, token, parameters } = tokenStoreEndpoint(sink, options.token, { name: 'datadog', credential: 'API key', example: datadogExample, parameters: ['service', 'tags', 'source', recordLimitParameter] });
  const defaults: DatadogDefaults = { source: parameters.get('source') ?? 'lambda', tags: [] };
  const tags = parameters.get('tags');
  if (tags !== undefined) defaults.tags = parseTags(tags);
  const service = parameters.get('service');
  if (service !== undefined) defaults.service = service;
  const configured = defaults.source.length + (defaults.service?.length ?? 0) + defaults.tags.join(',').length + 1;
  return {
    url: new URL(`${scheme}://${sink.host}${endpointPath(sink, datadogLogsPath)}`),
    headers: { 'dd-api-key': token },
    gzip: options.gzip ?? true,
    defaults,
    limits: { ...datadogDefaultLimits, recordOverheadBytes: addedBytes + configured, ...recordLimit(parameters.get(recordLimitParameter), 'datadog'), ...options.limits },
  };
}

/** `team:core,tier:1` → ['team:core', 'tier:1']; each tag must be `key:value` or a bare key. */
function parseTags(value: string): string[] {
  const tags = value.split(',').map((tag) => tag.trim());
  const bad = tags.find((tag) => tag === '' || tag.startsWith(':'));
  if (bad !== undefined) throw new SinkConfigError(`LOG_SINK: the datadog tags parameter has an empty tag or key in "${value}"; use key:value,key2:value2`);
  return tags;
}
