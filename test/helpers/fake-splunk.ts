// A Splunk HTTP Event Collector (`/services/collector/event`) on the loopback store.
import { idOf, startLoopbackStore, type LoopbackStore, type StoreFault, type StoreRequest } from './loopback-store.js';

export interface HecEvent {
  time: number;
  host?: string;
  source?: string;
  sourcetype?: string;
  index?: string;
  event: Record<string, unknown>;
  fields?: Record<string, string>;
}

/** Events by the record's event id, with how many times each was indexed (HEC has no dedupe). */
export type FakeSplunk = LoopbackStore<HecEvent> & { readonly ackPolls: number };

export interface FakeSplunkOptions {
  token: string;
  /** The indexes the token may write to (a token's `indexes`); any when unset. */
  indexes?: string[];
  /** limits.conf `[http_input] max_content_length`, checked on the request as sent. */
  maxContentLength?: number;
  faults?: StoreFault[];
  /**
   * The token has indexer acknowledgment on: event requests need a channel (code 10 without) and
   * get an ackId, which `/services/collector/ack` reports indexed after this many polls (0: at the first).
   */
  ack?: { pollsBeforeIndexed: number };
}

const reply = (status: number, text: string, code: number, extra: Record<string, unknown> = {}) => ({
  status,
  headers: { 'content-type': 'application/json; charset=UTF-8' },
  body: JSON.stringify({ text, code, ...extra }),
});
const invalidEvent = (n: number, text = 'Invalid data format', code = 6) => reply(400, text, code, { 'invalid-event-number': n });
const eventPaths = new Set(['/services/collector/event', '/services/collector', '/services/collector/event/1.0']);

/**
 * A loopback HEC event endpoint with HEC's rules: `Authorization: Splunk <token>` (codes 2, 3,
 * 4), a body of concatenated JSON event objects (gzip allowed), 413 over `max_content_length`,
 * codes 5 (no data), 6 (invalid data format, with `invalid-event-number`), 7 (incorrect index),
 * 12/13 (event missing or blank) and 15 (indexed fields not flat strings). HEC indexes the events
 * before an invalid one and stops there; a scripted `refuse-record` is such an invalid event.
 * Success is `{"text":"Success","code":0}`.
 */
export async function startFakeSplunk(options: FakeSplunkOptions): Promise<FakeSplunk> {
  /** The first problem of event `n`, as HEC words it. */
  const problem = (object: string, n: number): { event?: HecEvent; refusal?: ReturnType<typeof reply> } => {
    let event: HecEvent;
    try {
      event = JSON.parse(object) as HecEvent;
    } catch {
      return { refusal: invalidEvent(n) };
    }
    if (event.event === undefined) return { refusal: invalidEvent(n, 'Event field is required', 12) };
    if (event.event === null || (event.event as unknown) === '') return { refusal: invalidEvent(n, 'Event field cannot be blank', 13) };
    if (event.time !== undefined && typeof event.time !== 'number') return { refusal: invalidEvent(n) };
    if (event.fields !== undefined && Object.values(event.fields).some((value) => typeof value !== 'string')) {
      return { refusal: invalidEvent(n, 'Error in handling indexed fields', 15) };
    }
    if (options.indexes && event.index !== undefined && !options.indexes.includes(event.index)) return { refusal: invalidEvent(n, 'Incorrect index', 7) };
    return { event };
  };

  let nextAckId = 0;
  let ackPolls = 0;
  const polls = new Map<number, number>();
  const ackAnswer = (request: StoreRequest) => {
    ackPolls += 1;
    if (!options.ack) return reply(400, 'ACK is disabled', 14);
    if (!channelOf(request)) return reply(400, 'Data channel is missing', 10);
    const { acks = [] } = JSON.parse(request.body().toString('utf8') || '{}') as { acks?: number[] };
    const status = Object.fromEntries(
      acks.map((id) => {
        const seen = (polls.get(id) ?? 0) + 1;
        polls.set(id, seen);
        return [String(id), seen > options.ack!.pollsBeforeIndexed];
      }),
    );
    return { status: 200, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: JSON.stringify({ acks: status }) };
  };

  const store = await startLoopbackStore<HecEvent>({
    scheme: 'splunk+http',
    faults: options.faults,
    ids: (request) => splitObjects(request.body().toString('utf8')).map((object) => idOf((JSON.parse(object) as HecEvent).event)),
    read(request) {
      if (request.method !== 'POST') return reply(405, 'Only POST is supported', 0);
      const authorized = request.headers.authorization === `Splunk ${options.token}`;
      if (request.path === '/services/collector/ack' && authorized) return ackAnswer(request);
      if (!eventPaths.has(request.path)) return reply(404, 'The requested URL was not found on this server.', 404);
      const authorization = request.headers.authorization;
      if (authorization === undefined) return reply(401, 'Token is required', 2);
      if (!authorization.startsWith('Splunk ')) return reply(401, 'Invalid authorization', 3);
      if (authorization.slice('Splunk '.length) !== options.token) return reply(403, 'Invalid token', 4);
      const limit = options.maxContentLength ?? 838_860_800;
      if (request.raw.length > limit) return { status: 413, body: `Content-Length of ${request.raw.length} too large (maximum is ${limit})` };
      let objects: string[];
      try {
        objects = splitObjects(request.body().toString('utf8'));
      } catch {
        return reply(400, 'Invalid data format', 6);
      }
      if (objects.length === 0) return reply(400, 'No data', 5);
      if (options.ack && !channelOf(request)) return reply(400, 'Data channel is missing', 10);
      const kept: Array<[string, HecEvent]> = [];
      for (let n = 0; n < objects.length; n += 1) {
        const { event, refusal } = request.refused.includes(n) ? { refusal: invalidEvent(n) } : problem(objects[n]!, n);
        if (!event) return { ...refusal!, kept };
        kept.push([idOf(event.event), event]);
      }
      if (!options.ack) return { ...reply(200, 'Success', 0), kept };
      return { ...reply(200, 'Success', 0, { ackId: nextAckId++ }), kept };
    },
  });
  return {
    ...store,
    get ackPolls() {
      return ackPolls;
    },
  };
}

const channelOf = (request: StoreRequest) => request.headers['x-splunk-request-channel'] ?? request.query.get('channel');

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
