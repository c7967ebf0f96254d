import { describe, expect, it } from 'vitest';
import { httpSinkConfig } from '../../forwarder/src/sinks/http/config.js';
import { batchKey, encodeNdjson } from '../../forwarder/src/sinks/http/encode.js';
import { PreparedRecord } from '../../forwarder/src/record.js';
import { classifyNetworkError, classifyStatus, parseRetryAfter } from '../../forwarder/src/sinks/shared/classify.js';
import { batchesOf } from '../helpers/records.js';

const prepared = (id: string, bytes = 10): PreparedRecord => PreparedRecord.fromJson(id, {} as PreparedRecord['record'], `{"id":"${id}"}`.padEnd(bytes, ' '));

describe('classifyStatus', () => {
  it('asks for a split on 413', () => {
    expect(classifyStatus(413)).toMatchObject({ ok: false, tooLarge: true });
  });

  it('honours Retry-After in seconds and as an HTTP date', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');

    expect(classifyStatus(429, '3', now).retryAfterMs).toBe(3000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('classifyNetworkError', () => {
  it('retries resets, refusals and timeouts but not a refused certificate', () => {
    expect(classifyNetworkError(Object.assign(new Error('x'), { code: 'ECONNRESET' })).retryable).toBe(true);
    expect(classifyNetworkError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })).retryable).toBe(true);
    expect(classifyNetworkError(new DOMException('t', 'TimeoutError')).reason).toBe('request timed out');
    expect(classifyNetworkError(Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' })).retryable).toBe(false);
  });
});

describe('batching and encoding', () => {
  it('cuts batches by count and by bytes, deterministically', () => {
    const records = Array.from({ length: 10 }, (_, i) => prepared(String(i), 99));

    const byCount = batchesOf(records, { maxBatchRecords: 4, maxBatchBytes: 1e9 });
    const byBytes = batchesOf(records, { maxBatchRecords: 100, maxBatchBytes: 300 });

    expect(byCount.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(byBytes.map((b) => b.length)).toEqual([3, 3, 3, 1]);
    expect(batchKey(byCount[0]!)).toBe(batchKey(batchesOf(records, { maxBatchRecords: 4, maxBatchBytes: 1e9 })[0]!));
    expect(batchKey(byCount[0]!)).not.toBe(batchKey(byCount[1]!));
  });

  it('puts a record larger than the byte limit in a batch of its own', () => {
    expect(batchesOf([prepared('a', 10), prepared('b', 500), prepared('c', 10)], { maxBatchRecords: 10, maxBatchBytes: 100 }).map((b) => b.length)).toEqual([1, 1, 1]);
  });

  it('encodes NDJSON with one record per line', () => {
    expect(Buffer.concat(encodeNdjson([prepared('a'), prepared('b')])).toString('utf8')).toBe('{"id":"a"}\n{"id":"b"}\n');
  });
});

describe('sink configuration', () => {
  it('turns URL user info into basic auth and strips it from the endpoint', () => {
    const config = httpSinkConfig(new URL('https://user:p%40ss@logs.example.test/in'));

    expect(config.url.href).toBe('https://logs.example.test/in');
    expect(config.headers.authorization).toBe(`Basic ${Buffer.from('user:p@ss').toString('base64')}`);
  });

  it('sends a token as a bearer token', () => {
    expect(httpSinkConfig(new URL('https://logs.example.test/'), { token: 't0k' }).headers.authorization).toBe('Bearer t0k');
  });

});
