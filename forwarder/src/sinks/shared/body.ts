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

/** A body as the Buffers written (or compressed) one after another. */
export function bodyParts(body: Body): readonly Buffer[] {
  if (typeof body === 'string') return [Buffer.from(body)];
  return Buffer.isBuffer(body) ? [body] : (body as readonly Buffer[]);
}

/** Bytes of a body's parts. */
export function partsBytes(parts: readonly Buffer[]): number {
  let total = 0;
  for (const part of parts) total += part.length;
  return total;
}

/**
 * One request body written as text around the records' own bytes: the envelope a store wants
 * (an action line, an event object) is text, each record's JSON is copied from the payload's
 * output as it is, never decoded nor rendered again. Text between two records is written in one
 * call.
 */
export class BodyBuilder {
  private buffer: Buffer;
  private length = 0;
  private text = '';

  constructor(expectedBytes: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(64, expectedBytes));
  }

  /** Appends text (written before the next record's bytes). */
  add(text: string): this {
    this.text += text;
    return this;
  }

  /** Appends the record's JSON, `from` bytes after its start and `to` its end (its newline with `to` = 1). */
  record(record: PreparedRecord, from = 0, to = 0): this {
    return this.range(record.chunk, record.start + from, record.end + to);
  }

  /** Appends bytes `[from, to)` of `chunk`. */
  range(chunk: Buffer, from: number, to: number): this {
    this.flushText();
    this.room(to - from);
    this.length += chunk.copy(this.buffer, this.length, from, to);
    return this;
  }

  /** The body written so far. */
  bytes(): Buffer {
    this.flushText();
    return this.buffer.subarray(0, this.length);
  }

  private flushText(): void {
    if (this.text === '') return;
    this.room(this.text.length * 3);
    this.length += this.buffer.write(this.text, this.length, 'utf8');
    this.text = '';
  }

  private room(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

/** Bytes of the records' JSON in a batch, plus `each` per record: a body's expected size. */
export function batchBytes(batch: readonly PreparedRecord[], each: number): number {
  let total = 0;
  for (const record of batch) total += record.bytes + each;
  return total;
}
