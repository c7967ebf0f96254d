import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** What the fake does with one request before the intake's own rules apply, in order; the last repeats. */
export type IntakeFault =
  | { kind: 'ok' }
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'reset' }
  /** Never answers and keeps nothing. */
  | { kind: 'hang' }
  /** Keeps the logs, then drops the connection: the answer is lost. */
  | { kind: 'keep-then-reset' };

export type DatadogLog = Record<string, unknown> & {
  ddsource?: string;
  ddtags?: string;
  hostname?: string;
  service?: string;
  status?: string;
  message?: string;
};

export interface FakeDatadog {
  /** `datadog+http://127.0.0.1:<port>`. */
  url: string;
  /** Logs by the record's event id, with how many times each was accepted (the intake has no dedupe). */
  stored: Map<string, { log: DatadogLog; times: number }>;
  requests: Array<{ headers: http.IncomingHttpHeaders; logs: number; status: number; bytes: number }>;
  setFaults(faults: IntakeFault[]): void;
  close(): Promise<void>;
}

export interface FakeDatadogOptions {
  apiKey: string;
  /** Uncompressed bytes per request, 5 MB as documented. */
  maxPayloadBytes?: number;
  faults?: IntakeFault[];
}

const errors = (...messages: string[]) => JSON.stringify({ errors: messages });

/**
 * A loopback logs intake (`POST /api/v2/logs`) with the documented rules: `DD-API-KEY` (401
 * missing, 403 invalid), `Content-Type: application/json`, gzip allowed, 413 over 5 MB
 * uncompressed, at most 1,000 logs in the array, each an object with a string `message`.
 * Success is 202 with `{}`.
 */
export async function startFakeDatadog(options: FakeDatadogOptions): Promise<FakeDatadog> {
  let script: IntakeFault[] = [...(options.faults ?? [{ kind: 'ok' }])];
  const fake: FakeDatadog = {
    url: '',
    stored: new Map(),
    requests: [],
    setFaults: (next) => void (script = [...next]),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const keep = (log: DatadogLog) => {
    const id = (log.event as { id: string }).id;
    const entry = fake.stored.get(id);
    if (entry) entry.times += 1;
    else fake.stored.set(id, { log, times: 1 });
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const fault = (script.length > 1 ? script.shift() : script[0]) ?? { kind: 'ok' };
      const raw = Buffer.concat(chunks);
      const answer = (status: number, body: string, logs = 0) => {
        fake.requests.push({ headers: req.headers, logs, status, bytes: raw.length });
        res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      };
      if (fault.kind === 'reset') return void req.socket.destroy();
      if (fault.kind === 'hang') return void fake.requests.push({ headers: req.headers, logs: 0, status: 0, bytes: raw.length });
      if (fault.kind === 'status') {
        fake.requests.push({ headers: req.headers, logs: 0, status: fault.status, bytes: raw.length });
        return void res.writeHead(fault.status, fault.headers).end(fault.body ?? '');
      }
      if (req.method !== 'POST' || req.url?.split('?')[0] !== '/api/v2/logs') return answer(404, errors('Not found'));
      const key = req.headers['dd-api-key'];
      if (key === undefined) return answer(401, errors('Unauthorized'));
      if (key !== options.apiKey) return answer(403, errors('Forbidden'));
      if (!req.headers['content-type']?.startsWith('application/json')) return answer(400, errors('Bad Request: content type'));
      let text: Buffer;
      try {
        text = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      } catch {
        return answer(400, errors('Bad Request: gzip'));
      }
      if (text.length > (options.maxPayloadBytes ?? 5_000_000)) return answer(413, errors('Payload too large'));
      let logs: DatadogLog[];
      try {
        const parsed = JSON.parse(text.toString('utf8')) as unknown;
        logs = (Array.isArray(parsed) ? parsed : [parsed]) as DatadogLog[];
      } catch {
        return answer(400, errors('Bad Request: invalid JSON'));
      }
      if (logs.length > 1000) return answer(400, errors('Bad Request: more than 1000 logs'));
      const reserved = ['ddsource', 'ddtags', 'hostname', 'service', 'status'] as const;
      if (logs.some((log) => typeof log !== 'object' || log === null || typeof log.message !== 'string' || reserved.some((k) => log[k] !== undefined && typeof log[k] !== 'string'))) {
        return answer(400, errors('Bad Request: invalid log'));
      }
      for (const log of logs) keep(log);
      if (fault.kind === 'keep-then-reset') {
        fake.requests.push({ headers: req.headers, logs: logs.length, status: 0, bytes: raw.length });
        return void req.socket.destroy();
      }
      answer(202, '{}', logs.length);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  fake.url = `datadog+http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
