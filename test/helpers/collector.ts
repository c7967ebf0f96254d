// A generic NDJSON receiver (Vector's http_server, Fluent Bit, Logstash) on the loopback store.
import { idOf, startLoopbackStore, type LoopbackStore, type StoreFault, type StoreRequest } from './loopback-store.js';

export type Collector = LoopbackStore<Record<string, unknown>>;

const lines = (request: StoreRequest) =>
  request
    .body()
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/**
 * A loopback NDJSON receiver at `/ingest`, behind a bearer token when one is given (401 otherwise):
 * it keeps every line of a request and answers 200, or
 * refuses a request it cannot read (or that carries a record it refuses) whole with 400, as a
 * receiver without per-record answers does.
 */
export function startCollector(faults: StoreFault[] = [{ kind: 'ok' }], options: { token?: string } = {}): Promise<Collector> {
  return startLoopbackStore({
    path: '/ingest',
    faults,
    ids: (request) => lines(request).map(idOf),
    read(request) {
      if (options.token !== undefined && request.headers.authorization !== `Bearer ${options.token}`) return { status: 401, body: 'unauthorized' };
      let records: Array<Record<string, unknown>>;
      try {
        records = lines(request);
      } catch {
        return { status: 400, body: 'invalid NDJSON' };
      }
      if (request.refused.length > 0) return { status: 400, body: `line ${request.refused[0]! + 1}: bad record` };
      const kept = records.map((record) => [idOf(record), record] as const);
      return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}', kept };
    },
  });
}
