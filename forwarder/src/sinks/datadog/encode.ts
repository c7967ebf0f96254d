// Pure encoding of a batch for Datadog's logs intake: a JSON array of the records with Datadog's reserved attributes.
import type { LogRecord, PreparedRecord } from '../../record.js';
import { batchBytes, BodyBuilder } from '../shared/body.js';
import { LastRun } from '../shared/last-run.js';
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
 * its JSON without the opening brace; `message` and `@timestamp` (read by the date remapper) are
 * the record's. Datadog reserves `service` for a string, so the record's `service` object gives
 * way to it: its name becomes `service`, its environment the `env` tag.
 */
function reservedAttributes(record: LogRecord, defaults: DatadogDefaults): string {
  const service = record.service?.name ?? defaults.service ?? record.faas?.name;
  const host = record.faas?.name ?? record.aws.cloudwatch.log_group;
  return (
    `{"ddsource":${quote(defaults.source)},"ddtags":${quote(datadogTags(record, defaults))},"hostname":${quote(host)},` +
    `${service === undefined ? '' : `"service":${quote(service)},`}"status":${quote(record.log.level)},`
  );
}

/**
 * The reserved attributes of each log, and where its `service` object lies. Consecutive records
 * of a payload mostly share their service, function, level and log group objects, so their text
 * is built once per change.
 */
class DatadogEnvelopes {
  private readonly run = new LastRun<[attributes: string, segment: string | undefined]>();

  constructor(private readonly defaults: DatadogDefaults) {}

  /** The attributes' text, and the record's `,"service":{…}` as rendered (when it has one). */
  of(record: LogRecord): [attributes: string, segment: string | undefined] {
    return this.run.of([record.service, record.faas, record.log, record.aws.cloudwatch], () => [
      reservedAttributes(record, this.defaults),
      record.service === undefined ? undefined : `,"service":${JSON.stringify(record.service)}`,
    ]);
  }
}

/** One log as text. */
export function encodeDatadogLog(prepared: PreparedRecord, defaults: DatadogDefaults): string {
  return encodeDatadogBatch([prepared], defaults).subarray(1, -1).toString('utf8');
}

/**
 * Where the record's `service` object (`segment`) lies in its bytes: the renderer writes it as
 * JSON.stringify does, after `aws`, `faas` and `trace`, none of which has a `service` key, and
 * inside strings every quote is escaped, so its first occurrence is the one.
 */
function serviceAt(prepared: PreparedRecord, segment: string): number | undefined {
  const at = prepared.chunk.indexOf(segment, prepared.start, 'utf8');
  return at < 0 || at >= prepared.end ? undefined : at;
}

/** A request body: the logs as one JSON array, each record's bytes copied as rendered. */
export function encodeDatadogBatch(batch: readonly PreparedRecord[], defaults: DatadogDefaults): Buffer {
  const envelopes = new DatadogEnvelopes(defaults);
  const body = new BodyBuilder(batchBytes(batch, 200) + 2).add('[');
  batch.forEach((prepared, index) => {
    const [attributes, segment] = envelopes.of(prepared.record);
    body.add(index === 0 ? '' : ',').add(attributes);
    const at = segment === undefined ? undefined : serviceAt(prepared, segment);
    if (segment !== undefined && at !== undefined) {
      body.range(prepared.chunk, prepared.start + 1, at).range(prepared.chunk, at + Buffer.byteLength(segment), prepared.end);
    } else if (prepared.record.service !== undefined) {
      // JSON rendered with another key order (a parked record read back): render it without the object.
      const { service: _service, ...rest } = prepared.record;
      body.add(JSON.stringify(rest).slice(1));
    } else {
      body.record(prepared, 1);
    }
  });
  return body.add(']').bytes();
}
