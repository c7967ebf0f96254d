import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** What the cluster does with a whole request instead of answering it normally. */
export type RequestFault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  /** The connection is reset before anything is stored. */
  | { kind: 'reset' }
  /** No answer at all, until the client gives up; nothing is stored. */
  | { kind: 'hang' }
  /** The items are stored, then the connection drops: the client never learns it. */
  | { kind: 'lose-answer' };

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

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** Bytes of the body as received (compressed when gzip). */
  wireBytes: number;
  /** Bytes of the body after gunzip. */
  bytes: number;
  /** For _bulk: the action lines, in order. */
  actions: BulkAction[];
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
  /** Requests must be SigV4-signed with these credentials; the signature is checked (403 otherwise). */
  sigv4?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; region: string; service: string };
  /** The answer to `GET /`. */
  info?: Record<string, unknown>;
  /** Only `_template` (Elasticsearch before 7.8): `_index_template` has no handler. */
  legacyTemplatesOnly?: boolean;
}

export interface FakeOpenSearch {
  /** `http://127.0.0.1:<port>[prefix]` */
  url: string;
  /** Stored documents by `<index>/<id>`. */
  docs: Map<string, StoredDocument>;
  /** How many times each `<index>/<id>` was written: exactly once is the contract. */
  writes: Map<string, number>;
  /** Creates refused with 409 because the document existed. */
  conflicts: number;
  requests: RecordedRequest[];
  templates: Map<string, { kind: 'composable' | 'legacy'; body: Record<string, unknown> }>;
  /** The next requests meet these faults, in order; then requests are served normally. */
  failRequests(...faults: RequestFault[]): void;
  failItems(fault: ItemFault): void;
  close(): Promise<void>;
}

const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers }).end(JSON.stringify(body));

const errorBody = (status: number, type: string, reason: string) => ({ error: { root_cause: [{ type, reason }], type, reason }, status });

/**
 * A loopback stand-in for an OpenSearch cluster that implements the _bulk API as OpenSearch
 * documents it (https://docs.opensearch.org/latest/api-reference/document-apis/bulk/): NDJSON
 * action/source pairs ending with a newline, gzip request bodies, per-item results in request
 * order with an `errors` flag, `create` refused with 409 when the `_id` exists, `filter_path`.
 * Each item is stored on its own, as a cluster does. Tests script faults per request and per item.
 */
