import { toBatches } from './batch.js';
import { failAll, type PreparedRecord, type RecordFailure, type SendOutcome, type Sink } from './sinks/types.js';

export interface RetryPolicy {
  /** First backoff step. */
  baseDelayMs: number;
  /** Largest backoff step (Retry-After may ask for more, within the deadline). */
  maxDelayMs: number;
}

export interface DeliveryOptions {
  concurrency: number;
  requestTimeoutMs: number;
  retry: RetryPolicy;
  /** Milliseconds left before the invocation must return (context.getRemainingTimeInMillis). */
  remainingMs: () => number;
  /** Time kept back at the end of the invocation to report and throw. */
  reserveMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface UndeliveredRecord {
  id: string;
  reason: string;
  /** True when it failed for good (the store refused it); false when time ran out retrying. */
  permanent: boolean;
}

export interface DeliveryReport {
  delivered: number;
  undelivered: UndeliveredRecord[];
  requests: number;
  retries: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Ships records in batches with bounded concurrency. Failed records, and only those, are
 * retried with capped exponential backoff and full jitter (honouring Retry-After) while the
 * invocation has time; a batch refused as too large is split in halves. Never throws: what could
 * not be delivered is listed in the report.
 */
export async function deliver(records: readonly PreparedRecord[], sink: Sink, options: DeliveryOptions): Promise<DeliveryReport> {
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const reserveMs = options.reserveMs ?? 1_000;
  const report: DeliveryReport = { delivered: 0, undelivered: [], requests: 0, retries: 0 };
  const queue = toBatches(records, sink.limits).map((batch) => ({ batch, attempt: 0 }));

  const giveUp = (batch: readonly PreparedRecord[], reason: string, permanent: boolean) => {
    for (const item of batch) report.undelivered.push({ id: item.id, reason, permanent });
  };

  const work = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      let { batch, attempt } = next;
      let lastFailure: string | undefined;
      while (batch.length > 0) {
        const budget = options.remainingMs() - reserveMs;
        if (budget <= 0) {
          giveUp(batch, lastFailure ? `${lastFailure} (no time left to retry)` : 'invocation ran out of time before delivery', false);
          break;
        }
        report.requests += 1;
        const signal = AbortSignal.timeout(Math.min(options.requestTimeoutMs, budget));
        const outcome = await sendSafely(sink, batch, signal);
        if (outcome.failures.length === 0) {
          report.delivered += batch.length;
          break;
        }
        if (outcome.tooLarge) {
          if (batch.length === 1) {
            giveUp(batch, 'the record is larger than the sink accepts (HTTP 413)', true);
          } else {
            const half = Math.ceil(batch.length / 2);
            queue.unshift({ batch: batch.slice(0, half), attempt }, { batch: batch.slice(half), attempt });
          }
          break;
        }
        const failedAt = new Set(outcome.failures.map((failure) => failure.index));
        report.delivered += batch.length - failedAt.size;
        const retryable: PreparedRecord[] = [];
        for (const failure of outcome.failures) {
          const item = batch[failure.index];
          if (!item) continue;
          if (failure.retryable) retryable.push(item);
          else giveUp([item], failure.reason, true);
        }
        if (retryable.length === 0) break;
        attempt += 1;
        const step = Math.min(options.retry.maxDelayMs, options.retry.baseDelayMs * 2 ** (attempt - 1));
        const delay = Math.max(outcome.retryAfterMs ?? 0, Math.round(random() * step));
        lastFailure = lastReason(outcome.failures);
        if (options.remainingMs() - reserveMs - delay <= 0) {
          giveUp(retryable, `${lastFailure} (no time left to retry)`, false);
          break;
        }
        report.retries += 1;
        await sleep(delay);
        batch = retryable;
      }
    }
  };

  const workers = Math.max(1, Math.min(options.concurrency, queue.length));
  await Promise.all(Array.from({ length: workers }, work));
  return report;
}

async function sendSafely(sink: Sink, batch: readonly PreparedRecord[], signal: AbortSignal): Promise<SendOutcome> {
  try {
    return await sink.send(batch, signal);
  } catch (error) {
    // A sink must report faults, not throw them; if one does, the batch is retried, not lost.
    return { failures: failAll(batch, true, `sink ${sink.name} threw: ${(error as Error).message}`) };
  }
}

function lastReason(failures: readonly RecordFailure[]): string {
  return failures.find((failure) => failure.retryable)?.reason ?? failures[0]?.reason ?? 'unknown failure';
}
