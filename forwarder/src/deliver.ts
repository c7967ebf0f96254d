import { Batcher } from './batch.js';
import type { PreparedRecord } from './record.js';
import { unanswered, type RecordFailure, type SendOutcome } from './sinks/shared/outcome.js';
import type { Sink } from './sinks/types.js';

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
  /**
   * How long, from the first record, transient failures are retried before what is left is given
   * up (and parked): a sink that is down then costs this much of each invocation, not its whole
   * timeout. Unset: as long as the invocation has time.
   */
  retryWindowMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface UndeliveredRecord {
  record: PreparedRecord;
  reason: string;
  /** True when it failed for good (the store refused it); false when time ran out retrying. */
  permanent: boolean;
  /** Requests that carried it. */
  attempts: number;
  /** When its first request failed (epoch ms). */
  firstFailureAt: number;
}

export interface DeliveryReport {
  delivered: number;
  undelivered: UndeliveredRecord[];
  requests: number;
  retries: number;
  /** Batches sent again in halves: too large, or to isolate a record the store refused. */
  splits: number;
  /** Bytes of the records delivered, as rendered (before the sink's encoding and compression). */
  deliveredBytes: number;
  /** Time spent waiting for the store's answers, summed over requests. */
  requestMs: number;
}

interface QueuedBatch {
  batch: PreparedRecord[];
  /** Requests that carried these records so far. */
  attempt: number;
  /** When a request carrying them first failed. */
  firstFailureAt?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Ships records in batches with bounded concurrency, sending each batch as soon as it is full so
 * encoding and network overlap with the records still being prepared. Failed records, and only
 * those, are retried with capped exponential backoff and full jitter (honouring Retry-After)
 * while the invocation has time; a batch refused as too large, or refused whole for one record's
 * content, is split in halves until the refused record is alone. Never throws:
 * what could not be delivered is listed in the report.
 */
export class Delivery {
  private readonly batcher: Batcher;
  private readonly queue: QueuedBatch[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly report: DeliveryReport = { delivered: 0, undelivered: [], requests: 0, retries: 0, splits: 0, deliveredBytes: 0, requestMs: 0 };
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly reserveMs: number;
  private readonly retryUntil: number;

  constructor(
    private readonly sink: Sink,
    private readonly options: DeliveryOptions,
  ) {
    this.batcher = new Batcher(sink.limits);
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.reserveMs = options.reserveMs ?? 1_000;
    this.retryUntil = options.retryWindowMs === undefined ? Infinity : Date.now() + options.retryWindowMs;
  }

  /** Milliseconds left for sending: the invocation's, less the reserve. The retry window bounds retries only. */
  private timeLeft(): number {
    return this.options.remainingMs() - this.reserveMs;
  }

  /** Milliseconds left to retry in: the invocation's time, within the retry window. */
  private retryTimeLeft(): number {
    return Math.min(this.timeLeft(), this.retryUntil - Date.now());
  }

  add(record: PreparedRecord): void {
    const full = this.batcher.add(record);
    if (full) this.enqueue(full);
  }

  /** Sends what is left and resolves when every batch is delivered or given up. */
  async finish(): Promise<DeliveryReport> {
    const last = this.batcher.flush();
    if (last) this.enqueue(last);
    while (this.running.size > 0) await Promise.all([...this.running]);
    return this.report;
  }

  private enqueue(batch: PreparedRecord[]): void {
    this.queue.push({ batch, attempt: 0 });
    this.pump();
  }

  /** Starts workers up to the concurrency while batches wait (new ones, and the halves of a split). */
  private pump(): void {
    while (this.running.size < Math.max(1, this.options.concurrency) && this.queue.length > 0) {
      const worker: Promise<void> = this.work().finally(() => this.running.delete(worker));
      this.running.add(worker);
    }
  }

  private giveUp(batch: readonly PreparedRecord[], reason: string, permanent: boolean, attempts: number, firstFailureAt = Date.now()): void {
    for (const record of batch) this.report.undelivered.push({ record, reason, permanent, attempts, firstFailureAt });
  }

  private async work(): Promise<void> {
    for (let next = this.queue.shift(); next; next = this.queue.shift()) await this.ship(next);
  }

  private async ship({ batch: first, attempt: firstAttempt, firstFailureAt: failedBefore }: QueuedBatch): Promise<void> {
    const { options, report } = this;
    let batch = first;
    let attempt = firstAttempt;
    let firstFailureAt = failedBefore;
    let lastFailure: string | undefined;
    while (batch.length > 0) {
      // A retry (or a half of a split) starts only within the retry window; a request once started
      // may take the invocation's time, so an answer is never cut off by the window.
      const budget = this.timeLeft();
      if (budget <= 0 || (attempt > 0 && this.retryTimeLeft() <= 0)) {
        this.giveUp(batch, lastFailure ? `${lastFailure} (no time left to retry)` : 'invocation ran out of time before delivery', false, attempt, firstFailureAt);
        return;
      }
      report.requests += 1;
      const signal = AbortSignal.timeout(Math.min(options.requestTimeoutMs, budget));
      const started = performance.now();
      const outcome = await sendSafely(this.sink, batch, signal);
      report.requestMs += performance.now() - started;
      // An attempt the invocation's deadline cut short says nothing about the store: the
      // failure worth reporting is still the one before it.
      const cutByDeadline = signal.aborted && budget < options.requestTimeoutMs && lastFailure !== undefined;
      if (outcome.failures.length === 0) {
        report.delivered += batch.length;
        for (const record of batch) report.deliveredBytes += record.bytes;
        return;
      }
      attempt += 1;
      firstFailureAt ??= Date.now();
      if (outcome.tooLarge || outcome.isolate) {
        // Halves until what the store refuses is alone: a refusal of one record in n costs
        // about 2·log2(n) requests, and the other records are delivered.
        if (batch.length > 1) {
          const half = Math.ceil(batch.length / 2);
          this.queue.unshift({ batch: batch.slice(0, half), attempt, firstFailureAt }, { batch: batch.slice(half), attempt, firstFailureAt });
          report.splits += 1;
          this.pump();
        } else if (outcome.tooLarge) {
          this.giveUp(batch, 'the record is larger than the sink accepts (HTTP 413)', true, attempt, firstFailureAt);
        } else {
          this.giveUp(batch, outcome.failures[0]?.reason ?? outcome.answer, true, attempt, firstFailureAt);
        }
        return;
      }
      const failedAt = new Set(outcome.failures.map((failure) => failure.index));
      report.delivered += batch.length - failedAt.size;
      for (let index = 0; index < batch.length; index += 1) if (!failedAt.has(index)) report.deliveredBytes += batch[index]!.bytes;
      const retryable: PreparedRecord[] = [];
      for (const failure of outcome.failures) {
        const item = batch[failure.index];
        if (!item) continue;
        if (failure.retryable) retryable.push(item);
        else this.giveUp([item], failure.reason, true, attempt, firstFailureAt);
      }
      if (retryable.length === 0) return;
      const step = Math.min(options.retry.maxDelayMs, options.retry.baseDelayMs * 2 ** (attempt - 1));
      const delay = Math.max(outcome.retryAfterMs ?? 0, Math.round(this.random() * step));
      if (!cutByDeadline) lastFailure = lastReason(outcome.failures);
      if (this.retryTimeLeft() - delay <= 0) {
        this.giveUp(retryable, `${lastFailure} (no time left to retry)`, false, attempt, firstFailureAt);
        return;
      }
      report.retries += 1;
      await this.sleep(delay);
      batch = retryable;
    }
  }
}

async function sendSafely(sink: Sink, batch: readonly PreparedRecord[], signal: AbortSignal): Promise<SendOutcome> {
  try {
    return await sink.send(batch, signal);
  } catch (error) {
    // A sink must report faults, not throw them; if one does, the batch is retried, not lost.
    return unanswered(batch.length, { retryable: true, reason: `sink ${sink.name} threw: ${(error as Error).message}` });
  }
}

function lastReason(failures: readonly RecordFailure[]): string {
  return failures.find((failure) => failure.retryable)?.reason ?? failures[0]?.reason ?? 'unknown failure';
}
