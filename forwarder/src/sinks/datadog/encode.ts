// Pure encoding of a batch for Datadog's logs intake: a JSON array of the records with Datadog's reserved attributes.
import type { LogRecord, PreparedRecord } from '../../record.js';
import type { DatadogDefaults } from './config.js';

const quote = JSON.stringify as (value: string) => string;

/** `ddtags`: `env:<stage>` and `function:<name>` (unified service tagging), then the configured tags. */
export function datadogTags(record: LogRecord, defaults: DatadogDefaults): string {
  const tags: string[] = [];
  if (record.service?.environment) tags.push(`env:${record.service.environment}`);
  if (record.faas?.name) tags.push(`function:${record.faas.name}`);
  tags.push(...defaults.tags);
  return tags.join(',');
}

/**
 * One log: Datadog's reserved attributes first (`ddsource`, `ddtags`, `hostname`, `service`,
 * `status` = the level, which Datadog's status remapper reads), then the record's own fields,
 * spliced in from its JSON without rendering it again; `message` and `@timestamp` (read by the
 * date remapper) are the record's. Datadog reserves `service` for a string, so the record's
 * `service` object gives way to it: its name becomes `service`, its environment the `env` tag.
 */
export function encodeDatadogLog({ record, json }: PreparedRecord, defaults: DatadogDefaults): string {
  const service = record.service?.name ?? defaults.service ?? record.faas?.name;
  const host = record.faas?.name ?? record.aws.cloudwatch.log_group;
  return (
    `{"ddsource":${quote(defaults.source)},"ddtags":${quote(datadogTags(record, defaults))},"hostname":${quote(host)},` +
    `${service === undefined ? '' : `"service":${quote(service)},`}"status":${quote(record.log.level)},${fieldsWithoutService(record, json)}`
  );
}

/** The record's JSON without its opening brace and without its `service` object. */
function fieldsWithoutService(record: LogRecord, json: string): string {
  if (record.service === undefined) return json.slice(1);
  // The renderer writes `service` as JSON.stringify writes it, after `aws`, `faas` and `trace`,
  // none of which has a `service` key; inside strings every quote is escaped.
  const segment = `,"service":${JSON.stringify(record.service)}`;
  const at = json.indexOf(segment);
  if (at < 0) {
    const { service: _service, ...rest } = record;
    return JSON.stringify(rest).slice(1);
  }
  return json.slice(1, at) + json.slice(at + segment.length);
}

/** A request body: the logs as one JSON array. */
export function encodeDatadogBatch(batch: readonly PreparedRecord[], defaults: DatadogDefaults): string {
  const logs = new Array<string>(batch.length);
  for (let index = 0; index < batch.length; index += 1) logs[index] = encodeDatadogLog(batch[index]!, defaults);
  return `[${logs.join(',')}]`;
}
