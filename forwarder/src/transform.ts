import type { DecodedPayload } from './decode.js';
import type { RecordFilter } from './filter.js';
import { parseLine } from './parse/index.js';
import { lineKinds, type ParsedLine } from './parse/types.js';
import { RecordOutput } from './output.js';
import { batchContext, buildRecord, PreparedRecord, type BatchContext, type LogRecord } from './record.js';
import type { Redactor } from './redact.js';
import { RecordRenderer, type Rendered } from './render.js';
import { assignRequestIds, invocationFacts, type InvocationFacts, type StreamTracker } from './stream-context.js';
import { fitText, shrinkRecord, truncateRecord } from './truncate.js';

/** Cuts of a record's largest values, at most, before it ships as it is. */
const maxShrinkRounds = 16;

export interface TransformOptions {
  region?: string;
  stage?: string;
  maxMessageBytes: number;
  /** Bytes of a record's JSON the sink takes; over it the largest values are cut. Unlimited when unset. */
  maxRecordBytes?: number;
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
  /** Where the records' bytes go; `release()` hands its buffers to the next payload. */
  readonly output = new RecordOutput();
  /** Records placed in the output whose bytes wait for its next flush. */
  private placed: PreparedRecord[] = [];

  constructor(
    private readonly payload: DecodedPayload,
    private readonly options: TransformOptions,
  ) {
    this.batch = batchContext({ ...payload, region: options.region, stage: options.stage });
    this.lines = payload.logEvents.map((event) => parseSafely(event.message));
    const streamKey = `${payload.logGroup}\u0000${payload.logStream}`;
    options.streams.set(streamKey, assignRequestIds(this.lines, options.streams.current(streamKey)));
    this.facts = invocationFacts(this.lines);
  }

  get size(): number {
    return this.lines.length;
  }

  /**
   * Prepares the records of events `[from, to)`, in order, handing each to `emit` once its bytes
   * are in the output (in runs, as the output flushes; all of them before this returns).
   */
  prepare(from: number, to: number, emit: (record: PreparedRecord) => void): void {
    const { options, lines } = this;
    const events = this.payload.logEvents;
    // Consecutive lines mostly belong to one invocation: look its facts up once.
    let factsId: string | undefined;
    let facts: InvocationFacts | undefined;
    for (let index = from; index < to; index += 1) {
      const event = events[index];
      const line = lines[index];
      if (!event || !line) continue;
      if (options.filter && !options.filter(event.message, line.level)) {
        this.filtered += 1;
        continue;
      }
      let record: LogRecord;
      let rendered: Rendered;
      try {
        if (line.requestId !== factsId) {
          factsId = line.requestId;
          facts = factsId === undefined ? undefined : this.facts.get(factsId);
        }
        record = buildRecord(event, line, this.batch, facts);
        rendered = this.render(record);
      } catch (error) {
        // One record that cannot be rendered (nesting deeper than the stack, say) never fails
        // the event: it ships as its raw text, tagged, with the reason.
        record = buildRecord(event, plainLine(event.message), this.batch, undefined);
        record.error = { type: 'RecordRenderError', message: (error as Error).message };
        record.tags = [renderFailureTag];
        rendered = this.render(record);
      }
      const { chunk, start } = this.output.place(rendered.json, rendered.bytes);
      this.placed.push(new PreparedRecord(event.id, record, chunk, start, rendered.bytes));
      if (this.output.pendingBytes === 0) this.emitPlaced(emit);
    }
    this.output.flush();
    this.emitPlaced(emit);
  }

  private emitPlaced(emit: (record: PreparedRecord) => void): void {
    for (const record of this.placed) emit(record);
    this.placed = [];
  }

  /** Redacts and truncates a record, and renders it within the sink's limit. */
  private render(record: LogRecord): Rendered {
    this.options.redactor?.(record);
    let truncated = truncateRecord(record, this.options.maxMessageBytes);
    let rendered = this.renderer.render(record);
    const limit = this.options.maxRecordBytes ?? Infinity;
    // A structured line can be large in its `app` fields: cut the largest values until it fits.
    for (let round = 0; rendered.bytes > limit && round < maxShrinkRounds; round += 1) {
      if (!shrinkRecord(record, rendered.bytes - limit)) break;
      truncated = true;
      const before = rendered.bytes;
      rendered = this.renderer.render(record);
      // Values smaller than a cut's marker do not shrink: the last resort is the whole app object as a cut string.
      if (rendered.bytes >= before && record.app !== undefined) {
        record.app = { truncated: fitText(JSON.stringify(record.app), Math.max(0, limit / 2)) };
        rendered = this.renderer.render(record);
      }
    }
    if (truncated) this.truncated += 1;
    return rendered;
  }
}

/** The tag of a record shipped as its raw text because its parsed form could not be rendered. */
export const renderFailureTag = '_forwarder_render_failure';

/** A line taken as plain text, level info. */
function plainLine(raw: string): ParsedLine {
  return { kind: lineKinds.app, level: 'info', message: raw.trimEnd() };
}

/** Parses a line; a parser that throws (it should not) leaves the line as plain text. */
function parseSafely(raw: string): ParsedLine {
  try {
    return parseLine(raw);
  } catch {
    return plainLine(raw);
  }
}

/** Transforms a whole payload at once. */
export function transformPayload(payload: DecodedPayload, options: TransformOptions): TransformResult {
  const transformer = new PayloadTransformer(payload, options);
  const records: PreparedRecord[] = [];
  transformer.prepare(0, transformer.size, (record) => records.push(record));
  return { records, filtered: transformer.filtered, truncated: transformer.truncated };
}
