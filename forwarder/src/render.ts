import type { LogRecord } from './record.js';

// The ASCII text around the values, counted once: the record's size is the sum of its parts.
const fixedBytes = '{"@timestamp":"","message":}'.length;
const headBytes = ',"log":,"event":{"id":'.length;
const tailBytes = ',"kind":""},"cloud":,"aws":'.length;
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
  // The text between the message and the event id, and after the event id up to the record's own
  // objects, of the last record: consecutive records mostly share every object in them (one
  // invocation, one level), so most records reuse both as they are.
  private lastLog: object | undefined;
  private head: Rendered = { json: '', bytes: 0 };
  private lastKind = '';
  private lastCloud: object | undefined;
  private lastAws: object | undefined;
  private lastFaas: object | undefined;
  private lastTrace: object | undefined;
  private lastService: object | undefined;
  private tail: Rendered = { json: '', bytes: 0 };

  /** The record's JSON and its UTF-8 size. */
  render(record: LogRecord): Rendered {
    const head = this.headOf(record.log);
    const tail = this.tailOf(record);
    // The timestamp is ISO 8601 (parse/time.ts): ASCII, nothing to escape, one byte a character.
    const timestamp = record['@timestamp'];
    const message = quoted(record.message);
    const eventId = quoted(record.event.id);
    let json = `{"@timestamp":"${timestamp}","message":${message.json}${head.json}${eventId.json}${tail.json}`;
    let bytes = fixedBytes + timestamp.length + message.bytes + head.bytes + eventId.bytes + tail.bytes;
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

  /** `,"log":{…},"event":{"id":` for this `log`. */
  private headOf(log: LogRecord['log']): Rendered {
    if (log === this.lastLog) return this.head;
    // A log with a logger or a truncation is the record's own; the level alone is shared.
    const rendered = log.logger === undefined && log.truncated === undefined ? this.once(log) : own(log);
    this.lastLog = log;
    return (this.head = { json: `,"log":${rendered.json},"event":{"id":`, bytes: headBytes + rendered.bytes });
  }

  /** `,"kind":"…"},"cloud":{…},"aws":{…}` and the faas, trace and service of this record. */
  private tailOf(record: LogRecord): Rendered {
    const { kind } = record.event;
    const { cloud, aws, faas, trace, service } = record;
    if (kind === this.lastKind && cloud === this.lastCloud && aws === this.lastAws && faas === this.lastFaas && trace === this.lastTrace && service === this.lastService) {
      return this.tail;
    }
    // A REPORT's aws object is its own; every other line type's is shared.
    const awsJson = aws.lambda?.report === undefined ? this.once(aws) : own(aws);
    const cloudJson = this.once(cloud);
    let json = `,"kind":"${kind}"},"cloud":${cloudJson.json},"aws":${awsJson.json}`;
    let bytes = tailBytes + kind.length + cloudJson.bytes + awsJson.bytes;
    if (faas !== undefined) {
      const rendered = this.once(faas);
      json += `,"faas":${rendered.json}`;
      bytes += faasPrefix + rendered.bytes;
    }
    if (trace !== undefined) {
      const rendered = this.once(trace);
      json += `,"trace":${rendered.json}`;
      bytes += tracePrefix + rendered.bytes;
    }
    if (service !== undefined) {
      const rendered = this.once(service);
      json += `,"service":${rendered.json}`;
      bytes += servicePrefix + rendered.bytes;
    }
    this.lastKind = kind;
    this.lastCloud = cloud;
    this.lastAws = aws;
    this.lastFaas = faas;
    this.lastTrace = trace;
    this.lastService = service;
    return (this.tail = { json, bytes });
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
