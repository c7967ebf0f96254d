// Pure: the index template that types the forwarder's records (docs/record-schema.md) in
// OpenSearch or Elasticsearch from their first document on.
import type { IndexPattern } from '../forwarder/src/sinks/opensearch/index-name.js';

/**
 * How `app` (the fields of JSON app logs, chosen by each app) is mapped. Mapping it dynamically
 * would add a field to the index for every key any app ever logs, until the index hits
 * `index.mapping.total_fields.limit` (1,000) and refuses documents, and the same key logged as a
 * number by one app and a string by another makes the second one's documents fail. So `app` is
 * one field: `flat_object` (OpenSearch ≥ 2.7) or `flattened` (Elasticsearch ≥ 7.3, not in the OSS
 * build) index every leaf value as a keyword, searchable as `app.user.id: 42`; where neither
 * exists, `object` with `dynamic: false` keeps `app` in `_source` (shown, returned) unindexed.
 */
export type AppFieldType = 'flat_object' | 'flattened' | 'object';

export interface TemplatePlan {
  name: string;
  indexPatterns: string[];
  appField: AppFieldType;
  /** OpenSearch Serverless manages shards, refresh and codecs itself and refuses these settings. */
  serverless: boolean;
  shards: number;
}

/** `log-forwarder-logs` for `logs-%Y.%m.%d`. */
export function templateNameFor(index: IndexPattern): string {
  const slug = index.wildcard.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `log-forwarder-${slug || 'logs'}`;
}

/** Picks the `app` mapping from the answer of `GET /` (null when the cluster did not say). */
export function appFieldTypeFor(info: unknown): AppFieldType {
  const version = (info as { version?: { number?: unknown; distribution?: unknown; build_flavor?: unknown } } | null)?.version;
  const [major = 0, minor = 0] = String(version?.number ?? '').split('.').map(Number);
  if (version?.distribution === 'opensearch') return major > 2 || (major === 2 && minor >= 7) ? 'flat_object' : 'object';
  if (version === undefined || version.build_flavor === 'oss') return 'object';
  return major > 7 || (major === 7 && minor >= 3) ? 'flattened' : 'object';
}

const keyword = { type: 'keyword', ignore_above: 1024 } as const;
// Full-text search on the words, plus the exact value (for short texts) to aggregate or sort on.
const textWithKeyword = { type: 'text', fields: { keyword } } as const;
const long = { type: 'long' } as const;
const double = { type: 'double' } as const;
const boolean = { type: 'boolean' } as const;

/** Mappings for every field of the record schema. */
export function recordMappings(appField: AppFieldType): Record<string, unknown> {
  return {
    _meta: { managed_by: 'log-forwarder', schema: 'docs/record-schema.md' },
    // Fields added to the schema later are still indexed: strings as keywords, never as dates.
    dynamic: true,
    date_detection: false,
    dynamic_templates: [{ strings_as_keywords: { match_mapping_type: 'string', mapping: keyword } }],
    properties: {
      // ISO 8601 UTC kept to the precision of the line (micro- or nanoseconds from some loggers).
      '@timestamp': { type: 'date_nanos' },
      message: textWithKeyword,
      log: { properties: { level: keyword, logger: keyword, truncated: boolean, original_bytes: long } },
      event: { properties: { id: keyword, kind: keyword } },
      cloud: { properties: { provider: keyword, region: keyword, account: { properties: { id: keyword } } } },
      aws: {
        properties: {
          cloudwatch: { properties: { log_group: keyword, log_stream: keyword } },
          lambda: {
            properties: {
              line_type: keyword,
              report: {
                properties: {
                  duration_ms: double,
                  billed_duration_ms: long,
                  memory_size_mb: long,
                  max_memory_used_mb: long,
                  init_duration_ms: double,
                  restore_duration_ms: double,
                  status: keyword,
                  error_type: keyword,
                },
              },
            },
          },
        },
      },
      faas: { properties: { name: keyword, execution: keyword, version: keyword, coldstart: boolean } },
      trace: { properties: { id: keyword } },
      service: { properties: { name: keyword, environment: keyword } },
      error: { properties: { type: keyword, message: textWithKeyword, stack_trace: { type: 'text' } } },
      app: appMapping(appField),
    },
  };
}

function appMapping(appField: AppFieldType): Record<string, unknown> {
  if (appField === 'flat_object') return { type: 'flat_object' };
  if (appField === 'flattened') return { type: 'flattened', ignore_above: 1024 };
  return { type: 'object', dynamic: false };
}

/**
 * One primary shard: a day of one stage's Lambda logs is far below the 30–50 GiB AWS suggests per
 * shard for logs. A 5 s refresh: logs need not be searchable within the second, and refreshing
 * less often leaves more of the cluster to indexing. best_compression: logs are written once and
 * read rarely.
 */
function indexSettings(plan: TemplatePlan): Record<string, unknown> | undefined {
  if (plan.serverless) return undefined;
  return { index: { number_of_shards: plan.shards, refresh_interval: '5s', codec: 'best_compression' } };
}

/** The body of `PUT _index_template/<name>` (OpenSearch, Elasticsearch ≥ 7.8). */
export function composableTemplate(plan: TemplatePlan): Record<string, unknown> {
  const settings = indexSettings(plan);
  return {
    index_patterns: plan.indexPatterns,
    // Above Elasticsearch's built-in templates (priority 100, e.g. `logs-*-*`), which would
    // otherwise turn a matching name into a data stream with other mappings.
    priority: 200,
    template: { ...(settings ? { settings } : {}), mappings: recordMappings(plan.appField) },
  };
}

/** The body of `PUT _template/<name>`, for Elasticsearch 7.x before composable templates. */
export function legacyTemplate(plan: TemplatePlan): Record<string, unknown> {
  const settings = indexSettings(plan);
  return { index_patterns: plan.indexPatterns, order: 200, ...(settings ? { settings } : {}), mappings: recordMappings(plan.appField) };
}
