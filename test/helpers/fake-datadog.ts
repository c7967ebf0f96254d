// A Datadog logs intake (`POST /api/v2/logs`) on the loopback store.
import { idOf, startLoopbackStore, type LoopbackStore, type StoreFault, type StoreRequest } from './loopback-store.js';

export type DatadogLog = Record<string, unknown> & {
  ddsource?: string;
  ddtags?: string;
  hostname?: string;
  service?: string;
  status?: string;
  message?: string;
};

/** Logs by the record's event id, with how many times each was accepted (the intake has no dedupe). */
export type FakeDatadog = LoopbackStore<DatadogLog>;

export interface FakeDatadogOptions {
  apiKey: string;
  /** Uncompressed bytes per request, 5 MB as documented. */
  maxPayloadBytes?: number;
  faults?: StoreFault[];
}

const errors = (status: number, ...messages: string[]) => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errors: messages }) });
const reserved = ['ddsource', 'ddtags', 'hostname', 'service', 'status'] as const;

const logsOf = (request: StoreRequest): DatadogLog[] => {
  const parsed = JSON.parse(request.body().toString('utf8')) as unknown;
  return (Array.isArray(parsed) ? parsed : [parsed]) as DatadogLog[];
};

/**
 * A loopback logs intake with the documented rules: `DD-API-KEY` (401 missing, 403 invalid),
 * `Content-Type: application/json`, gzip allowed, 413 over 5 MB uncompressed, at most 1,000 logs
 * in the array, each an object with a string `message`; any invalid log refuses the whole request
 * with 400. Success is 202 with `{}`.
 */
export function startFakeDatadog(options: FakeDatadogOptions): Promise<FakeDatadog> {
  return startLoopbackStore<DatadogLog>({
    scheme: 'datadog+http',
    faults: options.faults,
    ids: (request) => logsOf(request).map(idOf),
    read(request) {
      if (request.method !== 'POST' || request.path !== '/api/v2/logs') return errors(404, 'Not found');
      const key = request.headers['dd-api-key'];
      if (key === undefined) return errors(401, 'Unauthorized');
      if (key !== options.apiKey) return errors(403, 'Forbidden');
      if (!request.headers['content-type']?.startsWith('application/json')) return errors(400, 'Bad Request: content type');
      let text: Buffer;
      try {
        text = request.body();
      } catch {
        return errors(400, 'Bad Request: gzip');
      }
      if (text.length > (options.maxPayloadBytes ?? 5_000_000)) return errors(413, 'Payload too large');
      let logs: DatadogLog[];
      try {
        logs = logsOf(request);
      } catch {
        return errors(400, 'Bad Request: invalid JSON');
      }
      if (logs.length > 1000) return errors(400, 'Bad Request: more than 1000 logs');
      const invalid = logs.findIndex((log) => typeof log !== 'object' || log === null || typeof log.message !== 'string' || reserved.some((k) => log[k] !== undefined && typeof log[k] !== 'string'));
      if (invalid >= 0 || request.refused.length > 0) return { ...errors(400, 'Bad Request: invalid log') };
      const kept = logs.map((log) => [idOf(log), log] as const);
      return { status: 202, headers: { 'content-type': 'application/json' }, body: '{}', kept };
    },
  });
}
