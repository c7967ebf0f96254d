import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** What the fake does with one request before Loki's own rules apply, in order; the last repeats. */
export type LokiFault =
  | { kind: 'ok' }
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'reset' }
  /** Never answers and stores nothing. */
  | { kind: 'hang' }
  /** Stores the push, then never answers: the client times out after Loki kept the entries. */
  | { kind: 'store-then-hang' };

export interface LokiEntryStored {
  labels: Record<string, string>;
  ns: string;
  line: string;
  record: Record<string, unknown>;
}

export interface FakeLoki {
  /** `loki+http://127.0.0.1:<port>/<prefix>`, without query. */
  url: string;
  /** Entries by event id, with how many times each was stored (Loki keeps one of exact duplicates). */
  stored: Map<string, LokiEntryStored & { times: number }>;
  requests: Array<{ headers: http.IncomingHttpHeaders; entries: number; status: number }>;
  /** Exact duplicates Loki dropped. */
  duplicatesDropped: number;
  /** Entries that arrived earlier in time than the one before them in their stream. */
  outOfOrderEntries: number;
  setFaults(faults: LokiFault[]): void;
  /** Entries older than this (ns) are refused as "entry too far behind", as an ingester does. */
  setOldestAcceptable(ns: bigint | undefined): void;
  close(): Promise<void>;
}

export interface FakeLokiOptions {
  prefix?: string;
  /** Requires `X-Scope-OrgID` to be this tenant (multi-tenant Loki). */
  tenant?: string;
  /** Requires this `Authorization` header (the gateway in front of Loki). */
  authorization?: string;
  /** `limits_config.max_line_size`, 256KB by default. */
  maxLineSize?: number;
  faults?: LokiFault[];
}

const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * A loopback Loki push endpoint (`POST <prefix>/loki/api/v1/push`, JSON, optionally gzip) with
 * Loki's semantics: entries are validated one by one, valid ones are kept even when others are
 * refused (the answer is then a 400 naming the refused ones, worded as Loki words them), an entry
 * equal to a kept one (same stream, timestamp and line) is dropped, success is 204.
 */
