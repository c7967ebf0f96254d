// A Loki push endpoint (`POST <prefix>/loki/api/v1/push`) on the loopback store.
import { idOf, startLoopbackStore, type LoopbackStore, type StoreFault, type StoreRequest } from './loopback-store.js';

export interface LokiEntryStored {
  labels: Record<string, string>;
  ns: string;
  line: string;
  record: Record<string, unknown>;
}

export interface FakeLoki extends LoopbackStore<LokiEntryStored> {
  /** Exact duplicates Loki dropped. */
  readonly duplicatesDropped: number;
  /** Entries that arrived earlier in time than the one before them in their stream. */
  readonly outOfOrderEntries: number;
  /** Entries older than this (ns) are refused as "entry too far behind", as an ingester does. */
  setOldestAcceptable(ns: bigint | undefined): void;
}

export interface FakeLokiOptions {
  prefix?: string;
  /** Requires `X-Scope-OrgID` to be this tenant (multi-tenant Loki). */
  tenant?: string;
  /** Requires this `Authorization` header (the gateway in front of Loki). */
  authorization?: string;
  /** `limits_config.max_line_size`, 256KB by default. */
  maxLineSize?: number;
  faults?: StoreFault[];
}

type PushStream = { stream?: unknown; values?: unknown };

const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const text = (status: number, body = ''): { status: number; body: string; headers: Record<string, string> } => ({
  status,
  body,
  headers: body ? { 'content-type': 'text/plain; charset=utf-8' } : {},
});
const streamsOf = (request: StoreRequest) => (JSON.parse(request.body().toString('utf8')) as { streams?: unknown }).streams;

/**
 * A loopback Loki push endpoint (JSON, optionally gzip) with Loki's semantics: entries are
 * validated one by one, valid ones are kept even when others are refused (the answer is then a
 * 400 naming the refused ones, worded as Loki words them), an entry equal to a kept one (same
 * stream, timestamp and line) is dropped, success is 204. A record the script refuses is refused
 * as too far behind.
 */
export async function startFakeLoki(options: FakeLokiOptions = {}): Promise<FakeLoki> {
  let oldestAcceptable: bigint | undefined;
  const maxLineSize = options.maxLineSize ?? 256 * 1024;
  const pushPath = `${options.prefix ?? ''}/loki/api/v1/push`;
  const kept = new Set<string>();
  const counts = { duplicatesDropped: 0, outOfOrderEntries: 0 };

  /** Validates a push; gives what Loki keeps and its 400 text for refused entries, or an error for the request. */
  const push = (streams: unknown, refuse: ReadonlySet<number>) => {
    if (!Array.isArray(streams)) return { error: 'loghttp.PushRequest.Streams: expected an array' };
    const refused: string[] = [];
    let entries = 0;
    const valid: Array<[Record<string, string>, string, string]> = [];
    for (const stream of streams as PushStream[]) {
      const labels = stream.stream as Record<string, string> | undefined;
      if (!labels || typeof labels !== 'object' || Object.keys(labels).length === 0) return { error: 'error at least one label pair is required per stream' };
      for (const [name, value] of Object.entries(labels)) {
        if (!labelName.test(name) || typeof value !== 'string' || value === '') return { error: `invalid labels: ${JSON.stringify(labels)}` };
      }
      if (!Array.isArray(stream.values)) return { error: 'values: expected an array' };
      const shown = `{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(', ')}}`;
      const ignored: string[] = [];
      let previous = -1n;
      for (const value of stream.values as unknown[]) {
        if (!Array.isArray(value) || typeof value[0] !== 'string' || !/^\d+$/.test(value[0]) || typeof value[1] !== 'string') {
          return { error: `invalid entry ${JSON.stringify(value)}: want ["<ns>","<line>"]` };
        }
        const position = entries;
        entries += 1;
        const [ns, line] = value as [string, string];
        const time = BigInt(ns);
        if (time < previous) counts.outOfOrderEntries += 1;
        previous = time;
        const length = Buffer.byteLength(line);
        const oldest = refuse.has(position) ? time + 1n : oldestAcceptable;
        if (length > maxLineSize) {
          refused.push(`Max entry size '${maxLineSize}' bytes exceeded for stream '${shown}' while adding an entry with length '${length}' bytes`);
        } else if (oldest !== undefined && time < oldest) {
          ignored.push(`entry with timestamp ${goTime(time)} ignored, reason: 'entry too far behind, oldest acceptable timestamp is: ${new Date(Number(oldest / 1_000_000n)).toISOString()}',`);
        } else {
          valid.push([labels, ns, line]);
        }
      }
      if (ignored.length > 0) refused.push(`${ignored.join('\n')}\nuser '${options.tenant ?? 'fake'}', total ignored: ${ignored.length} out of ${(stream.values as unknown[]).length} for stream: ${shown}`);
    }
    const stored: Array<[string, LokiEntryStored]> = [];
    for (const [labels, ns, line] of valid) {
      const key = `${JSON.stringify(Object.entries(labels).sort())}\u0000${ns}\u0000${line}`;
      if (kept.has(key)) {
        counts.duplicatesDropped += 1;
        continue;
      }
      kept.add(key);
      const record = JSON.parse(line) as Record<string, unknown>;
      stored.push([idOf(record), { labels, ns, line, record }]);
    }
    return { refused, entries, stored };
  };

  const store = await startLoopbackStore<LokiEntryStored>({
    scheme: 'loki+http',
    path: options.prefix ?? '',
    faults: options.faults,
    ids: (request) => (streamsOf(request) as Array<{ values: Array<[string, string]> }>).flatMap((stream) => stream.values.map(([, line]) => idOf(JSON.parse(line)))),
    read(request) {
      if (request.method !== 'POST') return text(405, 'method not allowed');
      if (request.path !== pushPath) return text(404, '404 page not found');
      if (options.authorization && request.headers.authorization !== options.authorization) return text(401, 'unauthorized');
      if (options.tenant && request.headers['x-scope-orgid'] !== options.tenant) return text(401, 'no org id');
      if (!request.headers['content-type']?.startsWith('application/json')) return text(415, 'unsupported content type');
      let streams: unknown;
      try {
        streams = streamsOf(request);
      } catch (error) {
        return text(400, `parse error: ${(error as Error).message}`);
      }
      const result = push(streams, new Set(request.refused));
      if (result.error !== undefined) return text(400, result.error);
      const answer = result.refused.length > 0 ? text(400, result.refused.join('\n')) : text(204);
      return { ...answer, kept: result.stored };
    },
  });
  return {
    ...store,
    get duplicatesDropped() {
      return counts.duplicatesDropped;
    },
    get outOfOrderEntries() {
      return counts.outOfOrderEntries;
    },
    setOldestAcceptable: (ns) => void (oldestAcceptable = ns),
  };
}

/** A time as Go's time.Time.String() prints it in UTC, the way Loki's errors show timestamps. */
export function goTime(ns: bigint): string {
  const seconds = ns / 1_000_000_000n;
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  const iso = new Date(Number(seconds) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''} +0000 UTC`;
}
