// Pure classification of _bulk answers, item by item, and of client faults.
import { classifyNetworkError, classifyStatus, headerValue } from '../shared/classify.js';
import { failEvery, refusedWhole, type RecordFailure, type SendOutcome } from '../shared/outcome.js';

/** A _bulk answer as the client hands it over: any status, the parsed JSON body when there is one. */
export interface BulkAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface ItemVerdict {
  ok: boolean;
  retryable: boolean;
  reason: string;
}

/**
 * One item of a _bulk answer. 2xx is stored. 409 (`version_conflict_engine_exception`) means a
 * document with this `_id` exists: the record was stored by an earlier attempt, which is success.
 * 429 (`es_rejected_execution_exception`: a full write queue, a circuit breaker), 408 and 5xx pass
 * and are retried; anything else (`mapper_parsing_exception`, `illegal_argument_exception`, a
 * missing index, a read-only block) will fail again and is permanent.
 */
export function classifyBulkItem(status: number, error?: unknown): ItemVerdict {
  if ((status >= 200 && status < 300) || status === 409) return { ok: true, retryable: false, reason: `item ${status}` };
  const retryable = status === 408 || status === 429 || status >= 500;
  return { ok: false, retryable, reason: `item ${status}${describeError(error) ? `: ${describeError(error)}` : ''}` };
}

/**
 * What the store said about a batch of `count` records. A whole request refused is classified by
 * its status as the HTTP sink does (413 splits the batch; 429 and 5xx are retried, honouring
 * Retry-After; other statuses are permanent); an accepted request is read item by item, in order.
 */
export function bulkOutcome(answer: BulkAnswer, count: number, now = Date.now()): SendOutcome {
  if (answer.status < 200 || answer.status >= 300) {
    const verdict = classifyStatus(answer.status, headerValue(answer.headers['retry-after']), now);
    const detail = describeError(answer.body);
    const reason = detail ? `${verdict.reason}: ${detail}` : verdict.reason;
    // A whole-request 400 (a body the cluster cannot parse) may be one record's fault.
    return refusedWhole(verdict, count, reason, reason, { isolate: answer.status === 400 });
  }
  const body = answer.body as { errors?: unknown; items?: unknown } | null;
  if (typeof body !== 'object' || body === null || typeof body.errors !== 'boolean') {
    // A 2xx that is not a bulk answer: LOG_SINK points at something else (a proxy, Dashboards).
    const reason = `HTTP ${answer.status}: not a _bulk answer; check the LOG_SINK host and path`;
    return { failures: failEvery(count, false, reason), answer: reason };
  }
  if (!body.errors) return { failures: [], answer: `HTTP ${answer.status} bulk: ${count} created` };
  const items = Array.isArray(body.items) ? (body.items as unknown[]) : [];
  if (items.length !== count) {
    const reason = `HTTP ${answer.status}: the _bulk answer has ${items.length} items for ${count} records`;
    return { failures: failEvery(count, false, reason), answer: reason };
  }
  const failures: RecordFailure[] = [];
  let existing = 0;
  for (let index = 0; index < count; index += 1) {
    const entry = items[index];
    // Each item is `{ "<action>": { status, error? } }`.
    const result = (entry && typeof entry === 'object' ? Object.values(entry)[0] : undefined) as { status?: unknown; error?: unknown } | undefined;
    const status = typeof result?.status === 'number' ? result.status : 0;
    const verdict = classifyBulkItem(status, result?.error);
    if (!verdict.ok) failures.push({ index, retryable: verdict.retryable, reason: verdict.reason });
    else if (status === 409) existing += 1;
  }
  const created = count - existing - failures.length;
  return { failures, answer: `HTTP ${answer.status} bulk: ${created} created, ${existing} exist, ${failures.length} failed` };
}

/**
 * A short description of an error body, without the record content some reasons quote:
 * OpenSearch's `{error: {type, reason}}`, an item's error, the `{"Message": …}` of the AWS front
 * end, or the start of a text body.
 */
export function describeError(error: unknown): string | undefined {
  if (error === undefined || error === null || error === '') return undefined;
  if (typeof error === 'string') return error.slice(0, 200);
  if (typeof error !== 'object') return String(error);
  const object = error as { error?: unknown; type?: unknown; reason?: unknown; Message?: unknown; message?: unknown };
  if (object.error !== undefined) return describeError(object.error);
  if (typeof object.type === 'string') {
    if (typeof object.reason !== 'string') return object.type;
    // Elasticsearch quotes the refused value ("Preview of field's value: '…'"): a piece of a log
    // line, which must not reach the forwarder's own logs.
    const reason = object.reason.replace(/[.\s]*Preview of field's value:[\s\S]*$/, '');
    return `${object.type}: ${reason.slice(0, 200)}`;
  }
  const message = object.Message ?? object.message;
  return typeof message === 'string' ? message.slice(0, 200) : undefined;
}

/**
 * Faults of the client before any answer. Timeouts, resets, refused connections and a pool
 * with no connection left are transient. A certificate the client refuses, or AWS credentials
 * the default chain cannot find, will not fix themselves within the invocation: permanent.
 */
export function classifyClientError(error: unknown, signal?: AbortSignal): { retryable: boolean; reason: string } {
  const err = error as { name?: string; message?: string };
  if (signal?.aborted) {
    const timedOut = (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
    return { retryable: true, reason: timedOut ? 'request timed out' : 'request aborted' };
  }
  const message = err.message ?? 'network error';
  switch (err.name) {
    case 'TimeoutError':
      return { retryable: true, reason: 'request timed out' };
    case 'ConnectionError':
      // The client keeps only the message of the socket error.
      return { retryable: !/certificate|altnames/i.test(message), reason: `connection error: ${message}` };
    case 'CredentialsProviderError':
    case 'AwsSigv4SignerError':
      return { retryable: false, reason: `no AWS credentials to sign with: ${message}` };
    default:
      return classifyNetworkError(error);
  }
}
