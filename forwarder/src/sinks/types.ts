import type { LogRecord } from '../record.js';

/** A record ready to ship: its JSON is rendered once and reused by batching and encoding. */
export interface PreparedRecord {
  /** The CloudWatch event id, the record's idempotency key in every store. */
  readonly id: string;
  readonly record: LogRecord;
  readonly json: string;
  /** UTF-8 size of `json`. */
  readonly bytes: number;
}

/** The store's own limits; batches are cut so that none is exceeded. */
export interface SinkLimits {
  maxBatchRecords: number;
  /** Uncompressed bytes of the records' JSON in one request. */
  maxBatchBytes: number;
  /** Bytes of one message before it is truncated with a visible marker. */
  maxMessageBytes: number;
  /**
   * Bytes the sink's encoding adds to each record besides its JSON (a newline, a bulk action
   * line, extra fields), counted by the batcher against `maxBatchBytes`. Default 1.
   */
  recordOverheadBytes?: number;
}

/** Credentials for a sink, from LOG_SINK_TOKEN locally or the LOG_SINK_SECRET_ID secret. */
export interface SinkCredentials {
  /** A bearer token, API key or HEC token, as the sink uses it. */
  token?: string;
  username?: string;
  password?: string;
}

export interface SinkOptions extends SinkCredentials {
  gzip?: boolean;
  limits?: Partial<SinkLimits>;
  /** The AWS region, for stores signed with SigV4 (Amazon OpenSearch Service). */
  region?: string;
}

/**
 * Makes a sink from the LOG_SINK URL (already parsed when it is one) and options. Each sink folder
 * exports one as `sinkFactory`; sinks/index.ts picks it by the URL's scheme.
 */
export type SinkFactory = (location: string, options: SinkOptions) => Sink | Promise<Sink>;

export interface RecordFailure {
  /** Position in the batch that was sent. */
  index: number;
  retryable: boolean;
  reason: string;
}

/** What a store said about one batch. An empty `failures` means every record is stored. */
export interface SendOutcome {
  failures: RecordFailure[];
  /** The store asked to wait this long before retrying (Retry-After). */
  retryAfterMs?: number;
  /** The batch was refused as too large (413): send it again in halves. */
  tooLarge?: boolean;
  /** The store's answer in a few words (`HTTP 200`, `bulk: 3 created, 1 exists`), for people. */
  answer?: string;
}

/**
 * A destination for records. `send` never throws for a store's answer or a network fault: it
 * reports them per record so the delivery loop can retry exactly what failed.
 */
export interface Sink {
  readonly name: string;
  readonly limits: SinkLimits;
  send(batch: readonly PreparedRecord[], signal: AbortSignal): Promise<SendOutcome>;
  close(): Promise<void>;
}

/** Every record of the batch failed the same way. */
export function failAll(batch: readonly unknown[], retryable: boolean, reason: string): RecordFailure[] {
  return batch.map((_, index) => ({ index, retryable, reason }));
}
