import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { UndeliveredRecord } from '../../forwarder/src/deliver.js';
import { ParkError } from '../../forwarder/src/errors.js';
import { messageAttributes, packMessages, reasonKind, sendBatches, unpackMessage } from '../../forwarder/src/failure-queue.js';
import { eventId, preparedRecord } from '../helpers/records.js';

const undelivered = (n: number, overrides: Partial<UndeliveredRecord> = {}): UndeliveredRecord => ({
  record: preparedRecord(eventId(n)),
  reason: 'HTTP 503',
  permanent: false,
  attempts: 2,
  firstFailureAt: Date.UTC(2026, 11, 3, 8, 0, n),
  ...overrides,
});

describe('packMessages', () => {
  it('groups records that failed alike into NDJSON messages, with the earliest failure and the most attempts', () => {
    const records = [undelivered(1), undelivered(2, { attempts: 5 }), undelivered(3, { permanent: true, reason: 'HTTP 400: bad' })];

    const messages = packMessages(records, 'http', 256 * 1024);

    expect(messages.map((message) => message.attributes)).toEqual([
      { sink: 'http', failure: 'transient', reason: 'HTTP 503', firstFailureAt: '2026-12-03T08:00:01.000Z', attempts: 5, records: 2, encoding: 'ndjson' },
      { sink: 'http', failure: 'permanent', reason: 'HTTP 400: bad', firstFailureAt: '2026-12-03T08:00:03.000Z', attempts: 2, records: 1, encoding: 'ndjson' },
    ]);
    expect(unpackMessage(messages[0]!.body, 'ndjson')).toEqual([records[0]!.record.json, records[1]!.record.json]);
  });

  it('keeps every message, attributes included, within the size SQS takes', () => {
    const records = Array.from({ length: 500 }, (_, n) => undelivered(n));

    const messages = packMessages(records, 'http', 16 * 1024);

    expect(messages.length).toBeGreaterThan(1);
    expect(messages.every((message) => message.bytes <= 16 * 1024)).toBe(true);
    expect(messages.reduce((sum, message) => sum + message.attributes.records, 0)).toBe(500);
  });

  it('compresses a record too large for a message alone, and refuses one that does not fit even so', () => {
    const big = undelivered(1, { record: preparedRecord(eventId(1), { message: 'word '.repeat(10_000) }) });
    const random = undelivered(2, { record: preparedRecord(eventId(2), { message: randomBytes(40_000).toString('base64') }) });

    const [message] = packMessages([big], 'loki', 16 * 1024);

    expect(message!.attributes.encoding).toBe('ndjson+gzip+base64');
    expect(unpackMessage(message!.body, 'ndjson+gzip+base64')).toEqual([big.record.json]);
    expect(() => packMessages([random], 'loki', 16 * 1024)).toThrow(ParkError);
  });

  it('cuts a long reason, and refuses an encoding it does not know', () => {
    const [message] = packMessages([undelivered(1, { reason: 'x'.repeat(2_000) })], 'http', 256 * 1024);

    expect(message!.attributes.reason).toHaveLength(512);
    expect(() => unpackMessage('x', 'zstd')).toThrow(/unknown parked message encoding "zstd"/);
  });
});

describe('what SQS takes', () => {
  it('writes U+FFFE and U+FFFF as JSON escapes, and turns what SQS refuses in a reason into U+FFFD', () => {
    const record = preparedRecord(eventId(1), { message: 'odd \uFFFF and \uFFFE end' });
    const [message] = packMessages([undelivered(1, { record, reason: `cut emoji \uD83D` })], 'http', 256 * 1024);

    expect(message!.body).not.toMatch(/[\uFFFE\uFFFF]/);
    expect(JSON.parse(message!.body)).toEqual(JSON.parse(record.json));
    expect(message!.attributes.reason).toBe('cut emoji \uFFFD');
  });
});

describe('sendBatches and messageAttributes', () => {
  it('cuts SendMessageBatch calls at 10 entries and at 1 MiB', () => {
    expect(sendBatches(Array.from({ length: 23 }, () => ({ bytes: 10 }))).map((batch) => batch.length)).toEqual([10, 10, 3]);
    expect(sendBatches(Array.from({ length: 5 }, () => ({ bytes: 300 * 1024 }))).map((batch) => batch.length)).toEqual([3, 2]);
  });

  it('types numbers as Number and the rest as String', () => {
    const [message] = packMessages([undelivered(1)], 'http', 256 * 1024);

    expect(messageAttributes(message!.attributes)).toMatchObject({ attempts: { DataType: 'Number', StringValue: '2' }, sink: { DataType: 'String', StringValue: 'http' } });
  });
});

describe('reasonKind', () => {
  it('puts per-record refusals of one kind in one message, and keeps statuses apart', () => {
    const records = Array.from({ length: 50 }, (_, n) =>
      undelivered(n, { permanent: true, reason: `item 400: mapper_parsing_exception: failed to parse field [app.amount] of type [long] in document with id '${eventId(n)}'. Preview: "12 EUR"` }),
    );

    expect(packMessages(records, 'opensearch', 256 * 1024)).toHaveLength(1);
    expect(reasonKind('HTTP 400: bad')).not.toBe(reasonKind('HTTP 413: bad'));
  });
});
