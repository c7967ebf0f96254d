import { setField } from './parse/json.js';
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

/** JSON escaping may grow a string's bytes: cut a little more than the excess. */
const cutMargin = 64;

/**
 * Cuts the largest value of a record by about `excessBytes`, visibly: the message, the error's
 * stack trace or message, or the largest top-level `app` value (an object or array becomes the
 * start of its JSON, as a string). Each cut ends with a marker giving the value's original size,
 * and `log.truncated` is set. Returns false when nothing is left to cut. Mutates `record`.
 */
export function shrinkRecord(record: LogRecord, excessBytes: number): boolean {
  const candidates: Array<{ bytes: number; cut(maxBytes: number): boolean }> = [];
  const text = (value: string, set: (text: string) => void) => {
    candidates.push({
      bytes: Buffer.byteLength(value),
      cut: (maxBytes) => {
        const cut = fit(value, maxBytes);
        if (cut) set(cut.text);
        return cut !== undefined;
      },
    });
  };
  text(record.message, (cut) => (record.message = cut));
  const error = record.error;
  if (error?.stack_trace !== undefined) text(error.stack_trace, (cut) => (error.stack_trace = cut));
  if (error?.message !== undefined) text(error.message, (cut) => (error.message = cut));
  const app = record.app;
  if (app) {
    for (const key of Object.keys(app)) {
      const value = app[key];
      text(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''), (cut) => setField(app, key, cut));
    }
  }
  candidates.sort((a, b) => b.bytes - a.bytes);
  for (const candidate of candidates) {
    if (candidate.cut(Math.max(0, candidate.bytes - excessBytes - cutMargin))) {
      if (!record.log.truncated) record.log = { ...record.log, truncated: true };
      return true;
    }
  }
  return false;
}

/** `text` cut to `maxBytes` with the marker, or as it is when it fits. */
export function fitText(text: string, maxBytes: number): string {
  return fit(text, maxBytes)?.text ?? text;
}
