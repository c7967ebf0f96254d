// An OpenSearch or Elasticsearch cluster (`_bulk`, templates, `HEAD <index>`) on the loopback store.
import { SigV4ErrorType, verifySigV4 } from '../../local/gateway/sigv4/index.js';
import { startLoopbackStore, type LoopbackStore, type StoreFault, type StoreRequest, type StoreVerdict } from './loopback-store.js';

/** Items with these ids fail with `status` on their first `attempts` tries (Infinity: always). */
export interface ItemFault {
  ids: readonly string[];
  status: number;
  type: string;
  reason?: string;
  attempts: number;
}

export interface BulkAction {
  action: string;
  index?: string;
  id?: string;
}

export interface StoredDocument {
  index: string;
  id: string;
  source: Record<string, unknown>;
}

export interface FakeOpenSearchOptions {
  /** The cluster sits behind this path prefix (a reverse proxy), e.g. `/search`. */
  prefix?: string;
  /** `http.max_content_length`: a bigger (uncompressed) body gets a 413. */
  maxContentLength?: number;
  /** Requests must carry these basic credentials (401 otherwise). */
  basicAuth?: { username: string; password: string };
  /** Requests must carry exactly this Authorization header (401 otherwise). */
  authorization?: string;
  /** Requests must be SigV4-signed with these credentials, checked by the local gateway's verifier (403 otherwise). */
  sigv4?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; region: string; service: string };
  faults?: StoreFault[];
  /** The answer to `GET /`. */
  info?: Record<string, unknown>;
  /** Only `_template` (Elasticsearch before 7.8): `_index_template` has no handler. */
  legacyTemplatesOnly?: boolean;
}

/** Documents by event id (`_id`), with how many times each was written: exactly once is the contract. */
export interface FakeOpenSearch extends LoopbackStore<StoredDocument> {
  /** Creates refused with 409 because the document existed. */
  readonly conflicts: number;
  /** The bulk actions received, by name (`create`, `index`). */
  actionCounts: Map<string, number>;
  templates: Map<string, { kind: 'composable' | 'legacy'; body: Record<string, unknown> }>;
  failItems(fault: ItemFault): void;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): StoreVerdict<StoredDocument> => ({
  status,
  headers: { 'content-type': 'application/json; charset=UTF-8', ...headers },
  body: JSON.stringify(body),
});

const errorBody = (status: number, type: string, reason: string) => ({ error: { root_cause: [{ type, reason }], type, reason }, status });

type BulkPair = { action: BulkAction; source: string };

/** Reads a _bulk body as OpenSearch does; a body it would refuse gives the refusal instead. */
function parseBulk(contentType: string, text: string, pathIndex?: string): { pairs: BulkPair[]; refusal?: StoreVerdict<StoredDocument> } {
  const pairs: BulkPair[] = [];
  if (!/^application\/(x-ndjson|json)/.test(contentType)) {
    return { pairs, refusal: json(406, { error: `Content-Type header [${contentType}] is not supported`, status: 406 }) };
  }
  const lines = text.slice(0, text.endsWith('\n') ? -1 : undefined).split('\n');
  for (let at = 0; at < lines.length; at += 2) {
    let meta: Record<string, { _index?: string; _id?: string }>;
    try {
      meta = JSON.parse(lines[at]!) as typeof meta;
    } catch {
      return { pairs, refusal: json(400, errorBody(400, 'json_parse_exception', `line ${at + 1} is not an action`)) };
    }
    const [action, target] = Object.entries(meta)[0] ?? ['?', {}];
    const index = target._index ?? pathIndex;
    pairs.push({ action: { action, ...(index ? { index } : {}), ...(target._id ? { id: target._id } : {}) }, source: lines[at + 1] ?? '' });
  }
  if (!text.endsWith('\n')) {
    return { pairs, refusal: json(400, errorBody(400, 'illegal_argument_exception', 'The bulk request must be terminated by a newline [\\n]')) };
  }
  return { pairs };
}

interface ItemResult {
  _index: string;
  _id: string;
  status: number;
  result?: string;
  error?: { type: string; reason: string };
}

/**
 * A loopback stand-in for an OpenSearch cluster that implements the _bulk API as OpenSearch
 * documents it (https://docs.opensearch.org/latest/api-reference/document-apis/bulk/): NDJSON
 * action/source pairs ending with a newline, gzip request bodies, per-item results in request
 * order with an `errors` flag, `create` refused with 409 when the `_id` exists, `filter_path`.
 * Each item is stored on its own, as a cluster does; a scripted `refuse-record` fails item N with
 * a mapping error. Tests script faults per request and per item.
 */
