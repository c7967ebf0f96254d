import type { DecodedPayload } from './decode.js';
import type { RecordFilter } from './filter.js';
import { parseLine } from './parse/index.js';
import { batchContext, buildRecord } from './record.js';
import { RecordRenderer } from './render.js';
import type { Redactor } from './redact.js';
import type { PreparedRecord } from './sinks/types.js';
import { assignRequestIds, invocationFacts, type StreamTracker } from './stream-context.js';
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
 * Turns every log event of a payload into one prepared record: parse, attach the stream's
 * invocation, build the ECS record, filter, redact, truncate and render its JSON once.
 */
export function transformPayload(payload: DecodedPayload, options: TransformOptions): TransformResult {
  const batch = batchContext({ ...payload, region: options.region, stage: options.stage });
  const renderer = new RecordRenderer();

  const lines = payload.logEvents.map((event) => parseLine(event.message));
  const streamKey = `${payload.logGroup}\u0000${payload.logStream}`;
  options.streams.set(streamKey, assignRequestIds(lines, options.streams.current(streamKey)));
  const facts = invocationFacts(lines);

  const records: PreparedRecord[] = [];
  let filtered = 0;
  let truncated = 0;
  payload.logEvents.forEach((event, index) => {
    const line = lines[index];
    if (!line) return;
    if (options.filter && !options.filter(event.message, line.level)) {
      filtered += 1;
      return;
    }
    const record = buildRecord(event, line, batch, line.requestId ? facts.get(line.requestId) : undefined);
    options.redactor?.(record);
    if (truncateRecord(record, options.maxMessageBytes)) truncated += 1;
    const json = renderer.render(record);
    records.push({ id: event.id, record, json, bytes: Buffer.byteLength(json) });
  });
  return { records, filtered, truncated };
}
