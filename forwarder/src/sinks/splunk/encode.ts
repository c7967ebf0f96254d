// Pure encoding of a batch for Splunk HEC: event objects, one after another (HEC's batch format).
import type { LogRecord, PreparedRecord } from '../../record.js';
import { batchBytes, BodyBuilder } from '../shared/body.js';
import { LastRun } from '../shared/last-run.js';
import type { HecMetadata } from './config.js';

const quote = JSON.stringify as (value: string) => string;

/**
 * `@timestamp` as HEC's `time`: epoch seconds with milliseconds, `<sec>.<ms>`
 * (https://docs.splunk.com/Documentation/Splunk/latest/Data/FormateventsforHTTPEventCollector).
 */
export function hecTime(timestamp: string): string {
  // The records of a payload share their day: its start is parsed once.
  const parsed = epochMs(timestamp);
  const ms = Number.isNaN(parsed) ? 0 : parsed;
  // An integer of milliseconds over 1000 is exact to three decimals, before 1970 too (-0.500).
  return (ms / 1000).toFixed(3);
}

let dayPrefix = '';
let dayStartMs = Number.NaN;

/** Date.parse of an ISO UTC timestamp, the date part parsed once per day. */
function epochMs(timestamp: string): number {
  const time = /^(\d{4}-\d{2}-\d{2}T)(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3})\d*)?Z$/.exec(timestamp);
  if (!time) return Date.parse(timestamp);
  if (time[1] !== dayPrefix) {
    dayStartMs = Date.parse(`${time[1]}00:00:00Z`);
    dayPrefix = time[1]!;
  }
  const fraction = time[5] === undefined ? 0 : Number(time[5].padEnd(3, '0'));
  return dayStartMs + ((Number(time[2]) * 60 + Number(time[3])) * 60 + Number(time[4])) * 1000 + fraction;
}

/**
 * Indexed fields (HEC `fields`: a flat object of strings, searchable as `field::value` without
 * extraction): the few a search starts from. Everything else is in the event.
 */
export function hecFields(record: LogRecord): Record<string, string> {
  const fields: Record<string, string> = { level: record.log.level };
  if (record.faas?.name) fields.function = record.faas.name;
  if (record.faas?.execution) fields.request_id = record.faas.execution;
  if (record.trace?.id) fields.trace_id = record.trace.id;
  if (record.service?.name) fields.service = record.service.name;
  return fields;
}

/**
 * The text of HEC events around their `event` (the record's JSON). Consecutive records of a
 * payload mostly share their function, log group, level, invocation, trace and service objects,
 * so the text that depends on those alone is built once per change, and only `time` per record.
 */
class HecEnvelopes {
  private readonly run = new LastRun<[metadata: string, fields: string]>();

  constructor(private readonly metadata: HecMetadata) {}

  /** `[before, after]` the record's JSON. */
  of(record: LogRecord): [before: string, after: string] {
    const [metadataText, fieldsText] = this.run.of([record.log, record.faas, record.trace, record.service, record.aws.cloudwatch], () => {
      const { metadata } = this;
      const logGroup = record.aws.cloudwatch.log_group;
      const host = metadata.host ?? record.faas?.name ?? logGroup;
      const index = metadata.index === undefined ? '' : `,"index":${quote(metadata.index)}`;
      return [
        `,"host":${quote(host)},"source":${quote(metadata.source ?? logGroup)},"sourcetype":${quote(metadata.sourcetype)}${index},"event":`,
        `,"fields":${JSON.stringify(hecFields(record))}}`,
      ];
    });
    return [`{"time":${hecTime(record['@timestamp'])}${metadataText}`, fieldsText];
  }
}

/** One HEC event as text: the record's JSON is spliced in as `event`, never parsed or rendered again. */
export function encodeHecEvent(prepared: PreparedRecord, metadata: HecMetadata): string {
  const [before, after] = new HecEnvelopes(metadata).of(prepared.record);
  return `${before}${prepared.json}${after}`;
}

/** A request body: the events concatenated, not an array, each record's bytes copied as rendered. */
export function encodeHecBatch(batch: readonly PreparedRecord[], metadata: HecMetadata): Buffer {
  const envelopes = new HecEnvelopes(metadata);
  const body = new BodyBuilder(batchBytes(batch, 400));
  for (const prepared of batch) {
    const [before, after] = envelopes.of(prepared.record);
    body.add(before).record(prepared).add(after);
  }
  return body.bytes();
}
