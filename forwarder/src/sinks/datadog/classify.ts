// Pure classification of Datadog intake answers into stored, retryable, too large or permanent.
import { classifyStatus } from '../shared/classify.js';
import { answerText, type StoreAnswer } from '../shared/http-sink.js';
import { delivered, refusedWhole, type SendOutcome } from '../shared/outcome.js';

/**
 * The intake's documented answers (https://docs.datadoghq.com/api/latest/logs/#send-logs): 202
 * accepted; 400 bad payload (one log may be at fault: isolate it), 401 missing and 403 invalid
 * API key: permanent; 408, 429 and 5xx:
 * retried after a while (Retry-After, else `X-RateLimit-Reset` on a 429,
 * https://docs.datadoghq.com/api/latest/rate-limits/); 413 (over 5 MB): halve the batch. The
 * intake accepts or refuses a request whole.
 */
export function classifyDatadogAnswer(answer: StoreAnswer, count: number): SendOutcome {
  const verdict = classifyStatus(answer.status, answer.headers['retry-after']);
  const text = answerText(answer);
  if (verdict.ok) return delivered(text);
  const reset = answer.headers['x-ratelimit-reset']?.trim();
  const wait = verdict.retryAfterMs ?? (answer.status === 429 && reset && /^\d+$/.test(reset) ? Number(reset) * 1000 : undefined);
  return refusedWhole(verdict, count, text, text, { retryAfterMs: wait, isolate: answer.status === 400 });
}
