// Reads `splunk+https://host[:port][?index=&sourcetype=&source=&host=]` and the HEC token into the sink's settings.
import { randomUUID } from 'node:crypto';
import { SinkConfigError } from '../../errors.js';
import type { HttpSinkSettings } from '../shared/http-sink.js';
import { recordLimit, recordLimitParameter, tokenStoreEndpoint } from '../shared/url.js';
import type { SinkLimits, SinkOptions } from '../types.js';

/** The metadata HEC puts on every event; unset ones fall back to the record or the token's defaults. */
export interface HecMetadata {
  sourcetype: string;
  index?: string;
  /** Overrides the record's log group. */
  source?: string;
  /** Overrides the record's function name (or log group). */
  host?: string;
}

/** Settings of the Splunk HEC sink; its `url` is the event endpoint, `…/services/collector/event`. */
export interface SplunkSinkConfig extends HttpSinkSettings {
  metadata: HecMetadata;
  /**
   * `?ack=true`: the token has indexer acknowledgment on. Every request names `channel`, and a
   * batch counts as stored only once `url` (`…/services/collector/ack`) says its ackId is indexed.
   */
  ack?: { url: URL; channel: string };
}

export const hecEventPath = '/services/collector/event';

/**
 * A sourcetype without props of its own gets Splunk's defaults (`KV_MODE = auto`,
 * `AUTO_KV_JSON = true`), so the JSON event's fields are extracted at search time.
 */
export const defaultSourcetype = 'aws:lambda:ecs';

/**
 * HEC refuses a request over `max_content_length` (limits.conf `[http_input]`) with 413. Its
 * default is 800 MB since Splunk 6.5.0 and was 1 MB before (Splunk's own fluent-plugin-splunk-hec
 * README, "About Buffer"; https://docs.splunk.com/Documentation/Splunk/latest/Admin/Limitsconf);
 * Splunk Cloud and HEC-compatible receivers commonly keep 1 MB, and Vector's `splunk_hec_logs`
 * sink batches 1 MB by default. 950,000 bytes of events per request fits all of them; a smaller
 * input limit answers 413 and the batch is halved. HEC has no per-event limit of its own besides
 * the request's: an event stays below the batch (900,000 bytes), so it never meets a 1 MB
 * max_content_length alone.
 */
export const splunkDefaultLimits: SinkLimits = { maxBatchRecords: 10_000, maxBatchBytes: 950_000, maxMessageBytes: 256 * 1024, maxRecordBytes: 900_000 };

/**
 * The envelope around each record's JSON, at most, for a Lambda log group: the keys and `time`
 * (149 bytes), host and function (64 each, Lambda's name limit), source (`/aws/lambda/` + 64),
 * service (64), request id (36), trace id (35) and level (5). Longer log groups of other
 * sources may exceed it; the headroom below 1 MB and the 413 split cover them.
 */
const envelopeBytes = 149 + 64 + 64 + 76 + 64 + 36 + 35 + 5;

const hecExample = 'splunk+https://splunk.example.com:8088';
const hecParameters: ReadonlyArray<keyof HecMetadata> = ['index', 'sourcetype', 'source', 'host'];

/** Reads the Splunk sink URL; the HEC token comes from the secret or LOG_SINK_TOKEN, never the URL. */
export function splunkSinkConfig(sink: URL, options: SinkOptions = {}): SplunkSinkConfig {
  const { scheme, token, parameters } = tokenStoreEndpoint(sink, options.token, { name: 'splunk', credential: 'HEC token', example: hecExample, parameters: [...hecParameters, recordLimitParameter, 'ack'] });
  const limit = recordLimit(parameters.get(recordLimitParameter), 'splunk');
  const ack = parameters.get('ack');
  if (ack !== undefined && ack !== 'true' && ack !== 'false') throw new SinkConfigError(`LOG_SINK: the splunk ack parameter is true or false, got "${ack}"`);
  parameters.delete(recordLimitParameter);
  parameters.delete('ack');
  const metadata: HecMetadata = { sourcetype: defaultSourcetype, ...Object.fromEntries(parameters) };
  const prefix = sink.pathname.replace(/\/+$/, '');
  const path = prefix.endsWith(hecEventPath) ? prefix : prefix.endsWith('/services/collector') ? `${prefix}/event` : `${prefix}${hecEventPath}`;
  const configured = [metadata.sourcetype, metadata.index, metadata.source, metadata.host].reduce((sum, value) => sum + (value?.length ?? 0), 0);
  // One channel per sink, so per cold start: HEC keeps the ackIds of a channel.
  const channel = ack === 'true' ? randomUUID() : undefined;
  const collector = path.slice(0, -'/event'.length);
  return {
    url: new URL(`${scheme}://${sink.host}${path}`),
    headers: { authorization: `Splunk ${token}`, ...(channel ? { 'x-splunk-request-channel': channel } : {}) },
    ...(channel ? { ack: { url: new URL(`${scheme}://${sink.host}${collector}/ack`), channel } } : {}),
    gzip: options.gzip ?? true,
    metadata,
    limits: { ...splunkDefaultLimits, recordOverheadBytes: envelopeBytes + configured + (metadata.index ? 11 : 0), ...limit, ...options.limits },
  };
}
