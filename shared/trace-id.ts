// X-Ray trace ids, the one generator for every part that starts a request (the local gateway,
// the demo, the web client). Uses only Web Crypto, so Node and the browser share it.

/**
 * A new X-Ray trace id, `1-<epoch seconds, 8 hex>-<96 random bits, 24 hex>`
 * (https://docs.aws.amazon.com/xray/latest/devguide/xray-api-sendingdata.html#xray-api-traceids).
 */
export function newTraceId(now: number = Date.now()): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `1-${Math.floor(now / 1000).toString(16).padStart(8, '0')}-${random}`;
}

/** The X-Amzn-Trace-Id header value for a trace id: `Root=<id>`. */
export function traceHeader(traceId: string): string {
  return `Root=${traceId}`;
}
