// Pure encoding of a batch as a _bulk body: a `create` action line before each record's JSON.
import type { PreparedRecord } from '../../record.js';
import { batchBytes, BodyBuilder } from '../shared/body.js';
import { indexKeyOf, resolveIndex, type IndexPattern } from './index-name.js';

const quote = JSON.stringify as (value: string) => string;

/**
 * The action line of one record. `create` with the event id as `_id` stores a document only if
 * no document has that id yet, so a record sent twice is stored once (the second answer is a 409).
 * It is also the only action a data stream accepts.
 */
export function encodeAction(index: string, id: string): string {
  return `{"create":{"_index":${quote(index)},"_id":${quote(id)}}}`;
}

/** An action line's size besides the index name and the id: `{"create":{"_index":"","_id":""}}` and its newline. */
const actionBytes = 36;

/**
 * NDJSON for `POST /_bulk`: an action line and the record's JSON per record, every line ending
 * with a newline, the last one included (the _bulk API requires it). The records' bytes are
 * copied as rendered, never serialized again. Consecutive records mostly share their index (their
 * day), so the index part of the action line is built once per change of index.
 */
export function encodeBulk(batch: readonly PreparedRecord[], index: IndexPattern): Buffer {
  const body = new BodyBuilder(batchBytes(batch, actionBytes + index.resolvedBytes + 60));
  let key: string | undefined;
  let prefix = '';
  for (const prepared of batch) {
    const timestamp = prepared.record['@timestamp'];
    const recordKey = indexKeyOf(index, timestamp);
    if (recordKey !== key) {
      key = recordKey;
      prefix = `{"create":{"_index":${quote(resolveIndex(index, timestamp))},"_id":`;
    }
    body.add(`${prefix}${quote(prepared.id)}}}\n`).record(prepared, 0, 1);
  }
  return body.bytes();
}
