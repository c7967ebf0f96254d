// Pure encoding of a batch for the generic HTTP sink: newline-delimited JSON.
import { createHash } from 'node:crypto';
import type { PreparedRecord } from '../../record.js';

/** One JSON record per line, each line ending with a newline. */
export function encodeNdjson(batch: readonly PreparedRecord[]): string {
  // One join writes every record once into a flat string; growing a string with += would build
  // a deep rope that is copied again when it is encoded.
  const lines = new Array<string>(batch.length + 1);
  for (let index = 0; index < batch.length; index += 1) lines[index] = batch[index]!.json;
  lines[batch.length] = '';
  return lines.join('\n');
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
