import { describe, expect, it } from 'vitest';
import { SinkConfigError } from '../../forwarder/src/errors.js';
import { searchSinkConfig, regionOfHost } from '../../forwarder/src/sinks/opensearch/config.js';
import { encodeAction, encodeBulk } from '../../forwarder/src/sinks/opensearch/encode.js';
import { indexNameProblem, parseIndexPattern, resolveIndex } from '../../forwarder/src/sinks/opensearch/index-name.js';
import { bulkOutcome, classifyClientError, describeError } from '../../forwarder/src/sinks/opensearch/classify.js';
import { PreparedRecord } from '../../forwarder/src/record.js';
import { batchesOf } from '../helpers/records.js';

const eventId = (n: number) => String(n).padStart(56, '0');

const prepared = (n: number, timestamp = '2026-11-23T10:00:00.000Z'): PreparedRecord => {
  const json = JSON.stringify({ '@timestamp': timestamp, message: `line ${n}`, event: { id: eventId(n) } });
  return PreparedRecord.fromJson(eventId(n), { '@timestamp': timestamp } as PreparedRecord['record'], json);
};

const answer = (body: unknown, status = 200, headers: Record<string, string> = {}) => ({ status, headers, body });

describe('index names', () => {
  it('resolves date fields from the record timestamp in UTC, keeping sub-second precision out of it', () => {
    const pattern = parseIndexPattern('logs-%Y.%m.%d-%H');

    expect(resolveIndex(pattern, '2026-11-23T09:59:59.999999Z')).toBe('logs-2026.11.23-09');
    expect(resolveIndex(pattern, '2026-12-31T23:00:00.000Z')).toBe('logs-2026.12.31-23');
    expect(pattern.wildcard).toBe('logs-*.*.*-*');
    expect(pattern.resolvedBytes).toBe('logs-2026.11.23-09'.length);
  });

  it('keeps a fixed name as written, with %% as a percent sign', () => {
    const pattern = parseIndexPattern('lambda-logs%%');

    expect(pattern.dated).toBe(false);
    expect(resolveIndex(pattern, '2026-11-23T10:00:00.000Z')).toBe('lambda-logs%');
  });

  it('puts a timestamp it cannot read in the 1970 index, the same one every time', () => {
    const pattern = parseIndexPattern('logs-%Y.%m.%d');

    expect(resolveIndex(pattern, 'yesterday')).toBe('logs-1970.01.01');
    expect(resolveIndex(pattern, '2026-11-23 10:00:00+01:00')).toBe('logs-2026.11.23');
  });

  it.each([
    ['Logs-%Y', /must be lowercase/],
    ['logs/%Y', /must not contain "\/"/],
    ['logs %Y', /must not contain " "/],
    ['logs,x', /must not contain ","/],
    ['_logs', /must not start with/],
    ['-logs', /must not start with/],
    ['..', /must not be/],
    ['logs-%y', /unknown date field "%y"/],
    ['logs-%', /unknown date field "%"/],
    ['x'.repeat(256), /at most 255 bytes/],
  ])('refuses the index %s with a SinkConfigError naming LOG_SINK', (index, message) => {
    expect(() => parseIndexPattern(index)).toThrow(SinkConfigError);
    expect(() => parseIndexPattern(index)).toThrow(message);
    expect(() => parseIndexPattern(index)).toThrow(/^LOG_SINK: /);
  });

  it('accepts dots, hyphens and digits', () => {
    expect(indexNameProblem('logs-2026.11.23')).toBeUndefined();
    expect(indexNameProblem('.logs')).toBeUndefined();
  });
});

