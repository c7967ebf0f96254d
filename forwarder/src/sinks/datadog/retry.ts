// Pure classification of Datadog intake answers into stored, retryable, too large or permanent.
import { classifyStatus } from '../http/retry.js';
import type { SendOutcome } from '../types.js';

export interface DatadogAnswer {
  status: number;
  body: string;
  retryAfter?: string;
  /** `X-RateLimit-Reset`: seconds until the rate limit window resets. */
  rateLimitReset?: string;
}

/**
 * The intake's documented answers (https://docs.datadoghq.com/api/latest/logs/#send-logs): 202
 * accepted; 400 bad payload, 401 missing and 403 invalid API key: permanent; 408, 429 and 5xx:
 * retried after a while (Retry-After, else `X-RateLimit-Reset` on a 429,
 * https://docs.datadoghq.com/api/latest/rate-limits/); 413 (over 5 MB): halve the batch. The
 * intake accepts or refuses a request whole.
 */
export function classifyDatadogAnswer(answer: DatadogAnswer, size: number, now = Date.now()): SendOutcome {
  const verdict = classifyStatus(answer.status, answer.retryAfter, now);
  if (verdict.ok) return { failures: [] };
  let wait = verdict.retryAfterMs;
  if (wait === undefined && answer.status === 429 && answer.rateLimitReset && /^\d+$/.test(answer.rateLimitReset.trim())) {
    wait = Number(answer.rateLimitReset.trim()) * 1000;
  }
  const reason = answer.body ? `${verdict.reason}: ${answer.body.slice(0, 200)}` : verdict.reason;
  return {
    failures: Array.from({ length: size }, (_, index) => ({ index, retryable: verdict.retryable, reason })),
    ...(wait !== undefined ? { retryAfterMs: wait } : {}),
    ...(verdict.tooLarge ? { tooLarge: true } : {}),
  };
}
