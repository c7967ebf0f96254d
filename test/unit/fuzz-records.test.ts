// Seeded fuzzing of the transform and the encoders: thousands of mutated log events, and the
// hostile lines found by hand (deep nesting, prototype names as levels and keys, odd timestamps).
// Bad input never fails an event: every event becomes a record, every record is valid JSON with a
// valid @timestamp and a string log.level, and every sink's body for them is valid JSON.
import { describe, expect, it } from 'vitest';
import type { DecodedPayload } from '../../forwarder/src/decode.js';
import { logLevels } from '../../forwarder/src/parse/levels.js';
import type { PreparedRecord } from '../../forwarder/src/record.js';
import { encodeDatadogBatch } from '../../forwarder/src/sinks/datadog/encode.js';
import { encodeNdjson } from '../../forwarder/src/sinks/http/encode.js';
import { encodeLokiPush, lokiLine, lokiStreams } from '../../forwarder/src/sinks/loki/encode.js';
import { encodeBulk } from '../../forwarder/src/sinks/opensearch/encode.js';
import { parseIndexPattern } from '../../forwarder/src/sinks/opensearch/index-name.js';
import { encodeHecBatch } from '../../forwarder/src/sinks/splunk/encode.js';
import { StreamTracker } from '../../forwarder/src/stream-context.js';
import { transformPayload } from '../../forwarder/src/transform.js';
import { logsFixture, payloadOf } from '../helpers/fixtures.js';
import { splitObjects } from '../helpers/fake-splunk.js';

