import type { DecodedPayload } from './decode.js';
import type { RecordFilter } from './filter.js';
import { parseLine } from './parse/index.js';
import type { ParsedLine } from './parse/types.js';
import { batchContext, buildRecord, type BatchContext, type PreparedRecord } from './record.js';
import type { Redactor } from './redact.js';
import { RecordRenderer } from './render.js';
import { assignRequestIds, invocationFacts, type InvocationFacts, type StreamTracker } from './stream-context.js';
import { truncateRecord } from './truncate.js';

export interface TransformOptions {
  region?: string;
  stage?: string;
  maxMessageBytes: number;
  filter?: RecordFilter;
  redactor?: Redactor;
  streams: StreamTracker;
}

export interface TransformResult {
  records: PreparedRecord[];
  /** Events dropped by the configured filter. */
  filtered: number;
  truncated: number;
}

/**
 * Turns the log events of one payload into prepared records: each event becomes one record
 * (unless filtered) with its stream's invocation attached, redacted, truncated to the sink's
 * limit, and its JSON rendered once. Lines are parsed up front, because a line's request id,
 * trace id and cold start can come from lines after it; records are then prepared in ranges,
 * so the caller can ship finished batches while it prepares the next.
 */
export class PayloadTransformer {
  /** Events dropped by the configured filter. */
  filtered = 0;
  truncated = 0;
  private readonly lines: ParsedLine[];
  private readonly facts: Map<string, InvocationFacts>;
  private readonly batch: BatchContext;
  private readonly renderer = new RecordRenderer();

  constructor(
    private readonly payload: DecodedPayload,
    private readonly options: TransformOptions,
  ) {
    this.batch = batchContext({ ...payload, region: options.region, stage: options.stage });
    this.lines = payload.logEvents.map((event) => parseLine(event.message));
    const streamKey = `${payload.logGroup}\u0000${payload.logStream}`;
    options.streams.set(streamKey, assignRequestIds(this.lines, options.streams.current(streamKey)));
    this.facts = invocationFacts(this.lines);
  }

  get size(): number {
    return this.lines.length;
  }

  /** Prepares the records of events `[from, to)`, in order, handing each to `emit`. */
  prepare(from: number, to: number, emit: (record: PreparedRecord) => void): void {
    const { options, lines } = this;
    const events = this.payload.logEvents;
    for (let index = from; index < to; index += 1) {
      const event = events[index];
      const line = lines[index];
      if (!event || !line) continue;
      if (options.filter && !options.filter(event.message, line.level)) {
        this.filtered += 1;
        continue;
      }
      const record = buildRecord(event, line, this.batch, line.requestId ? this.facts.get(line.requestId) : undefined);
      options.redactor?.(record);
      if (truncateRecord(record, options.maxMessageBytes)) this.truncated += 1;
      emit(this.renderer.prepare(event.id, record));
    }
  }
}

/** Transforms a whole payload at once. */
export function transformPayload(payload: DecodedPayload, options: TransformOptions): TransformResult {
  const transformer = new PayloadTransformer(payload, options);
  const records: PreparedRecord[] = [];
  transformer.prepare(0, transformer.size, (record) => records.push(record));
  return { records, filtered: transformer.filtered, truncated: transformer.truncated };
}
