// Request bodies made of the records' own bytes, as the payload's output holds them.
import type { PreparedRecord } from '../../record.js';

/** A request body: one string, or Buffers sent one after another (compressed as one stream). */
export type Body = string | Buffer | readonly Buffer[];

/**
 * The records' JSON lines (each followed by its newline) as ranges of the buffers that hold them,
 * in order: consecutive records of one buffer are one range, so a batch cut from a payload is
 * mostly a single view, sent without a copy.
 */
export function recordLines(batch: readonly PreparedRecord[]): Buffer[] {
  const parts: Buffer[] = [];
  let chunk: Buffer | undefined;
  let from = 0;
  let to = 0;
  for (const record of batch) {
    if (record.chunk === chunk && record.start === to) {
      to = record.end + 1;
      continue;
    }
    if (chunk !== undefined) parts.push(chunk.subarray(from, to));
    chunk = record.chunk;
    from = record.start;
    to = record.end + 1;
  }
  if (chunk !== undefined) parts.push(chunk.subarray(from, to));
  return parts;
}

/** Bytes of a body. */
export function bodyBytes(body: Body): number {
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (Buffer.isBuffer(body)) return body.length;
  let total = 0;
  for (const part of body as readonly Buffer[]) total += part.length;
  return total;
}
