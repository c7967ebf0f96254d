// A deterministic maximum-size subscription payload of mixed Lambda log formats.
import { gzipSync } from 'node:zlib';

export interface BenchPayload {
  event: { awslogs: { data: string } };
  events: number;
  /** The batch size as CloudWatch Logs counts it (UTF-8 message bytes + 26 per event; at most 1 MiB). */
  cloudWatchBytes: number;
  /** The decoded JSON. */
  rawBytes: number;
  compressedBytes: number;
}

/** A small linear congruential generator: the same payload on every run. */
function generator(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const uuid = (random: () => number) =>
  'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'.replace(/x/g, () => Math.floor(random() * 16).toString(16));

/**
 * The payloads of the bench:
 * - `mixed`: about 1 MB of events as CloudWatch Logs counts a batch (its largest is 1 MiB or
 *   10,000 events): a third Node.js runtime text, a quarter pino JSON, Lambda JSON app records,
 *   Python lines, plain text, and the START/END/REPORT lines of each invocation of 25 lines.
 * - `large-json`: pino lines of about 1.3 KB each (a nested order with a list of items), as
 *   many as fit 1 MiB.
 * - `tiny`: 10,000 lines of a few bytes (`tick 42`), the most events a batch holds.
 */
export type PayloadKind = 'mixed' | 'large-json' | 'tiny';

export function makePayload(events = 10_000, seed = 42, kind: PayloadKind = 'mixed'): BenchPayload {
  const random = generator(seed);
  // Each seed gets its own time range, so its event ids differ from every other seed's.
  const start = Date.UTC(2026, 10, 23, 10, 0, 0) + seed * 60_000;
  const logEvents: Array<{ id: string; timestamp: number; message: string }> = [];
  let requestId = uuid(random);
  let cloudWatchBytes = 0;
  for (let i = 0; logEvents.length < events; i += 1) {
    const timestamp = start + i;
    const iso = new Date(timestamp).toISOString();
    const position = i % 25;
    let message: string;
    if (kind === 'tiny') message = `tick ${i}`;
    else if (kind === 'large-json') {
      const items = Array.from({ length: 12 }, (_, k) => ({ sku: `SKU-${(i * 13 + k) % 9973}`, quantity: 1 + ((i + k) % 5), price: ((i * 7 + k) % 10_000) / 100, tags: ['fragile', 'express'] }));
      message = `${JSON.stringify({ level: 30, time: timestamp, requestId, msg: 'order stored', order: { id: `o-${i}`, customer: { id: `c-${i % 500}`, tier: 'gold', country: 'DE' }, items, total: i % 100_000 } })}\n`;
    } else if (position === 0) {
      requestId = uuid(random);
      message = `START RequestId: ${requestId} Version: $LATEST\n`;
    } else if (position === 23) message = `END RequestId: ${requestId}\n`;
    else if (position === 24) {
      message = `REPORT RequestId: ${requestId}\tDuration: ${(random() * 900).toFixed(2)} ms\tBilled Duration: ${Math.ceil(random() * 900)} ms\tMemory Size: 512 MB\tMax Memory Used: ${80 + Math.floor(random() * 40)} MB\t\n`;
    } else {
      const pick = random();
      const n = Math.floor(random() * 1e5);
      if (pick < 0.33) message = `${iso}\t${requestId}\tINFO\torder ${n} stored\n`;
      else if (pick < 0.58) message = `{"level":${random() < 0.9 ? 30 : 50},"time":${timestamp},"requestId":"${requestId}","sku":${n},"msg":"stored"}\n`;
      else if (pick < 0.72) message = `{"timestamp":"${iso}","level":"WARN","requestId":"${requestId}","message":"low stock ${n}"}`;
      else if (pick < 0.86) message = `[INFO]\t${iso}\t${requestId}\tfetched ${n % 100} rows\n`;
      else message = `GET /orders/${n} 200 ${n % 120}ms\n`;
    }
    const id = ((BigInt(timestamp) << 144n) + BigInt(i)).toString().padStart(56, '0');
    // CloudWatch Logs counts a batch as its UTF-8 message bytes plus 26 per event, at most 1 MiB
    // (the mixed payload, kept as every earlier run measured it, is 10,000 events of 1.11 MiB).
    cloudWatchBytes += Buffer.byteLength(message) + 26;
    if (kind !== 'mixed' && cloudWatchBytes > 1024 * 1024) break;
    logEvents.push({ id, timestamp, message });
  }
  const raw = Buffer.from(
    JSON.stringify({
      messageType: 'DATA_MESSAGE',
      owner: '123456789012',
      logGroup: '/aws/lambda/orders-dev-create',
      logStream: '2026/11/23/[$LATEST]0123456789abcdef0123456789abcdef',
      subscriptionFilters: ['orders-dev-forwarding'],
      logEvents,
    }),
  );
  const compressed = gzipSync(raw);
  const counted = logEvents.reduce((sum, e) => sum + Buffer.byteLength(e.message) + 26, 0);
  return { event: { awslogs: { data: compressed.toString('base64') } }, events: logEvents.length, cloudWatchBytes: counted, rawBytes: raw.length, compressedBytes: compressed.length };
}
