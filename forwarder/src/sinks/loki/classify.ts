// Pure classification of Loki's push answers, down to the entries a partial 400 names.
import { classifyStatus } from '../shared/classify.js';
import type { StoreAnswer } from '../shared/http-sink.js';
import { delivered, failEvery, refusedWhole, type RecordFailure, type SendOutcome } from '../shared/outcome.js';
import { joinNanoseconds, lineBytes, type LokiStream } from './encode.js';

/** What a 400 body says about single entries: rejected timestamps and line lengths, with why. */
export interface RejectedEntries {
  /** Nanosecond timestamp → reason. */
  times: Map<string, string>;
  /** UTF-8 length of a line refused as too long → reason. */
  lineLengths: Map<number, string>;
}

// Go's time.Time.String(): `2026-11-23 10:00:00.123456789 +0000 UTC`, fraction without trailing zeros.
const goTime = String.raw`(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))? ([+-]\d{2})(\d{2}) [A-Za-z0-9+-]+`;
// The ingester lists each refused entry (`entry with timestamp … ignored, reason: 'entry too far
// behind, …'`, also `entry out of order`); the distributor's validation names the old or future
// timestamp, or the line length (Loki pkg/validation/validate.go messages).
const ignoredEntry = new RegExp(String.raw`entry with timestamp ${goTime} ignored, reason: '([^']*)'`, 'g');
const timestampOutOfRange = new RegExp(String.raw`has (timestamp too (?:old|new)): ${goTime}`, 'g');
const lineTooLong = /Max entry size '(\d+)' bytes exceeded for stream '[^']*' while adding an entry with length '(\d+)' bytes/g;

/** Reads the entries a Loki 400 names. Pure. */
export function rejectedEntries(body: string): RejectedEntries {
  const times = new Map<string, string>();
  const lineLengths = new Map<number, string>();
  for (const [, date, clock, fraction, hours, minutes, reason] of body.matchAll(ignoredEntry)) {
    const ns = goTimeToNanoseconds(date!, clock!, fraction, hours!, minutes!);
    if (ns !== undefined) times.set(ns, reason!);
  }
  for (const [, reason, date, clock, fraction, hours, minutes] of body.matchAll(timestampOutOfRange)) {
    const ns = goTimeToNanoseconds(date!, clock!, fraction, hours!, minutes!);
    if (ns !== undefined) times.set(ns, reason!);
  }
  for (const [, max, length] of body.matchAll(lineTooLong)) {
    lineLengths.set(Number(length), `line too long (${length} bytes, max_line_size ${max})`);
  }
  return { times, lineLengths };
}

function goTimeToNanoseconds(date: string, clock: string, fraction: string | undefined, hours: string, minutes: string): string | undefined {
  const ms = Date.parse(`${date}T${clock}${hours}:${minutes}`);
  return Number.isNaN(ms) ? undefined : joinNanoseconds(ms / 1000, (fraction ?? '').padEnd(9, '0'));
}

/**
 * Classifies Loki's answer to one push. 204 stores all; 429 and 5xx are retried (with
 * Retry-After); 413 halves the batch. A 400 means Loki refused some entries and kept the others
 * (https://grafana.com/docs/loki/latest/operations/request-validation-rate-limits/): the entries it
 * names fail for good, the rest are sent again, which is safe because Loki drops an entry equal to
 * one it has (same stream, timestamp and line). A 400 that names no entry fails the whole batch.
 */
export function classifyLokiAnswer(answer: StoreAnswer, count: number, streams: readonly LokiStream[] = []): SendOutcome {
  const verdict = classifyStatus(answer.status, answer.headers['retry-after']);
  if (verdict.ok) return delivered(`HTTP ${answer.status}`);
  const detail = answer.body ? `${verdict.reason}: ${firstLine(answer.body)}` : verdict.reason;
  if (answer.status === 400) return partialRejection(answer.body, streams, count, detail);
  return refusedWhole(verdict, count, detail, detail);
}

function partialRejection(body: string, streams: readonly LokiStream[], count: number, detail: string): SendOutcome {
  const rejected = rejectedEntries(body);
  const failures: RecordFailure[] = [];
  const named = new Set<number>();
  for (const { entries } of streams) {
    for (const entry of entries) {
      const reason = rejected.times.get(entry.ns) ?? (rejected.lineLengths.size > 0 ? rejected.lineLengths.get(lineBytes(entry)) : undefined);
      if (reason === undefined) continue;
      named.add(entry.index);
      failures.push({ index: entry.index, retryable: false, reason: `HTTP 400: ${reason}` });
    }
  }
  // A 400 that names no entry (a bad label or timestamp of one record, a body Loki cannot read) may be one record's fault.
  if (named.size === 0) return { failures: failEvery(count, false, detail), isolate: true, answer: detail };
  for (let index = 0; index < count; index += 1) {
    if (!named.has(index)) failures.push({ index, retryable: true, reason: 'HTTP 400 for other entries of the push; sent again' });
  }
  return { failures, answer: `${detail} (${named.size} of ${count} entries refused)` };
}

function firstLine(body: string): string {
  return body.split('\n', 1)[0]!.slice(0, 200);
}
