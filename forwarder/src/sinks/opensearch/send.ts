// Sends one _bulk body through the client, abortable, and hands back the answer whatever its status.
import { compressed } from '../shared/compress.js';
import type { SearchClient } from './client.js';
import type { BulkAnswer } from './classify.js';

/**
 * Only what the classification reads: the `errors` flag and each item's status and error. A bulk
 * answer otherwise repeats index, id, version and shard counts for every document (AWS
 * recommends `filter_path` for bulk ingestion: Well-Architected OpenSearch lens, AOSPERF06-BP04).
 */
export const bulkFilterPath = 'errors,items.*.status,items.*.error.type,items.*.error.reason';

/**
 * POSTs NDJSON to `<node>/_bulk`, gzipped when asked. Resolves with the answer
 * for any HTTP status; rejects on network faults, and when `signal` aborts the request.
 */
export async function sendBulk(client: SearchClient, body: Buffer, signal: AbortSignal, gzip = false): Promise<BulkAnswer> {
  // Compressed here, at level 1 and in one trip to the thread pool (the client would use level 6).
  const bulkBody = gzip ? await compressed(body) : body;
  signal.throwIfAborted();
  const request = client.transport.request(
    { method: 'POST', path: '/_bulk', bulkBody, querystring: { filter_path: bulkFilterPath } },
    { maxRetries: 0, ...(gzip ? { headers: { 'content-encoding': 'gzip' } } : {}) },
  );
  // A block body on purpose: `abort()` returns the request, a thenable, and an EventTarget
  // listener that returns a thenable has its rejection reported as an uncaught exception.
  const abort = () => {
    request.abort();
  };
  signal.addEventListener('abort', abort, { once: true });
  try {
    const response = await request;
    return { status: response.statusCode ?? 0, headers: response.headers ?? {}, body: response.body };
  } catch (error) {
    // The client throws for statuses of 400 and above; they are answers, classified like any other.
    const meta = (error as { name?: string; meta?: { statusCode?: number | null; headers?: BulkAnswer['headers'] | null; body?: unknown } }).meta;
    if ((error as Error).name === 'ResponseError' && typeof meta?.statusCode === 'number') {
      return { status: meta.statusCode, headers: meta.headers ?? {}, body: meta.body };
    }
    throw error;
  } finally {
    signal.removeEventListener('abort', abort);
  }
}
