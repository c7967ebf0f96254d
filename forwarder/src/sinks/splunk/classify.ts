// Pure classification of HEC answers: HTTP status plus HEC's own code, per event when HEC names one.
import { classifyStatus } from '../shared/classify.js';
import { answerText, type StoreAnswer } from '../shared/http-sink.js';
import { delivered, refusedWhole, type RecordFailure, type SendOutcome } from '../shared/outcome.js';

/** HEC's JSON answer: `{"text":"Success","code":0}`, `{"text":"Invalid data format","code":6,"invalid-event-number":3}`. */
export interface HecReply {
  text?: string;
  code?: number;
  invalidEventNumber?: number;
}

export function parseHecReply(body: string): HecReply | undefined {
  try {
    const value = JSON.parse(body) as Record<string, unknown>;
    if (typeof value !== 'object' || value === null) return undefined;
    const reply: HecReply = {};
    if (typeof value.text === 'string') reply.text = value.text;
    if (typeof value.code === 'number') reply.code = value.code;
    if (typeof value['invalid-event-number'] === 'number') reply.invalidEventNumber = value['invalid-event-number'];
    return reply;
  } catch {
    return undefined;
  }
}

// Codes about one event's content; the others (5 no data, 7 incorrect index, …) concern the whole request.
const eventCodes = new Set([6, 12, 13, 15]);

// Codes 10 and 11 come from tokens with indexer acknowledgment, which needs a channel and /ack
// polling: `?ack=true` on LOG_SINK turns both on.
const channelCodes = new Set([10, 11]);

/**
 * Classifies HEC's answer to one request (status codes and HEC codes as listed in "Troubleshoot
 * HTTP Event Collector", https://docs.splunk.com/Documentation/Splunk/latest/Data/TroubleshootHTTPEventCollector).
 * 200 is success. 503 (code 9 server busy, 18–20 unhealthy), 429 and other 5xx are retried,
 * honouring Retry-After; 413 (over `max_content_length`) halves the batch. 401/403 (codes 1–4:
 * token disabled, missing, malformed or invalid) and 400 (5 no data, 6 invalid data format,
 * 7 incorrect index, 12/13 event field missing or blank, 15 indexed fields) are permanent. HEC
 * reads a request's events in order and stops at the event a 400 about one event's content names
 * (`invalid-event-number`, codes 6, 12, 13, 15): the events before it are indexed, that event
 * fails for good, and only the ones after it are sent again.
 */
export function classifyHecAnswer(answer: StoreAnswer, count: number): SendOutcome {
  const verdict = classifyStatus(answer.status, answer.headers['retry-after']);
  if (verdict.ok) return delivered(answerText(answer));
  const reply = parseHecReply(answer.body);
  const reason = `${verdict.reason}: ${describe(reply, answer.body)}`;
  const invalid = reply?.invalidEventNumber;
  if (answer.status === 400 && reply?.code !== undefined && eventCodes.has(reply.code) && invalid !== undefined && invalid >= 0 && invalid < count) {
    const failures: RecordFailure[] = [{ index: invalid, retryable: false, reason }];
    for (let index = invalid + 1; index < count; index += 1) {
      failures.push({ index, retryable: true, reason: `sent again: HEC stopped at event ${invalid} of the request` });
    }
    return { failures, answer: `${reason}; ${invalid} events before it indexed` };
  }
  // An event-content refusal that names no event may be one event's fault; other 400s (no data,
  // an index the token may not write to, indexer acknowledgment) are the request's own.
  return refusedWhole(verdict, count, reason, reason, { isolate: answer.status === 400 && (reply?.code === undefined || eventCodes.has(reply.code)) });
}

function describe(reply: HecReply | undefined, body: string): string {
  if (!reply || (reply.code === undefined && reply.text === undefined)) return body.slice(0, 200) || 'no answer body';
  const text = `HEC code ${reply.code ?? '?'}: ${reply.text ?? ''}`.trim();
  if (reply.code !== undefined && channelCodes.has(reply.code)) return `${text} (the token has indexer acknowledgment on: add ack=true to LOG_SINK)`;
  return reply.invalidEventNumber === undefined ? text : `${text} (event ${reply.invalidEventNumber} of the request)`;
}
