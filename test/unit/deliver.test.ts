// The delivery loop's time rules, with a sink that answers after a delay: the retry window bounds
// retries only, and the halves of a split are sent with the loop's whole concurrency.
import { describe, expect, it } from 'vitest';
import { Delivery } from '../../forwarder/src/deliver.js';
import { delivered, failEvery, type SendOutcome } from '../../forwarder/src/sinks/shared/outcome.js';
import type { Sink } from '../../forwarder/src/sinks/types.js';
import { eventId, preparedRecord } from '../helpers/records.js';

const limits = { maxBatchRecords: 10, maxBatchBytes: 1e9, maxMessageBytes: 1e6, maxRecordBytes: 1e6 };

/** A sink answering each request after `delayMs` with `answer(batch)`, counting requests in flight. */
function slowSink(delayMs: number, answer: (ids: string[]) => SendOutcome) {
  const seen = { requests: 0, inFlight: 0, maxInFlight: 0 };
  const sink: Sink = {
    name: 'slow',
    limits,
    async send(batch) {
      seen.requests += 1;
      seen.inFlight += 1;
      seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      seen.inFlight -= 1;
      return answer(batch.map((record) => record.id));
    },
    async close() {},
  };
  return { sink, seen };
}

const records = (n: number) => Array.from({ length: n }, (_, i) => preparedRecord(eventId(i + 1)));
const options = { concurrency: 4, requestTimeoutMs: 5_000, retry: { baseDelayMs: 1, maxDelayMs: 2 }, remainingMs: () => 30_000, reserveMs: 0 };

describe('the delivery loop', () => {
  it('tries every batch and lets every request finish, however short the retry window', async () => {
    const { sink, seen } = slowSink(150, () => delivered('HTTP 200'));
    const delivery = new Delivery(sink, { ...options, concurrency: 1, retryWindowMs: 100 });

    for (const record of records(30)) delivery.add(record);
    const report = await delivery.finish();

    expect(report).toMatchObject({ delivered: 30, undelivered: [] });
    expect(seen.requests).toBe(3);
  });

  it('stops retrying at the end of the window and gives the rest up as transient', async () => {
    const { sink } = slowSink(20, (ids) => ({ failures: failEvery(ids.length, true, 'HTTP 503'), answer: 'HTTP 503' }));
    const delivery = new Delivery(sink, { ...options, retryWindowMs: 200 });

    for (const record of records(10)) delivery.add(record);
    const report = await delivery.finish();

    expect(report.delivered).toBe(0);
    expect(report.undelivered).toHaveLength(10);
    expect(report.undelivered.every((item) => !item.permanent && item.reason.startsWith('HTTP 503 (no time left to retry)'))).toBe(true);
    expect(report.undelivered[0]!.attempts).toBeGreaterThan(1);
  });

  it('sends the halves of an isolating split with its whole concurrency', async () => {
    const { sink, seen } = slowSink(10, (ids) =>
      ids.includes(eventId(7)) ? { failures: failEvery(ids.length, false, 'HTTP 400: bad record'), isolate: true, answer: 'HTTP 400' } : delivered('HTTP 200'),
    );
    const delivery = new Delivery(sink, { ...options, concurrency: 4 });

    for (const record of records(10)) delivery.add(record);
    const report = await delivery.finish();

    expect(report.delivered).toBe(9);
    expect(report.undelivered.map((item) => [item.record.id, item.permanent, item.reason])).toEqual([[eventId(7), true, 'HTTP 400: bad record']]);
    expect(seen.maxInFlight).toBeGreaterThan(1);
  });
});
