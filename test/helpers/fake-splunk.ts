import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** What the fake does with one request before HEC's own rules apply, in order; the last repeats. */
export type HecFault =
  | { kind: 'ok' }
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'reset' }
  /** Never answers and indexes nothing. */
  | { kind: 'hang' }
  /** Indexes the events, then drops the connection: the answer is lost. */
  | { kind: 'index-then-reset' }
  /** Finds event `index` of the request invalid (code 6): indexes those before it and stops, as HEC does. */
  | { kind: 'refuse-event'; index: number };

export interface HecEvent {
  time: number;
  host?: string;
  source?: string;
  sourcetype?: string;
  index?: string;
  event: Record<string, unknown>;
  fields?: Record<string, string>;
}

export interface FakeSplunk {
  /** `splunk+http://127.0.0.1:<port>`. */
  url: string;
  /** Events by the record's event id, with how many times each was indexed (HEC has no dedupe). */
  stored: Map<string, { event: HecEvent; times: number }>;
  requests: Array<{ headers: http.IncomingHttpHeaders; events: number; status: number; bytes: number }>;
  setFaults(faults: HecFault[]): void;
  close(): Promise<void>;
}

export interface FakeSplunkOptions {
  token: string;
  /** The indexes the token may write to (a token's `indexes`); any when unset. */
  indexes?: string[];
  /** limits.conf `[http_input] max_content_length`, checked on the request as sent. */
  maxContentLength?: number;
  faults?: HecFault[];
}

const reply = (text: string, code: number, extra: Record<string, unknown> = {}) => JSON.stringify({ text, code, ...extra });

/**
 * A loopback HEC event endpoint with HEC's rules: `Authorization: Splunk <token>` (codes 2, 3,
 * 4), a body of concatenated JSON event objects (gzip allowed), 413 over `max_content_length`,
 * codes 5 (no data), 6 (invalid data format, with `invalid-event-number`), 7 (incorrect index),
 * 12/13 (event missing or blank) and 15 (indexed fields not flat strings). HEC indexes the events
 * before an invalid one and stops there. Success is `{"text":"Success","code":0}`.
 */
export async function startFakeSplunk(options: FakeSplunkOptions): Promise<FakeSplunk> {
  let script: HecFault[] = [...(options.faults ?? [{ kind: 'ok' }])];
  const fake: FakeSplunk = {
    url: '',
    stored: new Map(),
    requests: [],
    setFaults: (next) => void (script = [...next]),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const index = (event: HecEvent) => {
    const id = (event.event.event as { id: string }).id;
    const entry = fake.stored.get(id);
    if (entry) entry.times += 1;
    else fake.stored.set(id, { event, times: 1 });
  };

  /** Reads events in order; returns them with the HEC error that stopped the reading, if any. */
  const read = (text: string): { events: HecEvent[]; error?: { status: number; body: string } } => {
    const events: HecEvent[] = [];
    const objects = splitObjects(text);
    if (objects.length === 0) return { events, error: { status: 400, body: reply('No data', 5) } };
    for (let n = 0; n < objects.length; n += 1) {
      let event: HecEvent;
      try {
        event = JSON.parse(objects[n]!) as HecEvent;
      } catch {
        return { events, error: { status: 400, body: reply('Invalid data format', 6, { 'invalid-event-number': n }) } };
      }
      if (event.event === undefined) return { events, error: { status: 400, body: reply('Event field is required', 12, { 'invalid-event-number': n }) } };
      if (event.event === null || (event.event as unknown) === '') return { events, error: { status: 400, body: reply('Event field cannot be blank', 13, { 'invalid-event-number': n }) } };
      if (event.time !== undefined && typeof event.time !== 'number') return { events, error: { status: 400, body: reply('Invalid data format', 6, { 'invalid-event-number': n }) } };
      if (event.fields !== undefined && Object.values(event.fields).some((value) => typeof value !== 'string')) {
        return { events, error: { status: 400, body: reply('Error in handling indexed fields', 15, { 'invalid-event-number': n }) } };
      }
      if (options.indexes && event.index !== undefined && !options.indexes.includes(event.index)) {
        return { events, error: { status: 400, body: reply('Incorrect index', 7, { 'invalid-event-number': n }) } };
      }
      events.push(event);
    }
    return { events };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const fault = (script.length > 1 ? script.shift() : script[0]) ?? { kind: 'ok' };
      const raw = Buffer.concat(chunks);
      const answer = (status: number, body: string, events = 0) => {
        fake.requests.push({ headers: req.headers, events, status, bytes: raw.length });
        res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(body);
      };
      if (fault.kind === 'reset') return void req.socket.destroy();
      if (fault.kind === 'hang') return void fake.requests.push({ headers: req.headers, events: countEvents(req.headers, raw), status: 0, bytes: raw.length });
      if (fault.kind === 'status') {
        fake.requests.push({ headers: req.headers, events: countEvents(req.headers, raw), status: fault.status, bytes: raw.length });
        return void res.writeHead(fault.status, fault.headers).end(fault.body ?? '');
      }
      if (req.method !== 'POST') return answer(405, reply('Only POST is supported', 0));
      if (!['/services/collector/event', '/services/collector', '/services/collector/event/1.0'].includes(req.url?.split('?')[0] ?? '')) {
        return answer(404, reply('The requested URL was not found on this server.', 404));
      }
      const authorization = req.headers.authorization;
      if (authorization === undefined) return answer(401, reply('Token is required', 2));
      if (!authorization.startsWith('Splunk ')) return answer(401, reply('Invalid authorization', 3));
      if (authorization.slice('Splunk '.length) !== options.token) return answer(403, reply('Invalid token', 4));
      const limit = options.maxContentLength ?? 838_860_800;
      if (raw.length > limit) return answer(413, `Content-Length of ${raw.length} too large (maximum is ${limit})`);
      let text: string;
      try {
        text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      } catch {
        return answer(400, reply('Invalid data format', 6));
      }
      const parsed = read(text);
      const { events } = parsed;
      let { error } = parsed;
      if (fault.kind === 'refuse-event' && fault.index < events.length) {
        events.length = fault.index;
        error = { status: 400, body: reply('Invalid data format', 6, { 'invalid-event-number': fault.index }) };
      }
      for (const event of events) index(event);
      if (fault.kind === 'index-then-reset') {
        fake.requests.push({ headers: req.headers, events: events.length, status: 0, bytes: raw.length });
        return void req.socket.destroy();
      }
      if (error) return answer(error.status, error.body, events.length);
      answer(200, reply('Success', 0), events.length);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  fake.url = `splunk+http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** Events in a request the fake answers with a scripted fault, for assertions on batch sizes. */
function countEvents(headers: http.IncomingHttpHeaders, raw: Buffer): number {
  try {
    return splitObjects((headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8')).length;
  } catch {
    return 0;
  }
}

/** Cuts `{…}{…} {…}` into its top-level JSON objects, as HEC reads a batch. */
export function splitObjects(text: string): string[] {
  const objects: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '{') {
      if (depth === 0) start = i;
      depth += 1;
    } else if (c === '}') {
      depth -= 1;
      if (depth === 0) objects.push(text.slice(start, i + 1));
    } else if (depth === 0 && !/\s/.test(c!)) {
      objects.push(text.slice(i));
      break;
    }
  }
  if (depth > 0) objects.push(text.slice(start));
  return objects;
}