export async function startFakeOpenSearch(options: FakeOpenSearchOptions = {}): Promise<FakeOpenSearch> {
  const prefix = options.prefix ?? '';
  const docs: FakeOpenSearch['docs'] = new Map();
  const writes: FakeOpenSearch['writes'] = new Map();
  const requests: RecordedRequest[] = [];
  const templates: FakeOpenSearch['templates'] = new Map();
  const requestFaults: RequestFault[] = [];
  const itemFaults: ItemFault[] = [];
  const attempts = new Map<string, number>();
  const fake = { conflicts: 0 };

  type BulkPair = { action: BulkAction; source: string };

  /** Reads a _bulk body as OpenSearch does; a body it would refuse gives the refusal instead. */
  const parseBulk = (contentType: string, text: string, pathIndex?: string): { pairs: BulkPair[]; refusal?: { status: number; body: unknown } } => {
    const pairs: BulkPair[] = [];
    if (!/^application\/(x-ndjson|json)/.test(contentType)) {
      return { pairs, refusal: { status: 406, body: { error: `Content-Type header [${contentType}] is not supported`, status: 406 } } };
    }
    const lines = text.slice(0, text.endsWith('\n') ? -1 : undefined).split('\n');
    for (let at = 0; at < lines.length; at += 2) {
      let meta: Record<string, { _index?: string; _id?: string }>;
      try {
        meta = JSON.parse(lines[at]!) as typeof meta;
      } catch {
        return { pairs, refusal: { status: 400, body: errorBody(400, 'json_parse_exception', `line ${at + 1} is not an action`) } };
      }
      const [action, target] = Object.entries(meta)[0] ?? ['?', {}];
      const index = target._index ?? pathIndex;
      pairs.push({ action: { action, ...(index ? { index } : {}), ...(target._id ? { id: target._id } : {}) }, source: lines[at + 1] ?? '' });
    }
    if (!text.endsWith('\n')) {
      return { pairs, refusal: { status: 400, body: errorBody(400, 'illegal_argument_exception', 'The bulk request must be terminated by a newline [\\n]') } };
    }
    return { pairs };
  };

  const answerBulk = (req: http.IncomingMessage, res: http.ServerResponse, pairs: readonly BulkPair[]) => {
    const fault = requestFaults.shift();
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'reset') return req.socket.destroy();
    const items = pairs.map(({ action, source }) => storeItem(action, source));
    if (fault?.kind === 'lose-answer') return req.socket.destroy();
    const filtered = new URLSearchParams(req.url?.split('?')[1] ?? '').has('filter_path');
    const errors = items.some((item) => item.status >= 300);
    json(res, 200, {
      took: 1,
      errors,
      items: items.map((item) => ({
        create: filtered ? { status: item.status, ...(item.error ? { error: { type: item.error.type, reason: item.error.reason } } : {}) } : item,
      })),
    });
  };

  interface ItemResult {
    _index: string;
    _id: string;
    status: number;
    result?: string;
    error?: { type: string; reason: string };
  }

  const storeItem = (action: BulkAction, source: string): ItemResult => {
    const id = action.id ?? `auto-${docs.size + 1}`;
    const index = action.index ?? '';
    const base = { _index: index, _id: id };
    const tries = (attempts.get(id) ?? 0) + 1;
    attempts.set(id, tries);
    const fault = itemFaults.find((f) => f.ids.includes(id) && tries <= f.attempts);
    if (fault) return { ...base, status: fault.status, error: { type: fault.type, reason: fault.reason ?? fault.type } };
    if (action.action !== 'create' && action.action !== 'index') {
      return { ...base, status: 400, error: { type: 'illegal_argument_exception', reason: `unexpected action ${action.action}` } };
    }
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(source) as Record<string, unknown>;
    } catch {
      return { ...base, status: 400, error: { type: 'mapper_parsing_exception', reason: 'failed to parse' } };
    }
    const key = `${index}/${id}`;
    if (action.action === 'create' && docs.has(key)) {
      fake.conflicts += 1;
      return { ...base, status: 409, error: { type: 'version_conflict_engine_exception', reason: `[${id}]: version conflict, document already exists` } };
    }
    docs.set(key, { index, id, source: parsed });
    writes.set(key, (writes.get(key) ?? 0) + 1);
    return { ...base, result: 'created', status: 201 };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      const [rawPath = '/', rawQuery = ''] = (req.url ?? '/').split('?');
      const record: RecordedRequest = {
        method: req.method ?? 'GET',
        path: rawPath,
        query: Object.fromEntries(new URLSearchParams(rawQuery)),
        headers: req.headers,
        wireBytes: raw.length,
        bytes: body.length,
        actions: [],
      };
      requests.push(record);
      const refusal = authProblem(req, raw, options);
      if (refusal) return json(res, refusal.status, refusal.body);
      if (!rawPath.startsWith(prefix)) return json(res, 404, errorBody(404, 'not_found', `no route ${rawPath}`));
      const path = rawPath.slice(prefix.length) || '/';
      const route = `${req.method} ${path}`;
      const bulkPath = /^POST \/(?:([^/_][^/]*)\/)?_bulk$/.exec(route);
      const bulk = bulkPath ? parseBulk(req.headers['content-type'] ?? '', body.toString('utf8'), bulkPath[1] && decodeURIComponent(bulkPath[1])) : undefined;
      record.actions.push(...(bulk?.pairs.map((pair) => pair.action) ?? []));
      if (options.maxContentLength !== undefined && body.length > options.maxContentLength) {
        // What the Amazon OpenSearch Service front end answers past its payload limit.
        return json(res, 413, { Message: `Request size exceeded ${options.maxContentLength} bytes` });
      }
      const fault = requestFaults[0];
      if (fault?.kind === 'status') {
        requestFaults.shift();
        return json(res, fault.status, fault.body ?? errorBody(fault.status, 'fault', 'injected'), fault.headers);
      }
      if (bulk?.refusal) return json(res, bulk.refusal.status, bulk.refusal.body);
      if (bulk) return answerBulk(req, res, bulk.pairs);
      if (requestFaults[0]?.kind === 'reset') {
        requestFaults.shift();
        return req.socket.destroy();
      }
      if (route === 'GET /') return json(res, 200, options.info ?? { version: { distribution: 'opensearch', number: '2.19.0' } });
      const template = /^PUT \/(_index_template|_template)\/([^/]+)$/.exec(route);
      if (template && !(template[1] === '_index_template' && options.legacyTemplatesOnly)) {
        templates.set(decodeURIComponent(template[2]!), {
          kind: template[1] === '_template' ? 'legacy' : 'composable',
          body: JSON.parse(body.toString('utf8')) as Record<string, unknown>,
        });
        return json(res, 200, { acknowledged: true });
      }
      const exists = /^HEAD \/([^/_][^/]*)$/.exec(route);
      if (exists) {
        const name = decodeURIComponent(exists[1]!);
        return res.writeHead([...docs.values()].some((doc) => doc.index === name) ? 200 : 404).end();
      }
      return json(res, 400, { error: `no handler found for uri [${path}] and method [${req.method}]` });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    docs,
    writes,
    get conflicts() {
      return fake.conflicts;
    },
    requests,
    templates,
    failRequests(...faults) {
      requestFaults.push(...faults);
    },
    failItems(fault) {
      itemFaults.push(fault);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function authProblem(req: http.IncomingMessage, body: Buffer, options: FakeOpenSearchOptions): { status: number; body: unknown } | undefined {
  const authorization = req.headers.authorization;
  if (options.basicAuth) {
    const expected = `Basic ${Buffer.from(`${options.basicAuth.username}:${options.basicAuth.password}`).toString('base64')}`;
    if (authorization !== expected) return { status: 401, body: errorBody(401, 'security_exception', 'Unauthorized') };
  }
  if (options.authorization !== undefined && authorization !== options.authorization) {
    return { status: 401, body: errorBody(401, 'security_exception', 'Unauthorized') };
  }
  if (options.sigv4) {
    const problem = sigv4Problem(req, body, options.sigv4);
    if (problem) return { status: 403, body: { message: problem } };
  }
  return undefined;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const rfc3986 = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Checks a Signature Version 4 `Authorization` header the way AWS does, written from the
 * specification (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html)
 * independently of the client's signer: the payload hash must be the SHA-256 of the bytes as
 * sent (compressed when gzip), and the signature must match the canonical request.
 */
function sigv4Problem(req: http.IncomingMessage, body: Buffer, expected: NonNullable<FakeOpenSearchOptions['sigv4']>): string | undefined {
  const header = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
    req.headers.authorization ?? '',
  );
  if (!header) return 'missing or malformed AWS4-HMAC-SHA256 Authorization header';
  const [, keyId, date, region, service, signedHeaders, signature] = header as unknown as string[];
  if (keyId !== expected.accessKeyId) return 'unknown access key';
  if (region !== expected.region || service !== expected.service) return `signed for ${region}/${service}`;
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || !amzDate.startsWith(date!)) return 'missing or inconsistent x-amz-date';
  const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
  if (payloadHash !== sha256(body)) return 'x-amz-content-sha256 is not the hash of the body';
  const names = signedHeaders!.split(';');
  if (!names.includes('host') || !names.includes('x-amz-date')) return 'host and x-amz-date must be signed';
  if (expected.sessionToken !== undefined && (req.headers['x-amz-security-token'] !== expected.sessionToken || !names.includes('x-amz-security-token'))) {
    return 'missing or unsigned x-amz-security-token';
  }
  const [rawPath = '/', rawQuery = ''] = (req.url ?? '/').split('?');
  // Services other than S3 encode each path segment once more.
  const path = rawPath.split('/').map(rfc3986).join('/');
  const query = [...new URLSearchParams(rawQuery)]
    .map(([key, value]) => `${rfc3986(key)}=${rfc3986(value)}`)
    .sort()
    .join('&');
  const headers = names.map((name) => `${name}:${String(req.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonical = [req.method, path, query, headers, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${expected.secretAccessKey}`, date!), region!), service!), 'aws4_request');
  const computed = createHmac('sha256', key).update(toSign).digest();
  return timingSafeEqual(computed, Buffer.from(signature!, 'hex')) ? undefined : 'the request signature does not match';
}
