import { describe, expect, it } from 'vitest';
import { SinkConfigError } from '../../forwarder/src/errors.js';
import { lokiDefaultLimits, lokiSinkConfig } from '../../forwarder/src/sinks/loki/config.js';
import { encodeLokiPush, lokiLabels, lokiLine, lokiStreams, nanosecondsOf } from '../../forwarder/src/sinks/loki/encode.js';
import { classifyLokiAnswer, rejectedEntries } from '../../forwarder/src/sinks/loki/classify.js';
import type { LogRecord, PreparedRecord } from '../../forwarder/src/record.js';
import { StreamTracker } from '../../forwarder/src/stream-context.js';
import { transformPayload } from '../../forwarder/src/transform.js';
import { logsFixture } from '../helpers/fixtures.js';
import { preparedRecord, storeAnswer } from '../helpers/records.js';

const at = '2026-11-23T10:00:00';
const seconds = BigInt(Date.UTC(2026, 10, 23, 10, 0, 0) / 1000);
const ns = (fraction: string) => (seconds * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'))).toString();

const prepared = (id: string, timestamp: string, overrides: Partial<LogRecord> = {}): PreparedRecord =>
  preparedRecord(id, { '@timestamp': timestamp, message: `message ${id} "quoted"`, ...overrides });

const config = (location: string, options = {}) => lokiSinkConfig(new URL(location), options);

describe('Loki sink configuration', () => {
  it('pushes to /loki/api/v1/push under the URL path, gzip on, with the documented limits', () => {
    expect(config('loki+https://logs.example.com').url.href).toBe('https://logs.example.com/loki/api/v1/push');
    expect(config('loki+http://127.0.0.1:3100/gateway/').url.href).toBe('http://127.0.0.1:3100/gateway/loki/api/v1/push');
    expect(config('loki+https://logs.example.com/loki/api/v1/push').url.href).toBe('https://logs.example.com/loki/api/v1/push');
    expect(config('loki+https://logs.example.com')).toMatchObject({ gzip: true, headers: {}, limits: lokiDefaultLimits });
    expect(config('loki+https://logs.example.com', { gzip: false, limits: { maxBatchBytes: 1000 } })).toMatchObject({
      gzip: false,
      limits: { ...lokiDefaultLimits, maxBatchBytes: 1000 },
    });
  });

  it('sends the tenant as X-Scope-OrgID', () => {
    expect(config('loki+https://logs.example.com?tenant=team-a').headers['x-scope-orgid']).toBe('team-a');
  });

  it('authenticates with URL user info, a user completed by the secret, or a bearer token', () => {
    const basic = (pair: string) => `Basic ${Buffer.from(pair).toString('base64')}`;

    const fromUrl = config('loki+https://u%40ser:p%40ss@logs.example.com');
    expect(fromUrl.headers.authorization).toBe(basic('u@ser:p@ss'));
    expect(fromUrl.url.href).toBe('https://logs.example.com/loki/api/v1/push');
    expect(config('loki+https://123456@logs.example.com', { password: 'pw' }).headers.authorization).toBe(basic('123456:pw'));
    expect(config('loki+https://123456@logs.example.com', { token: 'glc_token' }).headers.authorization).toBe(basic('123456:glc_token'));
    expect(config('loki+https://logs.example.com', { username: 'svc', password: 'pw' }).headers.authorization).toBe(basic('svc:pw'));
    expect(config('loki+https://logs.example.com', { token: 't0k' }).headers.authorization).toBe('Bearer t0k');
  });

  it('refuses bad URLs with errors that name LOG_SINK and never show a secret', () => {
    expect(() => config('loki+https://u:hunter2@logs.example.com', { password: 'sw0rdfish' })).toThrow(/LOG_SINK: .*password/);
    expect(() => config('loki+https://logs.example.com?tennant=a')).toThrow(/LOG_SINK: unknown loki parameter "tennant"/);
    expect(() => config('loki+https://logs.example.com?tenant=')).toThrow(/LOG_SINK: the loki tenant parameter is empty/);
    expect(() => config('loki+ftp://logs.example.com')).toThrow(SinkConfigError);
    expect(() => config('loki+https:///nohost')).toThrow(/LOG_SINK: the loki sink needs a host/);
    expect(() => config('loki+https://u:hunter2@logs.example.com', { password: 'sw0rdfish' })).not.toThrow(/hunter2|sw0rdfish/);
  });

});

describe('Loki encoding', () => {
  it('turns @timestamp into nanoseconds as a string, keeping sub-millisecond digits', () => {
    expect(nanosecondsOf(`${at}.123Z`)).toBe(ns('123'));
    expect(nanosecondsOf(`${at}.123456Z`)).toBe(ns('123456'));
    expect(nanosecondsOf(`${at}.123456789Z`)).toBe(ns('123456789'));
    expect(nanosecondsOf(`${at}Z`)).toBe(ns('0'));
    expect(nanosecondsOf('1970-01-01T00:00:00.000Z')).toBe('0');
  });

  it('labels streams by what a batch shares (service, stage, function, level, log group, account, region), never by ids', () => {
    const group = { log_group: '/aws/lambda/shop-dev-orders', cloud_account_id: '123456789012' };
    expect(lokiLabels(prepared('a', `${at}.000Z`).record)).toEqual({ service: 'shop', stage: 'dev', function: 'shop-dev-orders', level: 'info', ...group });
    expect(lokiLabels(prepared('b', `${at}.000Z`, { service: undefined, faas: undefined, log: { level: 'warn' } }).record)).toEqual({ level: 'warn', ...group });
    expect(lokiLabels(prepared('c', `${at}.000Z`, { cloud: { provider: 'aws', account: { id: '1' }, region: 'eu-west-1' } }).record)).toMatchObject({ cloud_account_id: '1', cloud_region: 'eu-west-1' });
  });

  it('gives records of two log groups their own streams, even when they share their other objects', () => {
    const shared = { log: { level: 'info' as const }, service: { name: 'shop' }, faas: { name: 'shop-dev-orders' } };
    const batch = [
      prepared('a', `${at}.000Z`, shared),
      prepared('b', `${at}.001Z`, { ...shared, aws: { cloudwatch: { log_group: '/aws/lambda/other', log_stream: 's' } } }),
    ];

    expect(lokiStreams(batch).map((stream) => stream.labels.log_group)).toEqual(['/aws/lambda/shop-dev-orders', '/aws/lambda/other']);
  });

  it('leaves out of the line what the labels carry, and keeps everything that varies', () => {
    const { record } = prepared('a', `${at}.000Z`, { log: { level: 'error', logger: 'db' }, app: { sku: 1 } });

    expect(lokiLine(record)).toEqual({
      '@timestamp': `${at}.000Z`,
      message: 'message a "quoted"',
      log: { logger: 'db' },
      event: { id: 'a', kind: 'event' },
      aws: { cloudwatch: { log_stream: 's' } },
      faas: { execution: 'req-1' },
      trace: { id: '1-66433733-5f2c7e3b9a1d4c8e2b6f0a17' },
      app: { sku: 1 },
    });
  });

  it('groups a batch into streams with entries in ascending time, ties in batch order, each mapped to its batch index', () => {
    const batch = [
      prepared('a', `${at}.300Z`),
      prepared('b', `${at}.100Z`, { log: { level: 'error' } }),
      prepared('c', `${at}.100Z`),
      prepared('d', `${at}.100Z`),
      prepared('e', `${at}.000500Z`),
    ];

    const streams = lokiStreams(batch);

    expect(streams.map((s) => s.labels.level)).toEqual(['info', 'error']);
    expect(streams[0]!.entries.map((e) => [e.index, e.ns])).toEqual([
      [4, ns('0005')],
      [2, ns('1')],
      [3, ns('1')],
      [0, ns('3')],
    ]);
    expect(streams[1]!.entries.map((e) => e.index)).toEqual([1]);
  });

  it('encodes the documented push body with each record’s line', () => {
    const batch = [prepared('a', `${at}.200Z`), prepared('b', `${at}.100Z`)];

    const body = encodeLokiPush(lokiStreams(batch)).toString('utf8');

    expect(JSON.parse(body)).toEqual({
      streams: [
        {
          stream: { service: 'shop', stage: 'dev', function: 'shop-dev-orders', level: 'info', log_group: '/aws/lambda/shop-dev-orders', cloud_account_id: '123456789012' },
          values: [
            [ns('1'), JSON.stringify(lokiLine(batch[1]!.record))],
            [ns('2'), JSON.stringify(lokiLine(batch[0]!.record))],
          ],
        },
      ],
    });
    expect(body.startsWith('{"streams":[{"stream":{"service":"shop","stage":"dev","function":"shop-dev-orders","level":"info",')).toBe(true);
  });

  it('encodes every record of a real fixture into ascending streams whose lines parse back to the records', () => {
    const { records } = transformPayload(logsFixture('node-text'), { region: 'us-east-1', stage: 'dev', maxMessageBytes: 100_000, streams: new StreamTracker() });

    const body = JSON.parse(encodeLokiPush(lokiStreams(records)).toString('utf8')) as { streams: Array<{ values: Array<[string, string]> }> };

    const lines = body.streams.flatMap((s) => s.values.map(([, line]) => JSON.parse(line) as { event: { id: string } }));
    expect(lines.map((l) => l.event.id).sort()).toEqual(records.map((r) => r.id).sort());
    for (const { values } of body.streams) {
      const times = values.map(([time]) => BigInt(time));
      expect(times).toEqual([...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
  });
});

describe('classifyLokiAnswer', () => {
  const batch = [prepared('a', `${at}.100Z`), prepared('b', `${at}.200Z`), prepared('c', `${at}.300Z`)];
  const streams = lokiStreams(batch);

  it('honours Retry-After on a 429 and asks for a split on a 413', () => {
    expect(classifyLokiAnswer(storeAnswer(429, 'Ingestion rate limit exceeded', { 'retry-after': '2' }), 3, streams)).toMatchObject({ retryAfterMs: 2000 });
    expect(classifyLokiAnswer(storeAnswer(413, ''), 3, streams)).toMatchObject({ tooLarge: true });
  });

  it('fails for good the entries a partial 400 names and sends the others again', () => {
    const body =
      "entry with timestamp 2026-11-23 10:00:00.1 +0000 UTC ignored, reason: 'entry too far behind, oldest acceptable timestamp is: 2026-11-23T10:00:00.15Z',\n" +
      "user 'fake', total ignored: 1 out of 3 for stream: {level=\"info\"}";

    const outcome = classifyLokiAnswer(storeAnswer(400, body), 3, streams);

    expect(outcome.failures).toEqual([
      { index: 0, retryable: false, reason: 'HTTP 400: entry too far behind, oldest acceptable timestamp is: 2026-11-23T10:00:00.15Z' },
      { index: 1, retryable: true, reason: expect.stringMatching(/sent again/) },
      { index: 2, retryable: true, reason: expect.stringMatching(/sent again/) },
    ]);
  });

  it('reads refused timestamps in any zone and refused line lengths from the distributor', () => {
    const rejected = rejectedEntries(
      "entry for stream '{level=\"info\"}' has timestamp too old: 2026-11-23 12:00:00.3 +0200 CEST, oldest acceptable timestamp is: 2026-11-23 11:00:00 +0000 UTC\n" +
        "Max entry size '262144' bytes exceeded for stream '{level=\"info\"}' while adding an entry with length '300000' bytes",
    );

    expect([...rejected.times]).toEqual([[ns('3'), 'timestamp too old']]);
    expect(rejected.lineLengths.get(300_000)).toMatch(/line too long/);
    const outcome = classifyLokiAnswer(storeAnswer(400, `entry with timestamp 2026-11-23 10:00:00.3 +0000 UTC ignored, reason: 'entry out of order'`), 3, streams);
    expect(outcome.failures.filter((f) => !f.retryable).map((f) => f.index)).toEqual([2]);
  });

  it('fails the whole batch for good on a 400 that names no entry', () => {
    const outcome = classifyLokiAnswer(storeAnswer(400, 'error at least one label pair is required per stream'), 3, streams);

    expect(outcome.failures).toHaveLength(3);
    expect(outcome.failures.every((f) => !f.retryable && /HTTP 400: error at least one label pair/.test(f.reason))).toBe(true);
  });
});
