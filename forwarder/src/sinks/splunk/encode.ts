// Pure encoding of a batch for Splunk HEC: event objects, one after another (HEC's batch format).
import type { LogRecord, PreparedRecord } from '../../record.js';
import { batchBytes, BodyBuilder } from '../shared/body.js';
import type { HecMetadata } from './config.js';

const quote = JSON.stringify as (value: string) => string;

/**
 * `@timestamp` as HEC's `time`: epoch seconds with milliseconds, `<sec>.<ms>`
 * (https://docs.splunk.com/Documentation/Splunk/latest/Data/FormateventsforHTTPEventCollector).
 */
export function hecTime(timestamp: string): string {
  const parsed = Date.parse(timestamp);
  const ms = Number.isNaN(parsed) ? 0 : parsed;
  const seconds = Math.floor(ms / 1000);
  return `${seconds}.${String(ms - seconds * 1000).padStart(3, '0')}`;
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

/** One HEC event's text before its `event` (the record's JSON) and after it. */
function hecEnvelope(record: LogRecord, metadata: HecMetadata): [before: string, after: string] {
  const logGroup = record.aws.cloudwatch.log_group;
  const host = metadata.host ?? record.faas?.name ?? logGroup;
  const index = metadata.index === undefined ? '' : `,"index":${quote(metadata.index)}`;
  return [
    `{"time":${hecTime(record['@timestamp'])},"host":${quote(host)},"source":${quote(metadata.source ?? logGroup)},"sourcetype":${quote(metadata.sourcetype)}${index},"event":`,
    `,"fields":${JSON.stringify(hecFields(record))}}`,
  ];
}

/** One HEC event as text: the record's JSON is spliced in as `event`, never parsed or rendered again. */
export function encodeHecEvent(prepared: PreparedRecord, metadata: HecMetadata): string {
  const [before, after] = hecEnvelope(prepared.record, metadata);
  return `${before}${prepared.json}${after}`;
}

/** A request body: the events concatenated, not an array, each record's bytes copied as rendered. */
export function encodeHecBatch(batch: readonly PreparedRecord[], metadata: HecMetadata): Buffer {
  const body = new BodyBuilder(batchBytes(batch, 400));
  for (const prepared of batch) {
    const [before, after] = hecEnvelope(prepared.record, metadata);
    body.add(before).record(prepared).add(after);
  }
  return body.bytes();
}
