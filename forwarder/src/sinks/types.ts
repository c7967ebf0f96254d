import type { PreparedRecord } from '../record.js';
import type { SendOutcome } from './shared/outcome.js';

/** The store's own limits; batches are cut so that none is exceeded. */
export interface SinkLimits {
  maxBatchRecords: number;
  /** Uncompressed bytes of the records' JSON in one request. */
  maxBatchBytes: number;
  /** Bytes of one message before it is truncated with a visible marker. */
  maxMessageBytes: number;
  /**
   * Bytes of one encoded record, the sink's additions (`recordOverheadBytes`) included: over it,
   * the largest values are cut (the message, the stack, then the largest `app` values) so that a
   * store never refuses a record for its size.
   */
  maxRecordBytes: number;
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
 * Makes a sink from the LOG_SINK URL and options. Each sink folder exports one as
 * `sinkFactory`; sinks/index.ts picks it by the URL's scheme.
 */
export type SinkFactory = (location: string, options: SinkOptions) => Sink | Promise<Sink>;

/**
 * A destination for records. `send` never throws for a store's answer or a network fault: it
 * reports them per record so the delivery loop can retry exactly what failed. A sink holds no
 * state about the event it serves, so one event may be routed to several sinks.
 */
export interface Sink {
  readonly name: string;
  readonly limits: SinkLimits;
  send(batch: readonly PreparedRecord[], signal: AbortSignal): Promise<SendOutcome>;
  close(): Promise<void>;
}
