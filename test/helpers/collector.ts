import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** What the collector does with one request, in order; the last entry repeats. */
export type Fault =
  | { kind: 'ok' }
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'reset' }
  | { kind: 'slow'; delayMs: number };

export interface Collector {
  url: string;
  /** Stored records by event id, with how many times each was stored. */
  stored: Map<string, { record: Record<string, unknown>; times: number }>;
  requests: Array<{ headers: http.IncomingHttpHeaders; records: number }>;
  setFaults(faults: Fault[]): void;
  close(): Promise<void>;
}

/**
 * A loopback NDJSON receiver that behaves like a transactional store: a batch is stored only
 * when its 2xx answer reaches the client. Faults are scripted per request.
 */
export async function startCollector(faults: Fault[] = [{ kind: 'ok' }]): Promise<Collector> {
  let script = [...faults];
  const stored: Collector['stored'] = new Map();
  const requests: Collector['requests'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const fault = (script.length > 1 ? script.shift() : script[0]) ?? { kind: 'ok' };
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      const records = body
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      requests.push({ headers: req.headers, records: records.length });
      const commit = () => {
        for (const record of records) {
          const id = (record.event as { id: string }).id;
          const entry = stored.get(id);
          if (entry) entry.times += 1;
          else stored.set(id, { record, times: 1 });
        }
      };
      switch (fault.kind) {
        case 'ok':
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}', commit);
          break;
        case 'status':
          res.writeHead(fault.status, fault.headers).end(fault.body ?? '');
          break;
        case 'reset':
          req.socket.destroy();
          break;
        case 'slow': {
          const timer = setTimeout(() => {
            if (!res.destroyed) res.writeHead(200).end('{}', commit);
          }, fault.delayMs);
          res.on('close', () => clearTimeout(timer));
          break;
        }
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ingest`,
    stored,
    requests,
    setFaults(next) {
      script = [...next];
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