export async function startFakeOpenSearch(options: FakeOpenSearchOptions = {}): Promise<FakeOpenSearch> {
  const prefix = options.prefix ?? '';
  const docs = new Map<string, StoredDocument>();
  const templates: FakeOpenSearch['templates'] = new Map();
  const actionCounts = new Map<string, number>();
  const itemFaults: ItemFault[] = [];
  const attempts = new Map<string, number>();
  const counts = { conflicts: 0 };

  const storeItem = ({ action, index = '', id = `auto-${docs.size + 1}` }: BulkAction, source: string, refused: boolean): ItemResult & { doc?: StoredDocument } => {
    const base = { _index: index, _id: id };
    const tries = (attempts.get(id) ?? 0) + 1;
    attempts.set(id, tries);
    const fault = refused
      ? { status: 400, type: 'mapper_parsing_exception', reason: 'failed to parse field [app]' }
      : itemFaults.find((f) => f.ids.includes(id) && tries <= f.attempts);
    if (fault) return { ...base, status: fault.status, error: { type: fault.type, reason: fault.reason ?? fault.type } };
    if (action !== 'create' && action !== 'index') return { ...base, status: 400, error: { type: 'illegal_argument_exception', reason: `unexpected action ${action}` } };
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(source) as Record<string, unknown>;
    } catch {
      return { ...base, status: 400, error: { type: 'mapper_parsing_exception', reason: 'failed to parse' } };
    }
    const key = `${index}/${id}`;
    if (action === 'create' && docs.has(key)) {
      counts.conflicts += 1;
      return { ...base, status: 409, error: { type: 'version_conflict_engine_exception', reason: `[${id}]: version conflict, document already exists` } };
    }
    const doc = { index, id, source: parsed };
    docs.set(key, doc);
    return { ...base, result: 'created', status: 201, doc };
  };

  const bulk = (request: StoreRequest, pairs: readonly BulkPair[]): StoreVerdict<StoredDocument> => {
    const refuse = new Set(request.refused);
    const items = pairs.map(({ action, source }, n) => {
      actionCounts.set(action.action, (actionCounts.get(action.action) ?? 0) + 1);
      return storeItem(action, source, refuse.has(n));
    });
    const filtered = request.query.has('filter_path');
    return {
      ...json(200, {
        took: 1,
        errors: items.some((item) => item.status >= 300),
        items: items.map(({ doc: _doc, ...item }) => ({
          create: filtered ? { status: item.status, ...(item.error ? { error: { type: item.error.type, reason: item.error.reason } } : {}) } : item,
        })),
      }),
      kept: items.flatMap((item) => (item.doc ? [[item.doc.id, item.doc] as const] : [])),
    };
  };

  const bulkPairs = (request: StoreRequest) => {
    const target = /^\/(?:([^/_][^/]*)\/)?_bulk$/.exec(request.path.slice(prefix.length));
    if (request.method !== 'POST' || !request.path.startsWith(prefix) || !target) return undefined;
    return parseBulk(request.headers['content-type'] ?? '', request.body().toString('utf8'), target[1] && decodeURIComponent(target[1]));
  };

  const store = await startLoopbackStore<StoredDocument>({
    faults: options.faults,
    path: prefix,
    ids: (request) => bulkPairs(request)?.pairs.flatMap((pair) => (pair.action.id ? [pair.action.id] : [])) ?? [],
    async read(request) {
      const refusal = await authProblem(request, options);
      if (refusal) return refusal;
      if (!request.path.startsWith(prefix)) return json(404, errorBody(404, 'not_found', `no route ${request.path}`));
      const path = request.path.slice(prefix.length) || '/';
      const route = `${request.method} ${path}`;
      const body = request.body();
      if (options.maxContentLength !== undefined && body.length > options.maxContentLength) {
        // What the Amazon OpenSearch Service front end answers past its payload limit.
        return json(413, { Message: `Request size exceeded ${options.maxContentLength} bytes` });
      }
      const parsed = bulkPairs(request);
      if (parsed) return parsed.refusal ?? bulk(request, parsed.pairs);
      if (route === 'GET /') return json(200, options.info ?? { version: { distribution: 'opensearch', number: '2.19.0' } });
      const template = /^PUT \/(_index_template|_template)\/([^/]+)$/.exec(route);
      if (template && !(template[1] === '_index_template' && options.legacyTemplatesOnly)) {
        templates.set(decodeURIComponent(template[2]!), {
          kind: template[1] === '_template' ? 'legacy' : 'composable',
          body: JSON.parse(body.toString('utf8')) as Record<string, unknown>,
        });
        return json(200, { acknowledged: true });
      }
      const exists = /^HEAD \/([^/_][^/]*)$/.exec(route);
      if (exists) {
        const name = decodeURIComponent(exists[1]!);
        return { status: [...docs.values()].some((doc) => doc.index === name) ? 200 : 404 };
      }
      return json(400, { error: `no handler found for uri [${path}] and method [${request.method}]` });
    },
  });
  return {
    ...store,
    get conflicts() {
      return counts.conflicts;
    },
    actionCounts,
    templates,
    failItems: (fault) => void itemFaults.push(fault),
  };
}

async function authProblem(request: StoreRequest, options: FakeOpenSearchOptions): Promise<StoreVerdict<StoredDocument> | undefined> {
  const authorization = request.headers.authorization;
  if (options.basicAuth) {
    const expected = `Basic ${Buffer.from(`${options.basicAuth.username}:${options.basicAuth.password}`).toString('base64')}`;
    if (authorization !== expected) return json(401, errorBody(401, 'security_exception', 'Unauthorized'));
  }
  if (options.authorization !== undefined && authorization !== options.authorization) {
    return json(401, errorBody(401, 'security_exception', 'Unauthorized'));
  }
  if (options.sigv4) {
    // The payload hash is of the bytes as sent, compressed when gzip.
    const { sigv4 } = options;
    const query = request.query.toString();
    const verdict = await verifySigV4(
      { method: request.method, path: request.path, query, headers: request.headers, body: request.raw },
      (accessKeyId) =>
        accessKeyId === sigv4.accessKeyId
          ? { secretAccessKey: sigv4.secretAccessKey, ...(sigv4.sessionToken ? { sessionToken: sigv4.sessionToken } : {}), expiration: new Date(Date.now() + 3_600_000), identity: undefined }
          : undefined,
      new Date(),
      { region: sigv4.region, service: sigv4.service },
    );
    if (!verdict.ok) return json(403, { message: verdict.errorType === SigV4ErrorType.InvalidSignature ? verdict.message.split('\n')[0] : verdict.message });
  }
  return undefined;
}
