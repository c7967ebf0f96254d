import { PreparedRecord, type LogRecord } from './record.js';

// The ASCII text around the values, counted once: the record's size is the sum of its parts.
const fixedBytes = '{"@timestamp":"","message":,"log":,"event":{"id":,"kind":""},"cloud":,"aws":}'.length;
const faasPrefix = ',"faas":'.length;
const tracePrefix = ',"trace":'.length;
const servicePrefix = ',"service":'.length;
const ownKeys = ['error', 'app', 'tags'] as const;

export interface Rendered {
  json: string;
  /** UTF-8 size of `json`. */
  bytes: number;
}

/** Any character JSON.stringify escapes (controls, `"`, `\\`), and anything beyond ASCII. */
const notPlainAscii = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;

/**
 * A string as JSON, the same text JSON.stringify gives, with its UTF-8 size. Printable ASCII
 * without quotes or backslashes (most log lines) needs neither escaping nor a byte count.
 */
export function quoted(value: string): Rendered {
  if (!notPlainAscii.test(value)) return { json: `"${value}"`, bytes: value.length + 2 };
  const json = JSON.stringify(value);
  return { json, bytes: utf8Bytes(json) };
}

/**
 * Renders records as JSON, the same text as `JSON.stringify(record)` byte for byte, faster: the objects a
 * batch shares (see SharedParts: cloud, CloudWatch, level, line type, invocation, trace, service)
 * are rendered once and reused, and the fixed shape is written directly. The UTF-8 size is summed
 * from the parts as they are written, so the record's string is never scanned (nor flattened)
 * a second time just to measure it. Optional fields that are absent are left out, as
 * JSON.stringify leaves out undefined. Shared objects must not change after their first
 * rendering; a renderer lives for one payload.
 */
export class RecordRenderer {
  private readonly shared = new WeakMap<object, Rendered>();

  /** The record as a PreparedRecord of its own (tests, and records built outside a payload). */
  prepare(id: string, record: LogRecord): PreparedRecord {
    return PreparedRecord.fromJson(id, record, this.render(record).json);
  }

  /** The record's JSON and its UTF-8 size. */
  render(record: LogRecord): Rendered {
    const log = record.log.logger === undefined && record.log.truncated === undefined ? this.once(record.log) : own(record.log);
    // A REPORT's aws object is its own; every other line type's is shared.
    const aws = record.aws.lambda?.report === undefined ? this.once(record.aws) : own(record.aws);
    const cloud = this.once(record.cloud);
    // The timestamp is ISO 8601 (parse/time.ts): ASCII, nothing to escape, one byte a character.
    const timestamp = record['@timestamp'];
    const message = quoted(record.message);
    const eventId = quoted(record.event.id);
    let json = `{"@timestamp":"${timestamp}","message":${message.json},"log":${log.json},"event":{"id":${eventId.json},"kind":"${record.event.kind}"},"cloud":${cloud.json},"aws":${aws.json}`;
    let bytes = fixedBytes + timestamp.length + message.bytes + log.bytes + eventId.bytes + record.event.kind.length + cloud.bytes + aws.bytes;
    if (record.faas !== undefined) {
      const faas = this.once(record.faas);
      json += `,"faas":${faas.json}`;
      bytes += faasPrefix + faas.bytes;
    }
    if (record.trace !== undefined) {
      const trace = this.once(record.trace);
      json += `,"trace":${trace.json}`;
      bytes += tracePrefix + trace.bytes;
    }
    if (record.service !== undefined) {
      const service = this.once(record.service);
      json += `,"service":${service.json}`;
      bytes += servicePrefix + service.bytes;
    }
    // The record's own objects, rendered each time: `,"<key>":` is the key's length plus 4 bytes.
    for (const key of ownKeys) {
      const value = record[key];
      if (value === undefined) continue;
      const rendered = own(value);
      json += `,"${key}":${rendered.json}`;
      bytes += key.length + 4 + rendered.bytes;
    }
    return { json: `${json}}`, bytes };
  }

  /** JSON of an object that many records share, rendered the first time it is seen. */
  private once(value: object): Rendered {
    let rendered = this.shared.get(value);
    if (rendered === undefined) {
      rendered = own(value);
      this.shared.set(value, rendered);
    }
    return rendered;
  }
}

function own(value: object): Rendered {
  const json = JSON.stringify(value);
  return { json, bytes: utf8Bytes(json) };
}

/** UTF-8 size of a flat string (the result of JSON.stringify), without copying it. */
function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
