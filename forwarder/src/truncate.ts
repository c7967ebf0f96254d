import type { LogRecord } from './record.js';

/**
 * Shortens a record's message (and stack trace) to fit a sink's per-record limit, visibly: the
 * text ends with a marker giving the original size, and `log.truncated` / `log.original_bytes`
 * record it. Returns true when it cut anything. Mutates `record`.
 */
export function truncateRecord(record: LogRecord, maxBytes: number): boolean {
  const message = fit(record.message, maxBytes);
  const stack = record.error?.stack_trace === undefined ? undefined : fit(record.error.stack_trace, maxBytes);
  if (!message && !stack) return false;
  if (message) {
    record.message = message.text;
    // `log` may be shared with other records of the batch: replace it, never change it.
    record.log = { ...record.log, truncated: true, original_bytes: message.originalBytes };
  }
  if (stack && record.error) record.error.stack_trace = stack.text;
  return true;
}

function fit(text: string, maxBytes: number): { text: string; originalBytes: number } | undefined {
  // A UTF-16 unit is at most 3 UTF-8 bytes: short strings need no byte count.
  if (text.length * 3 <= maxBytes) return undefined;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return undefined;
  const marker = `…[truncated: ${bytes.length} bytes]`;
  const room = Math.max(0, maxBytes - Buffer.byteLength(marker));
  // Cutting inside a multi-byte character leaves U+FFFD at the end: drop it.
  const head = bytes.subarray(0, room).toString('utf8').replace(/\uFFFD+$/, '');
  return { text: head + marker, originalBytes: bytes.length };
}
