// Pure encoding of a batch for the generic HTTP sink: newline-delimited JSON.
import { createHash } from 'node:crypto';
import type { PreparedRecord } from '../../record.js';
import { recordLines } from '../shared/body.js';

/**
 * One JSON record per line, each line ending with a newline: the records' own bytes, which the
 * payload's output already holds in that form, so a batch is sent (and gzipped) without a copy.
 */
export function encodeNdjson(batch: readonly PreparedRecord[]): Buffer[] {
  return recordLines(batch);
}

/**
 * A key naming the batch by the event ids it holds. Batching is deterministic, so a batch sent
 * again after a Lambda retry carries the same key and a receiver can drop the duplicate.
 */
export function batchKey(batch: readonly PreparedRecord[]): string {
  const ids = new Array<string>(batch.length + 1);
  for (let index = 0; index < batch.length; index += 1) ids[index] = batch[index]!.id;
  ids[batch.length] = '';
  // The same bytes as hashing each id followed by a newline, in one call.
  return createHash('sha256').update(ids.join('\n')).digest('hex').slice(0, 32);
}