export async function startFakeLoki(options: FakeLokiOptions = {}): Promise<FakeLoki> {
  let script: LokiFault[] = [...(options.faults ?? [{ kind: 'ok' }])];
  let oldestAcceptable: bigint | undefined;
  const maxLineSize = options.maxLineSize ?? 256 * 1024;
  const pushPath = `${options.prefix ?? ''}/loki/api/v1/push`;
  const kept = new Set<string>();
  const fake: FakeLoki = {
    url: '',
    stored: new Map(),
    requests: [],
    duplicatesDropped: 0,
    outOfOrderEntries: 0,
    setFaults: (next) => void (script = [...next]),
    setOldestAcceptable: (ns) => void (oldestAcceptable = ns),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const store = (labels: Record<string, string>, ns: string, line: string) => {
    const key = `${JSON.stringify(Object.entries(labels).sort())}\u0000${ns}\u0000${line}`;
    if (kept.has(key)) {
      fake.duplicatesDropped += 1;
      return;
    }
    kept.add(key);
    const record = JSON.parse(line) as Record<string, unknown>;
    const id = (record.event as { id: string }).id;
    const entry = fake.stored.get(id);
    if (entry) entry.times += 1;
    else fake.stored.set(id, { labels, ns, line, record, times: 1 });
  };

  /** Validates and keeps a push; returns Loki's 400 text for refused entries, or an error for the request. */
  const push = (body: unknown): { refused: string[]; entries: number } | { error: string } => {
    const streams = (body as { streams?: unknown }).streams;
    if (!Array.isArray(streams)) return { error: 'loghttp.PushRequest.Streams: expected an array' };
    const refused: string[] = [];
    let entries = 0;
    const valid: Array<[Record<string, string>, string, string]> = [];
    for (const stream of streams as Array<{ stream?: unknown; values?: unknown }>) {
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
        entries += 1;
        const [ns, line] = value as [string, string];
        const time = BigInt(ns);
        if (time < previous) fake.outOfOrderEntries += 1;
        previous = time;
        const length = Buffer.byteLength(line);
        if (length > maxLineSize) {
          refused.push(`Max entry size '${maxLineSize}' bytes exceeded for stream '${shown}' while adding an entry with length '${length}' bytes`);
        } else if (oldestAcceptable !== undefined && time < oldestAcceptable) {
          ignored.push(`entry with timestamp ${goTime(time)} ignored, reason: 'entry too far behind, oldest acceptable timestamp is: ${new Date(Number(oldestAcceptable / 1_000_000n)).toISOString()}',`);
        } else {
          valid.push([labels, ns, line]);
        }
      }
      if (ignored.length > 0) refused.push(`${ignored.join('\n')}\nuser '${options.tenant ?? 'fake'}', total ignored: ${ignored.length} out of ${(stream.values as unknown[]).length} for stream: ${shown}`);
    }
    for (const [labels, ns, line] of valid) store(labels, ns, line);
    return { refused, entries };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const fault = (script.length > 1 ? script.shift() : script[0]) ?? { kind: 'ok' };
      const answer = (status: number, text = '', entries = 0) => {
        fake.requests.push({ headers: req.headers, entries, status });
        res.writeHead(status, text ? { 'content-type': 'text/plain; charset=utf-8' } : {}).end(text);
      };
      if (fault.kind === 'reset') return void req.socket.destroy();
      if (fault.kind === 'hang') return void fake.requests.push({ headers: req.headers, entries: countEntries(req.headers, chunks), status: 0 });
      if (fault.kind === 'status') {
        fake.requests.push({ headers: req.headers, entries: countEntries(req.headers, chunks), status: fault.status });
        return void res.writeHead(fault.status, fault.headers).end(fault.body ?? '');
      }
      if (req.method !== 'POST') return answer(405, 'method not allowed');
      if (req.url?.split('?')[0] !== pushPath) return answer(404, '404 page not found');
      if (options.authorization && req.headers.authorization !== options.authorization) return answer(401, 'unauthorized');
      if (options.tenant && req.headers['x-scope-orgid'] !== options.tenant) return answer(401, 'no org id');
      if (!req.headers['content-type']?.startsWith('application/json')) return answer(415, 'unsupported content type');
      let parsed: unknown;
      try {
        const raw = Buffer.concat(chunks);
        parsed = JSON.parse((req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8'));
      } catch (error) {
        return answer(400, `parse error: ${(error as Error).message}`);
      }
      const result = push(parsed);
      if ('error' in result) return answer(400, result.error);
      if (fault.kind === 'store-then-hang') return void fake.requests.push({ headers: req.headers, entries: result.entries, status: 0 });
      if (result.refused.length > 0) return answer(400, result.refused.join('\n'), result.entries);
      answer(204, '', result.entries);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  fake.url = `loki+http://127.0.0.1:${(server.address() as AddressInfo).port}${options.prefix ?? ''}`;
  return fake;
}

/** Entries in a push the fake answers with a scripted fault, for assertions on batch sizes. */
function countEntries(headers: http.IncomingHttpHeaders, chunks: Buffer[]): number {
  try {
    const raw = Buffer.concat(chunks);
    const body = JSON.parse((headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8')) as { streams: Array<{ values: unknown[] }> };
    return body.streams.reduce((sum, stream) => sum + stream.values.length, 0);
  } catch {
    return 0;
  }
}

/** A time as Go's time.Time.String() prints it in UTC, the way Loki's errors show timestamps. */
export function goTime(ns: bigint): string {
  const seconds = ns / 1_000_000_000n;
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  const iso = new Date(Number(seconds) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''} +0000 UTC`;
}
