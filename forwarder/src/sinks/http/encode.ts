// Pure encoding of a batch for the generic HTTP sink: newline-delimited JSON.
import { createHash } from 'node:crypto';
import type { PreparedRecord } from '../types.js';

/** One JSON record per line, each line ending with a newline. */
export function encodeNdjson(batch: readonly PreparedRecord[]): string {
  let body = '';
  for (const item of batch) body += `${item.json}\n`;
  return body;
}

/**
 * A key naming the batch by the event ids it holds. Batching is deterministic, so a batch sent
 * again after a Lambda retry carries the same key and a receiver can drop the duplicate.
 */
export function batchKey(batch: readonly PreparedRecord[]): string {
  const hash = createHash('sha256');
  for (const item of batch) hash.update(item.id).update('\n');
  return hash.digest('hex').slice(0, 32);
}
