// Settings of the OpenSearch/Elasticsearch sink, read from LOG_SINK and the sink options.
import { SinkConfigError } from '../../errors.js';
import type { SinkLimits, SinkOptions } from '../types.js';
import { parseSinkUrl, recordLimit, recordLimitParameter, redactUserInfo } from '../shared/url.js';
import { encodeAction } from './encode.js';
import { defaultIndex, parseIndexPattern, type IndexPattern } from './index-name.js';

export type SearchFlavor = 'opensearch' | 'elasticsearch';

export type SearchAuth =
  | { kind: 'none' }
  | { kind: 'basic'; username: string; password: string }
  /** LOG_SINK_TOKEN: an Elasticsearch API key (`ApiKey`) or an OpenSearch JWT (`Bearer`). */
  | { kind: 'header'; authorization: string }
  /** Amazon OpenSearch Service (`es`) or OpenSearch Serverless (`aoss`), signed with the function's role. */
  | { kind: 'sigv4'; service: 'es' | 'aoss'; region: string };

export interface SearchSinkConfig {
  flavor: SearchFlavor;
  /** The cluster's base URL (`http(s)://host:port/prefix`), without user info or query. */
  node: URL;
  index: IndexPattern;
  auth: SearchAuth;
  gzip: boolean;
  limits: SinkLimits;
}

/**
 * Batch limits, sized for the smallest store the sink may meet:
 * - Bytes: 5 MiB of NDJSON (uncompressed, action lines included). OpenSearch and Elasticsearch
 *   refuse bodies over `http.max_content_length`, 100mb by default
 *   (https://docs.opensearch.org/latest/install-and-configure/configuring-opensearch/network-settings/,
 *   https://www.elastic.co/guide/en/elasticsearch/reference/current/modules-network.html#http-settings);
 *   Amazon OpenSearch Service caps the request payload at 10 MiB on small instance types and
 *   100 MiB on large ones, and it cannot be raised
 *   (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/limits.html#network-limits).
 *   AWS recommends starting bulk requests at 5–15 MiB
 *   (https://repost.aws/knowledge-center/opensearch-indexing-performance): 5 MiB is the start of
 *   that range and half the smallest cap, so a batch never meets a 413 on any domain.
 * - Records: 5,000 per request, the top of the 1,000–5,000 documents Elastic suggests to start
 *   with (https://www.elastic.co/guide/en/elasticsearch/guide/current/bulk.html, "How Big Is Too Big?");
 *   5,000 typical Lambda lines (under 1 KiB each with the action line) stay under 5 MiB, so the
 *   count cuts batches of small lines and the byte limit batches of big ones.
 * - Message: 256 KiB, as the HTTP sink: a stack trace fits, and one record stays a small part of
 *   a request.
 */
export const searchDefaultLimits: Omit<SinkLimits, 'recordOverheadBytes'> = {
  maxBatchRecords: 5_000,
  maxBatchBytes: 5 * 1024 * 1024,
  maxMessageBytes: 256 * 1024,
  // A document far below http.max_content_length (100 MB) and a fifth of a batch.
  maxRecordBytes: 1024 * 1024,
};

/** A CloudWatch event id is 56 digits; the action line is sized for that. */
const eventIdLength = 56;

const queryParameters = ['index', 'aws', 'region', recordLimitParameter];

/**
 * Reads `opensearch+https://[user[:password]@]host[:port][/prefix]?index=<name or pattern>`
 * (also `opensearch+http`, `elasticsearch+https`, `elasticsearch+http`), with `&aws=es` or
 * `&aws=aoss` (and `&region=`) for SigV4. A password may come from the secret instead of the URL.
 */
