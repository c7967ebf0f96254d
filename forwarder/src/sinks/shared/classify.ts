// Pure classification of HTTP statuses and network faults into transient or permanent failures, for every sink.

export interface Classification {
  ok: boolean;
  retryable: boolean;
  /** 413: the batch must be split. */
  tooLarge: boolean;
  retryAfterMs?: number;
  reason: string;
}

/**
 * 2xx is success. 408, 425, 429 and 5xx other than 501/505 are transient; 413 asks for a
 * smaller batch; every other status is permanent and fails fast.
 */
export function classifyStatus(status: number, retryAfter?: string, now = Date.now()): Classification {
  if (status >= 200 && status < 300) return { ok: true, retryable: false, tooLarge: false, reason: `HTTP ${status}` };
  const reason = `HTTP ${status}`;
  if (status === 413) return { ok: false, retryable: true, tooLarge: true, reason };
  const transient =
    status === 408 || status === 425 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
  const wait = transient ? parseRetryAfter(retryAfter, now) : undefined;
  return {
    ok: false,
    retryable: transient,
    tooLarge: false,
    reason,
    ...(wait !== undefined ? { retryAfterMs: wait } : {}),
  };
}

/** Retry-After as delay-seconds or an HTTP date, in milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const permanentNetworkCodes = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_INVALID_URL',
]);

/**
 * Network faults (reset, refused, timeout, DNS hiccups) are transient; a TLS certificate the
 * client refuses will not fix itself and is permanent.
 */
export function classifyNetworkError(error: unknown): { retryable: boolean; reason: string } {
  const err = error as { code?: string; name?: string; message?: string };
  const code = err.code ?? err.name ?? 'Error';
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return { retryable: true, reason: 'request timed out' };
  return { retryable: !permanentNetworkCodes.has(code), reason: `${code}: ${err.message ?? 'network error'}` };
}

/** The first value of a response header: Node gives a repeated header as a list. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