describe('sink configuration', () => {
  it('reads the four schemes, the prefix path and the index', () => {
    const https = searchSinkConfig('opensearch+https://search.example.test:9200/proxy/search?index=app-%Y.%m');
    const http = searchSinkConfig('elasticsearch+http://127.0.0.1:9200');

    expect(https).toMatchObject({ flavor: 'opensearch', gzip: true, auth: { kind: 'none' } });
    expect(https.node.href).toBe('https://search.example.test:9200/proxy/search');
    expect(https.index.source).toBe('app-%Y.%m');
    expect(http.flavor).toBe('elasticsearch');
    expect(http.node.href).toBe('http://127.0.0.1:9200/');
    expect(http.index.source).toBe('logs-%Y.%m.%d');
    expect(searchSinkConfig('OpenSearch+HTTPS://h.example.test').flavor).toBe('opensearch');
    expect(searchSinkConfig('elasticsearch+https://h.example.test').node.protocol).toBe('https:');
  });

  it('counts the action line and both newlines as each record’s overhead', () => {
    const config = searchSinkConfig('opensearch+https://h.example.test?index=logs-%Y.%m.%d');
    const record = prepared(1);

    expect(config.limits).toMatchObject({ maxBatchRecords: 5_000, maxBatchBytes: 5 * 1024 * 1024, maxMessageBytes: 256 * 1024 });
    expect(config.limits.recordOverheadBytes).toBe(Buffer.byteLength(encodeBulk([record], config.index)) - record.bytes);
  });

  it('keeps batches within the byte limit once the action lines are added', () => {
    const config = searchSinkConfig('opensearch+https://h.example.test', { limits: { maxBatchBytes: 2_000 } });
    const records = Array.from({ length: 50 }, (_, n) => prepared(n));

    const batches = batchesOf(records, config.limits);

    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) expect(Buffer.byteLength(encodeBulk(batch, config.index))).toBeLessThanOrEqual(2_000);
  });

  it('takes basic auth from the URL user info, decoded, and strips it from the node', () => {
    const config = searchSinkConfig('opensearch+https://admin:p%40ss@h.example.test/');

    expect(config.auth).toEqual({ kind: 'basic', username: 'admin', password: 'p@ss' });
    expect(config.node.href).toBe('https://h.example.test/');
  });

  it('completes the user of the URL with the password of the secret', () => {
    expect(searchSinkConfig('opensearch+https://writer@h.example.test', { password: 's3cret' }).auth).toEqual({
      kind: 'basic',
      username: 'writer',
      password: 's3cret',
    });
    expect(searchSinkConfig('opensearch+https://h.example.test', { username: 'writer', password: 's3cret' }).auth).toMatchObject({
      kind: 'basic',
      username: 'writer',
    });
  });

  it('sends a token as an Elasticsearch API key or an OpenSearch bearer token', () => {
    expect(searchSinkConfig('elasticsearch+https://h.example.test', { token: 'a2V5' }).auth).toEqual({ kind: 'header', authorization: 'ApiKey a2V5' });
    expect(searchSinkConfig('opensearch+https://h.example.test', { token: 'jwt' }).auth).toEqual({ kind: 'header', authorization: 'Bearer jwt' });
  });

  it('signs with SigV4 for aws=es and aws=aoss, taking the region from the URL, the host or AWS_REGION', () => {
    expect(searchSinkConfig('opensearch+https://h.example.test?aws=es&region=eu-west-1').auth).toEqual({ kind: 'sigv4', service: 'es', region: 'eu-west-1' });
    expect(searchSinkConfig('opensearch+https://search-logs-abc.eu-central-1.es.amazonaws.com?aws=es', { region: 'us-east-1' }).auth).toMatchObject({
      region: 'eu-central-1',
    });
    expect(searchSinkConfig('opensearch+https://abc123.us-west-2.aoss.amazonaws.com?aws=aoss').auth).toEqual({ kind: 'sigv4', service: 'aoss', region: 'us-west-2' });
    expect(searchSinkConfig('opensearch+https://vpc-endpoint.example.test?aws=es', { region: 'ap-south-1' }).auth).toMatchObject({ region: 'ap-south-1' });
    expect(regionOfHost('search-x.cn-north-1.es.amazonaws.com.cn')).toBe('cn-north-1');
    expect(regionOfHost('example.test')).toBeUndefined();
  });

  it.each([
    ['https://h.example.test', {}, /not an opensearch\+https/],
    ['opensearch+ftp://h.example.test', {}, /not an opensearch\+https/],
    ['opensearch+https://', {}, /not a valid URL|names no host/],
    ['opensearch+https://h.example.test?indx=logs', {}, /unknown parameter "indx"/],
    ['opensearch+https://h.example.test?aws=s3', {}, /aws=s3 is not a SigV4 service/],
    ['opensearch+https://h.example.test?aws=es', {}, /needs a region/],
    ['opensearch+https://u:p@h.example.test?aws=es&region=eu-west-1', {}, /remove the user/],
    ['opensearch+https://h.example.test?aws=es&region=eu-west-1', { token: 't' }, /remove the user, password or token/],
    ['opensearch+https://h.example.test?region=eu-west-1', {}, /only used with aws=/],
    ['opensearch+https://writer@h.example.test', {}, /user "writer" has no password/],
    ['opensearch+https://writer:pw@h.example.test', { token: 't' }, /not both/],
    ['opensearch+https://h.example.test', { password: 'pw' }, /no user/],
  ])('refuses %s', (location, options, message) => {
    expect(() => searchSinkConfig(location, options)).toThrow(SinkConfigError);
    expect(() => searchSinkConfig(location, options)).toThrow(message);
  });

  it('never shows a password in its errors', () => {
    const attempt = () => searchSinkConfig('opensearch+https://admin:hunter2@h.example.test?index=BAD');
    expect(attempt).toThrow(/must be lowercase/);
    expect(() => searchSinkConfig('opensearch+https://admin:hunter2@')).toThrow(/\*\*\*@/);
    for (const location of ['opensearch+https://admin:hunter2@h.example.test?aws=es&region=x', 'opensearch+https://admin:hunter2@', 'https://admin:hunter2@h']) {
      expect(() => searchSinkConfig(location)).toThrow(expect.objectContaining({ message: expect.not.stringContaining('hunter2') }));
    }
  });
});