export function searchSinkConfig(location: string, options: SinkOptions = {}): SearchSinkConfig {
  const scheme = /^(opensearch|elasticsearch)\+(https?):/i.exec(location);
  if (!scheme) {
    throw new SinkConfigError(
      `LOG_SINK: "${redactUserInfo(location)}" is not an opensearch+https://, opensearch+http://, elasticsearch+https:// or elasticsearch+http:// URL`,
    );
  }
  const flavor = scheme[1]!.toLowerCase() as SearchFlavor;
  const url = parseSinkUrl(location.slice(flavor.length + 1));
  if (!url.hostname) throw new SinkConfigError(`LOG_SINK: "${redactUserInfo(location)}" names no host`);
  for (const key of url.searchParams.keys()) {
    if (!queryParameters.includes(key)) {
      throw new SinkConfigError(`LOG_SINK: unknown parameter "${key}" in the ${flavor} URL; use ${queryParameters.join(', ')}`);
    }
  }
  const index = parseIndexPattern(url.searchParams.get('index') ?? defaultIndex);
  const node = new URL(url.pathname, url.origin);
  return {
    flavor,
    node,
    index,
    auth: authOf(url, flavor, options),
    gzip: options.gzip ?? true,
    limits: {
      ...searchDefaultLimits,
      // The action line and the two newlines that end it and the record.
      recordOverheadBytes: Buffer.byteLength(encodeAction('x'.repeat(index.resolvedBytes), '0'.repeat(eventIdLength))) + 2,
      ...recordLimit(url.searchParams.get(recordLimitParameter), flavor),
      ...options.limits,
    },
  };
}

function authOf(url: URL, flavor: SearchFlavor, options: SinkOptions): SearchAuth {
  const urlUser = url.username ? decodeURIComponent(url.username) : undefined;
  const urlPassword = url.password ? decodeURIComponent(url.password) : undefined;
  const aws = url.searchParams.get('aws');
  const region = url.searchParams.get('region') ?? undefined;
  if (aws !== null) {
    if (aws !== 'es' && aws !== 'aoss') {
      throw new SinkConfigError(`LOG_SINK: aws=${aws} is not a SigV4 service; use aws=es (OpenSearch Service) or aws=aoss (Serverless)`);
    }
    if (urlUser || options.username || options.password || options.token) {
      throw new SinkConfigError("LOG_SINK: aws= signs requests with the function's role; remove the user, password or token");
    }
    const signingRegion = region ?? regionOfHost(url.hostname) ?? options.region;
    if (!signingRegion) {
      throw new SinkConfigError(`LOG_SINK: aws=${aws} needs a region: add &region=<region> or set AWS_REGION`);
    }
    return { kind: 'sigv4', service: aws, region: signingRegion };
  }
  if (region !== undefined) throw new SinkConfigError('LOG_SINK: region= is only used with aws=es or aws=aoss');
  const username = urlUser ?? options.username;
  if (username !== undefined) {
    if (options.token) throw new SinkConfigError('LOG_SINK: set either a user and password or LOG_SINK_TOKEN, not both');
    const password = urlPassword ?? options.password;
    if (password === undefined) {
      throw new SinkConfigError(`LOG_SINK: the user "${username}" has no password; put it in the URL or in the sink secret`);
    }
    return { kind: 'basic', username, password };
  }
  if (options.password) throw new SinkConfigError('LOG_SINK: a password is set but no user; name the user in the URL (user@host)');
  if (options.token) {
    // Elasticsearch API keys travel as `ApiKey <base64 id:key>`; the OpenSearch security plugin takes JWTs as bearer tokens.
    return { kind: 'header', authorization: `${flavor === 'elasticsearch' ? 'ApiKey' : 'Bearer'} ${options.token}` };
  }
  return { kind: 'none' };
}

/** `search-x.eu-west-1.es.amazonaws.com`, `x.us-east-1.aoss.amazonaws.com` name their region. */
export function regionOfHost(hostname: string): string | undefined {
  return /\.([a-z]{2}(?:-[a-z]+)+-\d+)\.(?:es|aoss)\.amazonaws\.com(?:\.cn)?$/.exec(hostname)?.[1];
}
