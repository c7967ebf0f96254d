// The one loopback store behind every sink test: the server, one fault union, the request log and the stored-once count.
// Each fake (collector, Datadog, Splunk, Loki, OpenSearch) is this plus the store's own reading of a request.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, expect } from 'vitest';

/** What the store does with one request, in the order scripted; the last entry repeats. */
export type StoreFault =
  /** The store reads the request by its own rules. */
  | { kind: 'ok' }
  /** Answers this without reading the request; keeps nothing. */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** Drops the connection before keeping anything. */
  | { kind: 'reset' }
  /** Never answers and keeps nothing: the client times out. */
  | { kind: 'hang' }
  /** Keeps what the request carries, then drops the connection: the answer is lost. */
  | { kind: 'keep-then-reset' }
  /** Keeps what the request carries, then never answers: the client times out after the store kept it. */
  | { kind: 'keep-then-hang' }
  /**
   * Record `index` of the request is one the store refuses for good, now and every time it comes
   * again (its content is bad), in the store's own words: a store that answers per record keeps
   * the others, one that answers per request refuses every request that carries it.
   */
  | { kind: 'refuse-record'; index: number };

/** One request as a fake's reader sees it. */
export interface StoreRequest {
  method: string;
  /** The path without the query. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  /** The body as it came over the wire (compressed when gzip). */
  raw: Buffer;
  /** The body after gunzip, when `content-encoding` says gzip; throws on a corrupt stream. */
  body(): Buffer;
  /** The scripted fault the store reads this request under: ok, refuse-record or keep-then-…. */
  fault: StoreFault;
  /** Positions of the records the store refuses for good (a `refuse-record` of this or an earlier request), ascending. */
  refused: number[];
}

/** How a fake answers a request it read. */
export interface StoreVerdict<Item> {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** What the store kept of the request, each under its record's event id. */
  kept?: ReadonlyArray<readonly [id: string, item: Item]>;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  /** The status answered; 0 when no answer was sent (reset, hang). */
  status: number;
  /** The event ids of the records the request carried, in order. */
  ids: string[];
  /** Bytes of the body as received (compressed when gzip). */
  bytes: number;
  /** Bytes of the body after gunzip; 0 when it could not be read. */
  bodyBytes: number;
}

export interface LoopbackStore<Item> {
  /** `<scheme>://127.0.0.1:<port><path>`: the LOG_SINK of a sink writing here. */
  url: string;
  /** Everything the store kept, by event id, with how many times (exactly once is the contract). */
  stored: Map<string, { item: Item; times: number }>;
  requests: LoggedRequest[];
  setFaults(faults: StoreFault[]): void;
  close(): Promise<void>;
}

export interface LoopbackStoreSpec<Item> {
  /** The URL scheme sinks name the store by; `http` unless given. */
  scheme?: string;
  /** The path after the port in `url`. */
  path?: string;
  faults?: StoreFault[];
  /** Reads a request by the store's rules and says what it answers and keeps. */
  read(request: StoreRequest): StoreVerdict<Item> | Promise<StoreVerdict<Item>>;
  /** The event ids a request carries, in order, for the request log; none when unset or unreadable. */
  ids?(request: StoreRequest): string[];
}

/** A server on 127.0.0.1 at a free port, and how to stop it with its open connections. */
export interface Served {
  port: number;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  close(): Promise<void>;
}

/** Starts `server` on a free loopback port. */
export async function serveLoopback(server: http.Server): Promise<Served> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Reads a whole request body. */
export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** What a request carried, for the log; a body the store cannot read carries nothing. */
function carried(spec: Pick<LoopbackStoreSpec<unknown>, 'ids'>, request: StoreRequest): Pick<LoggedRequest, 'ids' | 'bytes' | 'bodyBytes'> {
  let ids: string[] = [];
  let bodyBytes = 0;
  try {
    bodyBytes = request.body().length;
    ids = spec.ids?.(request) ?? [];
  } catch {
    // Unreadable: the store's reader answers it.
  }
  return { ids, bytes: request.raw.length, bodyBytes };
}

const keeps = new Set<StoreFault['kind']>(['keep-then-reset', 'keep-then-hang']);

/** Starts a store on a free loopback port; every request meets the next scripted fault, then the store's reader. */
export async function startLoopbackStore<Item>(spec: LoopbackStoreSpec<Item>): Promise<LoopbackStore<Item>> {
  let script: StoreFault[] = [...(spec.faults ?? [{ kind: 'ok' }])];
  const stored: LoopbackStore<Item>['stored'] = new Map();
  const requests: LoggedRequest[] = [];
  /** Event ids a `refuse-record` named: refused wherever they come again. */
  const poisoned = new Set<string>();

  const keep = (kept: StoreVerdict<Item>['kept'] = []) => {
    for (const [id, item] of kept) {
      const entry = stored.get(id);
      if (entry) entry.times += 1;
      else stored.set(id, { item, times: 1 });
    }
  };

  const server = http.createServer((req, res) => {
    void readBody(req).then(async (raw) => {
      const fault = (script.length > 1 ? script.shift() : script[0]) ?? { kind: 'ok' };
      const [path = '/', query = ''] = (req.url ?? '/').split('?');
      const request: StoreRequest = {
        method: req.method ?? 'GET',
        path,
        query: new URLSearchParams(query),
        headers: req.headers,
        raw,
        body: () => (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw),
        fault,
        refused: [],
      };
      const { ids } = carried(spec, request);
      if (fault.kind === 'refuse-record' && ids[fault.index] !== undefined) poisoned.add(ids[fault.index]!);
      request.refused = ids.flatMap((id, index) => (poisoned.has(id) ? [index] : []));
      const log = (status: number) => requests.push({ method: request.method, path, query: request.query, headers: req.headers, status, ...carried(spec, request) });
      if (fault.kind === 'reset' || fault.kind === 'hang') {
        log(0);
        if (fault.kind === 'reset') req.socket.destroy();
        return;
      }
      if (fault.kind === 'status') {
        log(fault.status);
        res.writeHead(fault.status, fault.headers).end(fault.body ?? '');
        return;
      }
      const verdict = await spec.read(request);
      keep(verdict.kept);
      if (keeps.has(fault.kind)) {
        log(0);
        if (fault.kind === 'keep-then-reset') req.socket.destroy();
        return;
      }
      log(verdict.status);
      res.writeHead(verdict.status, verdict.headers).end(verdict.body ?? '');
    });
  });
  const served = await serveLoopback(server);
  return {
    url: `${spec.scheme ?? 'http'}://127.0.0.1:${served.port}${spec.path ?? ''}`,
    stored,
    requests,
    setFaults: (next) => void (script = [...next]),
    close: served.close,
  };
}

/** Each of `ids` is stored exactly once, and nothing else is. */
export function expectStoredOnce(store: Pick<LoopbackStore<unknown>, 'stored'>, ids: readonly string[]): void {
  expect(ids.map((id) => [id, store.stored.get(id)?.times])).toEqual(ids.map((id) => [id, 1]));
  expect(store.stored.size).toBe(ids.length);
}

/** The event id of a record as the forwarder renders it (`event.id`); stores keep records by it. */
export function idOf(record: unknown): string {
  return ((record as { event: { id: string } }).event).id;
}

/** Registers an afterEach that closes whatever the returned function is given during a test. */
export function closedAfterEach(): <T extends { close(): Promise<void> }>(resource: T) => T {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((resource) => resource.close()));
  });
  return (resource) => {
    open.push(resource);
    return resource;
  };
}