describe('bulk encoding', () => {
  it('writes a create action with the index and the event id before each record’s JSON, and ends with a newline', () => {
    const pattern = parseIndexPattern('logs-%Y.%m.%d');
    const batch = [prepared(1, '2026-11-23T23:59:59.999Z'), prepared(2, '2026-11-24T00:00:00.000Z')];

    const body = encodeBulk(batch, pattern).toString('utf8');

    expect(body.endsWith('\n')).toBe(true);
    expect(body.split('\n')).toEqual([
      `{"create":{"_index":"logs-2026.11.23","_id":"${eventId(1)}"}}`,
      batch[0]!.json,
      `{"create":{"_index":"logs-2026.11.24","_id":"${eventId(2)}"}}`,
      batch[1]!.json,
      '',
    ]);
  });

  it('reuses the record JSON as rendered, byte for byte', () => {
    const record = PreparedRecord.fromJson(eventId(3), prepared(3).record, '{"message":"multi\\nline \\"quoted\\" ü"}');

    const lines = encodeBulk([record], parseIndexPattern('logs')).toString('utf8').split('\n');

    expect(lines[1]).toBe(record.json);
    expect(JSON.parse(lines[0]!)).toEqual({ create: { _index: 'logs', _id: eventId(3) } });
  });

  it('quotes what it puts in an action line', () => {
    expect(JSON.parse(encodeAction('logs%', 'a"b'))).toEqual({ create: { _index: 'logs%', _id: 'a"b' } });
  });
});

