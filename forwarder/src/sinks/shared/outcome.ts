// What one send did to each record of its batch: the shape every sink fills, all the way up.
import type { Classification } from './classify.js';

/** A record of the batch that is not stored (yet). Records not listed are stored. */
export interface RecordFailure {
  /** Position in the batch that was sent. */
  index: number;
  /** True when sending it again may succeed; false when the store refused it for good. */
  retryable: boolean;
  /** Why, with the store's own words where it gave any. */
  reason: string;
}

/**
 * What a store said about one batch, per record. An empty `failures` means every record is
 * stored; a record not in `failures` is stored exactly once (or was already).
 */
export interface SendOutcome {
  failures: RecordFailure[];
  /** The store asked to wait this long before retrying (Retry-After). */
  retryAfterMs?: number;
  /** The batch was refused as too large (413): send it again in halves. */
  tooLarge?: boolean;
  /**
   * The store refused the request whole for its content (a 400 that names no record), so one
   * record may be at fault: the delivery loop sends halves until the records it refuses are
   * alone, and delivers the others. Never set for refusals of the request itself (credentials,
   * a missing index), which every half would meet again.
   */
  isolate?: boolean;
  /** The store's answer in a few words (`HTTP 204`, `bulk: 3 created, 1 exists`), for people and the failure queue. */
  answer: string;
}

/** Every record is stored. */
export function delivered(answer: string): SendOutcome {
  return { failures: [], answer };
}

/** `count` records that all failed the same way. */
export function failEvery(count: number, retryable: boolean, reason: string): RecordFailure[] {
  const failures = new Array<RecordFailure>(count);
  for (let index = 0; index < count; index += 1) failures[index] = { index, retryable, reason };
  return failures;
}

/**
 * The store accepted or refused the request as a whole: every record fails as the status says,
 * with the wait it asked for and whether the batch must be split (too large, or `isolate`: the
 * refusal may be one record's fault).
 */
export function refusedWhole(
  verdict: Classification,
  count: number,
  reason: string,
  answer: string,
  { retryAfterMs = verdict.retryAfterMs, isolate = false }: { retryAfterMs?: number | undefined; isolate?: boolean } = {},
): SendOutcome {
  return {
    failures: failEvery(count, verdict.retryable, reason),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(verdict.tooLarge ? { tooLarge: true } : {}),
    ...(isolate && !verdict.retryable ? { isolate: true } : {}),
    answer,
  };
}

/** No answer came (refused connection, reset, timeout): every record fails the same way. */
export function unanswered(count: number, fault: { retryable: boolean; reason: string }): SendOutcome {
  return { failures: failEvery(count, fault.retryable, fault.reason), answer: `no answer: ${fault.reason}` };
}