/** mulberry32: a small seeded PRNG, so every run fuzzes the same events. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const tokens = ['{', '}', '[', ']', '"', ':', ',', '\\', '\\u0000', '\u2028', '\uD800', '__proto__', 'constructor', 'toString', '"level":', '"time":', '"timestamp":', '1e400', '-1', 'NaN', 'null', '\n', 'START RequestId:', 'REPORT RequestId:', '\t', '𝄞'];

function mutate(line: string, next: () => number): string {
  let text = line;
  const edits = 1 + Math.floor(next() * 4);
  for (let edit = 0; edit < edits; edit += 1) {
    const at = Math.floor(next() * (text.length + 1));
    const choice = next();
    if (choice < 0.4) text = text.slice(0, at) + tokens[Math.floor(next() * tokens.length)] + text.slice(at);
    else if (choice < 0.7) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 8));
    else text = text.slice(0, at) + String.fromCharCode(Math.floor(next() * 0xffff)) + text.slice(at + 1);
  }
  return text;
}

const hostile = [
  `${'{"a":'.repeat(8_000)}1${'}'.repeat(8_000)}`,
  `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  '{"level":"constructor","msg":"a"}',
  '{"level":"toString","msg":"b"}',
  '{"level":"__proto__","msg":"c"}',
  '{"level":"hasOwnProperty","msg":"d"}',
  '{"msg":"e","__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}',
  '{"msg":"f","time":1700000000123.5}',
  '{"msg":"g","time":9e24}',
  '{"msg":"h","time":-62198755200001}',
  '{"msg":"i","timestamp":"2026-02-30T10:00:00Z"}',
  '{"msg":"j","timestamp":"2026-13-01T25:61:61Z"}',
  '{"msg":"k","timestamp":"+275760-09-13T00:00:00.000Z"}',
  '{"msg":"l","time":"99999999999999999999"}',
  '{"level":30,"time":1e308,"msg":"m"}',
];

function check(records: readonly PreparedRecord[]): void {
  for (const prepared of records) {
    const { json, record } = prepared;
    // The writer's bytes are JSON.stringify's, byte for byte, and its size counts them exactly.
    expect(json).toBe(JSON.stringify(record));
    expect(prepared.bytes).toBe(Buffer.byteLength(json));
    expect(prepared.chunk[prepared.end]).toBe(0x0a);
    const parsed = JSON.parse(json) as { '@timestamp': unknown; log: { level: unknown } };
    expect(parsed['@timestamp']).toMatch(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?Z$/);
    expect(Number.isNaN(Date.parse(parsed['@timestamp'] as string))).toBe(false);
    expect(logLevels).toContain(parsed.log.level);
    expect(record['@timestamp']).toBe(parsed['@timestamp']);
  }
  expect(() => JSON.parse(encodeDatadogBatch(records, { source: 'lambda', tags: [] }).toString('utf8'))).not.toThrow();
  for (const object of splitObjects(encodeHecBatch(records, { sourcetype: 'aws:lambda:ecs' }).toString('utf8'))) expect(() => JSON.parse(object)).not.toThrow();
  const streams = lokiStreams(records);
  expect(() => JSON.parse(encodeLokiPush(streams).toString('utf8'))).not.toThrow();
  // Each line is written escaped in place, the same text as escaping JSON.stringify of the line.
  for (const entry of streams.flatMap((stream) => stream.entries)) {
    expect(`"${entry.escaped}"`).toBe(JSON.stringify(JSON.stringify(lokiLine(records[entry.index]!.record))));
  }
  for (const line of Buffer.concat(encodeNdjson(records)).toString('utf8').split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
  for (const line of encodeBulk(records, parseIndexPattern('logs-%Y.%m.%d')).toString('utf8').split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
}

const transform = (payload: DecodedPayload) =>
  transformPayload(payload, { region: 'us-east-1', stage: 'dev', maxMessageBytes: 256 * 1024, streams: new StreamTracker() });

describe('fuzzed and hostile log lines', () => {
  it('turn every hostile line into a valid record, and every sink body into valid JSON', () => {
    const payload = payloadOf(hostile);

    const { records } = transform(payload);

    expect(records).toHaveLength(hostile.length);
    check(records);
    const byMessage = new Map(records.map(({ record }) => [record.message, record]));
    expect(byMessage.get('e')?.app).toMatchObject({ ['__proto__']: { polluted: true } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Too deep to render: shipped as its raw text, tagged, with the reason.
    expect(records[0]!.record).toMatchObject({ message: hostile[0], tags: ['_forwarder_render_failure'], error: { type: 'RecordRenderError', message: 'Maximum call stack size exceeded' } });
    // A level that names an Object member is no level: the record is info, the value kept in app.
    expect(byMessage.get('a')).toMatchObject({ log: { level: 'info' }, app: { level: 'constructor' } });
    // Times a record cannot carry give way to the CloudWatch event's own time.
    const eventTime = (message: string) => new Date(payload.logEvents[hostile.findIndex((line) => line.includes(`"msg":"${message}"`))]!.timestamp).toISOString();
    expect(byMessage.get('f')?.['@timestamp']).toBe('2023-11-14T22:13:20.123Z');
    for (const message of ['g', 'h', 'i', 'j', 'k', 'm']) expect(byMessage.get(message)?.['@timestamp'], message).toBe(eventTime(message));
  });

  it('keep 5,000 seeded mutations of real lines valid, one record each', () => {
    const next = random(20261203);
    const sources = ['pino', 'powertools', 'json-format', 'node-text', 'python-text', 'platform-text', 'plain-text', 'multiline'].flatMap((variant) => logsFixture(variant).logEvents.map((event) => event.message));
    const lines = Array.from({ length: 5_000 }, () => mutate(sources[Math.floor(next() * sources.length)]!, next));

    for (let from = 0; from < lines.length; from += 500) {
      const chunk = lines.slice(from, from + 500);
      const { records } = transform(payloadOf(chunk));

      expect(records).toHaveLength(chunk.length);
      check(records);
    }
  });
});

describe('the record limit', () => {
  it('cuts the largest values first, the message and app fields, each with a marker, until the record fits', () => {
    const line = JSON.stringify({ level: 'warn', msg: 'm'.repeat(5_000), big: 'b'.repeat(50_000), nested: { list: Array.from({ length: 2_000 }, (_, i) => i) }, small: 'kept' });
    const options = { maxMessageBytes: 256 * 1024, maxRecordBytes: 20_000, streams: new StreamTracker() };

    const { records, truncated } = transformPayload(payloadOf([line]), options);

    expect(truncated).toBe(1);
    const [{ record, bytes, json }] = records as [PreparedRecord];
    expect(bytes).toBeLessThanOrEqual(20_000);
    expect(Buffer.byteLength(json)).toBe(bytes);
    expect(record.log.truncated).toBe(true);
    expect(record.app?.big).toMatch(/^b+…\[truncated: 50000 bytes\]$/);
    expect(record.app?.small).toBe('kept');
    expect(record.message).toBe('m'.repeat(5_000));
  });

  it('fits a record whose size is in thousands of small app values, smaller than any cut’s marker', () => {
    const fields = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`field${i}`, 'v'.repeat(20)]));
    const options = { maxMessageBytes: 256 * 1024, maxRecordBytes: 50_000, streams: new StreamTracker() };

    const { records } = transformPayload(payloadOf([JSON.stringify({ level: 'info', msg: 'wide', ...fields })]), options);

    expect(records[0]!.bytes).toBeLessThanOrEqual(50_000);
    expect(records[0]!.record.app?.truncated).toMatch(/…\[truncated: \d+ bytes\]$/);
    expect(records[0]!.record.message).toBe('wide');
  });
});