describe('bulk answers', () => {
  it('reports only the failed items, by position, with their error', () => {
    const body = {
      errors: true,
      items: [
        { create: { status: 201 } },
        { create: { status: 409, error: { type: 'version_conflict_engine_exception', reason: 'document already exists' } } },
        { create: { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'rejected execution' } } },
        { create: { status: 400, error: { type: 'mapper_parsing_exception', reason: 'failed to parse field [x]' } } },
        { create: { status: 503, error: { type: 'unavailable_shards_exception', reason: 'primary shard is not active' } } },
      ],
    };

    const outcome = bulkOutcome(answer(body), 5);

    expect(outcome.failures).toEqual([
      { index: 2, retryable: true, reason: 'item 429: es_rejected_execution_exception: rejected execution' },
      { index: 3, retryable: false, reason: 'item 400: mapper_parsing_exception: failed to parse field [x]' },
      { index: 4, retryable: true, reason: 'item 503: unavailable_shards_exception: primary shard is not active' },
    ]);
    expect(outcome.answer).toBe('HTTP 200 bulk: 1 created, 1 exist, 3 failed');
  });

  it('counts a batch with errors false as stored without reading the items', () => {
    expect(bulkOutcome(answer({ errors: false, items: [] }), 3)).toEqual({ failures: [], answer: 'HTTP 200 bulk: 3 created' });
  });

  it('counts a batch of conflicts only as stored: they were stored before', () => {
    const items = [{ create: { status: 409 } }, { create: { status: 409 } }];

    expect(bulkOutcome(answer({ errors: true, items }), 2).failures).toEqual([]);
  });

  it('splits on a whole-request 413 and waits as Retry-After asks on 429', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');

    expect(bulkOutcome(answer({ Message: 'Request size exceeded 10485760 bytes' }, 413), 2, now)).toMatchObject({
      tooLarge: true,
      failures: [{ index: 0, retryable: true, reason: 'HTTP 413: Request size exceeded 10485760 bytes' }, { index: 1 }],
    });
    expect(bulkOutcome(answer({ error: { type: 'es_rejected_execution_exception', reason: 'queue full' } }, 429, { 'retry-after': '7' }), 1, now)).toMatchObject({
      retryAfterMs: 7000,
      failures: [{ retryable: true, reason: 'HTTP 429: es_rejected_execution_exception: queue full' }],
    });
  });

  it('retries a whole-request 5xx and fails fast on 401, 403 and 400', () => {
    expect(bulkOutcome(answer('', 503), 1).failures[0]?.retryable).toBe(true);
    expect(bulkOutcome(answer({ error: { type: 'security_exception', reason: 'no permissions' } }, 403), 1).failures[0]).toMatchObject({
      retryable: false,
      reason: 'HTTP 403: security_exception: no permissions',
    });
    expect(bulkOutcome(answer('', 401), 1).failures[0]?.retryable).toBe(false);
    expect(bulkOutcome(answer({ error: { type: 'illegal_argument_exception' } }, 400), 1).failures[0]?.retryable).toBe(false);
  });

  it('refuses an answer that is not a bulk answer, or does not match the batch, permanently', () => {
    expect(bulkOutcome(answer('<html>dashboards</html>'), 2).failures).toMatchObject([{ retryable: false, reason: expect.stringMatching(/not a _bulk answer/) }, {}]);
    expect(bulkOutcome(answer({ errors: true, items: [{ create: { status: 500 } }] }), 2).failures).toMatchObject([
      { retryable: false, reason: expect.stringMatching(/1 items for 2 records/) },
      {},
    ]);
  });

  it('describes error bodies of every shape without dumping them', () => {
    expect(describeError({ error: 'no handler found for uri' })).toBe('no handler found for uri');
    expect(describeError({ message: 'The security token included in the request is invalid.' })).toMatch(/security token/);
    expect(describeError('x'.repeat(500))).toHaveLength(200);
    expect(describeError(undefined)).toBeUndefined();
  });

  it('leaves out the value a mapping error quotes from the record', () => {
    const error = {
      type: 'mapper_parsing_exception',
      reason: "failed to parse field [app.userId] of type [long] in document with id '1'. Preview of field's value: 'alice@example.com'",
    };

    expect(describeError(error)).toBe("mapper_parsing_exception: failed to parse field [app.userId] of type [long] in document with id '1'");
  });
});

describe('client faults', () => {
  const named = (name: string, message = 'boom') => Object.assign(new Error(message), { name });

  it('retries timeouts, connection errors and an empty pool', () => {
    expect(classifyClientError(named('TimeoutError'))).toEqual({ retryable: true, reason: 'request timed out' });
    expect(classifyClientError(named('ConnectionError', 'socket hang up'))).toEqual({ retryable: true, reason: 'connection error: socket hang up' });
    expect(classifyClientError(named('NoLivingConnectionsError')).retryable).toBe(true);
    expect(classifyClientError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })).retryable).toBe(true);
  });

  it('says a request aborted by the delivery deadline timed out', () => {
    const signal = AbortSignal.abort(new DOMException('late', 'TimeoutError'));

    expect(classifyClientError(named('RequestAbortedError'), signal)).toEqual({ retryable: true, reason: 'request timed out' });
  });

  it('fails fast on a refused certificate and on missing AWS credentials', () => {
    expect(classifyClientError(named('ConnectionError', 'certificate has expired')).retryable).toBe(false);
    expect(classifyClientError(named('ConnectionError', "Hostname/IP does not match certificate's altnames")).retryable).toBe(false);
    expect(classifyClientError(named('CredentialsProviderError', 'Could not load credentials from any providers'))).toEqual({
      retryable: false,
      reason: 'no AWS credentials to sign with: Could not load credentials from any providers',
    });
  });
});
