import type { LogRecord } from './record.js';

const quote = JSON.stringify as (value: string) => string;

/**
 * Renders a record as JSON, equal to `JSON.stringify(record)` once parsed, about twice as fast:
 * the objects a batch shares (cloud, CloudWatch, service) are rendered once and reused, and the
 * fixed shape is written directly. Optional fields that are absent are left out, as
 * JSON.stringify leaves out undefined.
 */
export class RecordRenderer {
  private readonly shared = new WeakMap<object, string>();

  render(record: LogRecord): string {
    const { log, event, aws, faas } = record;
    let out = `{"@timestamp":${quote(record['@timestamp'])},"message":${quote(record.message)},"log":{"level":"${log.level}"`;
    if (log.logger !== undefined) out += `,"logger":${quote(log.logger)}`;
    if (log.truncated !== undefined) out += `,"truncated":${log.truncated},"original_bytes":${log.original_bytes}`;
    out += `},"event":{"id":${quote(event.id)},"kind":"${event.kind}"},"cloud":${this.once(record.cloud)},"aws":{"cloudwatch":${this.once(aws.cloudwatch)}`;
    if (aws.lambda !== undefined) {
      // Only REPORT lines carry metrics; every other line type renders to one of a few constants.
      out += `,"lambda":${aws.lambda.report === undefined ? this.lineType(aws.lambda.line_type) : JSON.stringify(aws.lambda)}`;
    }
    out += '}';
    if (faas !== undefined) {
      out += `,"faas":{"name":${quote(faas.name)}`;
      if (faas.execution !== undefined) out += `,"execution":${quote(faas.execution)}`;
      if (faas.version !== undefined) out += `,"version":${quote(faas.version)}`;
      if (faas.coldstart !== undefined) out += `,"coldstart":${faas.coldstart}`;
      out += '}';
    }
    if (record.trace !== undefined) out += `,"trace":{"id":${quote(record.trace.id)}}`;
    if (record.service !== undefined) out += `,"service":${this.once(record.service)}`;
    if (record.error !== undefined) out += `,"error":${JSON.stringify(record.error)}`;
    if (record.app !== undefined) out += `,"app":${JSON.stringify(record.app)}`;
    return `${out}}`;
  }

  private readonly lineTypes = new Map<string, string>();

  private lineType(type: string): string {
    let json = this.lineTypes.get(type);
    if (json === undefined) {
      json = JSON.stringify({ line_type: type });
      this.lineTypes.set(type, json);
    }
    return json;
  }

  /** JSON of an object that many records share, rendered the first time it is seen. */
  private once(value: object): string {
    let json = this.shared.get(value);
    if (json === undefined) {
      json = JSON.stringify(value);
      this.shared.set(value, json);
    }
    return json;
  }
}
