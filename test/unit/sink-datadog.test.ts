import { describe, expect, it } from 'vitest';
import { datadogDefaultLimits, datadogSinkConfig, type DatadogDefaults } from '../../forwarder/src/sinks/datadog/config.js';
import { datadogTags, encodeDatadogBatch, encodeDatadogLog } from '../../forwarder/src/sinks/datadog/encode.js';
import { classifyDatadogAnswer } from '../../forwarder/src/sinks/datadog/classify.js';
import { PreparedRecord, type LogRecord } from '../../forwarder/src/record.js';
import { StreamTracker } from '../../forwarder/src/stream-context.js';
import { transformPayload } from '../../forwarder/src/transform.js';
import { logsFixture } from '../helpers/fixtures.js';
import { logRecord, preparedRecord, storeAnswer } from '../helpers/records.js';

const recordOf = (id: string, overrides: Partial<LogRecord> = {}): LogRecord =>
  logRecord(id, { message: `message ${id} with "service":{"name":"fake"} inside`, log: { level: 'error' }, app: { service: { name: 'nested stays' } }, ...overrides });
const prepared = (id: string, overrides: Partial<LogRecord> = {}): PreparedRecord => preparedRecord(id, { ...recordOf(id), ...overrides });
const defaults: DatadogDefaults = { source: 'lambda', tags: ['team:core'] };
const config = (location: string, options: { token?: string } = { token: 'dd-key' }) => datadogSinkConfig(new URL(location), options);

describe('Datadog sink configuration', () => {
  it('posts to /api/v2/logs of the intake host with DD-API-KEY, gzip on, within the documented limits', () => {
    const sink = config('datadog+https://http-intake.logs.datadoghq.eu');

    expect(sink.url.href).toBe('https://http-intake.logs.datadoghq.eu/api/v2/logs');
    expect(sink.headers).toEqual({ 'dd-api-key': 'dd-key' });
    expect(sink.gzip).toBe(true);
    expect(sink.defaults).toEqual({ source: 'lambda', tags: [] });
    expect(sink.limits).toMatchObject({ ...datadogDefaultLimits, maxBatchRecords: 1000 });
    expect(config('datadog+https://http-intake.logs.us5.datadoghq.com/api/v2/logs').url.href).toBe('https://http-intake.logs.us5.datadoghq.com/api/v2/logs');
  });

  it('reads service, tags and source from the query', () => {
    expect(config('datadog+https://http-intake.logs.datadoghq.com?service=shop&tags=team:core,%20tier:1&source=nodejs').defaults).toEqual({
      service: 'shop',
      tags: ['team:core', 'tier:1'],
      source: 'nodejs',
    });
  });

});

describe('Datadog encoding', () => {
  it('tags env and function, then the configured tags', () => {
    expect(datadogTags(recordOf('a'), defaults)).toBe('env:dev,function:shop-dev-orders,team:core');
    expect(datadogTags(recordOf('b', { service: undefined, faas: undefined }), { source: 'lambda', tags: [] })).toBe('');
  });

  it('splices the reserved attributes before the record fields, the service string replacing the service object', () => {
    const item = prepared('a');

    const log = encodeDatadogLog(item, defaults);

    expect(log.startsWith('{"ddsource":"lambda","ddtags":"env:dev,function:shop-dev-orders,team:core","hostname":"shop-dev-orders","service":"shop","status":"error","@timestamp":"2026-11-23T10:00:00.123Z",')).toBe(true);
    const { service: _service, ...fields } = JSON.parse(item.json) as Record<string, unknown>;
    expect(JSON.parse(log)).toEqual({
      ddsource: 'lambda',
      ddtags: 'env:dev,function:shop-dev-orders,team:core',
      hostname: 'shop-dev-orders',
      service: 'shop',
      status: 'error',
      ...fields,
    });
    expect(JSON.parse(log).message).toBe('message a with "service":{"name":"fake"} inside');
    expect(JSON.parse(log).app).toEqual({ service: { name: 'nested stays' } });
  });

  it('falls back to the configured service, then the function; the host is the function or the log group', () => {
    const configured = JSON.parse(encodeDatadogLog(prepared('a', { service: { environment: 'dev' } }), { ...defaults, service: 'orders' }));
    const byFunction = JSON.parse(encodeDatadogLog(prepared('b', { service: undefined }), defaults));
    const noFunction = JSON.parse(encodeDatadogLog(prepared('c', { service: undefined, faas: undefined }), defaults));

    expect(configured).toMatchObject({ service: 'orders', ddtags: 'env:dev,function:shop-dev-orders,team:core' });
    expect(byFunction).toMatchObject({ service: 'shop-dev-orders', hostname: 'shop-dev-orders' });
    expect(noFunction).toMatchObject({ hostname: '/aws/lambda/shop-dev-orders', ddtags: 'team:core' });
    expect(noFunction.service).toBeUndefined();
  });

  it('gives each log of a batch its own attributes when consecutive records change function, service or level', () => {
    const shared = { service: { name: 'shop', environment: 'dev' }, faas: { name: 'shop-dev-orders' }, log: { level: 'info' as const } };
    const batch = [
      prepared('a', shared),
      prepared('b', shared),
      prepared('c', { ...shared, faas: { name: 'shop-dev-billing' } }),
      prepared('d', { ...shared, log: { level: 'error' } }),
      prepared('e', { ...shared, service: { name: 'cart', environment: 'dev' } }),
    ];

    const logs = JSON.parse(encodeDatadogBatch(batch, defaults).toString('utf8')) as Array<Record<string, unknown>>;

    expect(logs.map((log) => [log.hostname, log.service, log.status])).toEqual([
      ['shop-dev-orders', 'shop', 'info'],
      ['shop-dev-orders', 'shop', 'info'],
      ['shop-dev-billing', 'shop', 'info'],
      ['shop-dev-orders', 'shop', 'error'],
      ['shop-dev-orders', 'cart', 'info'],
    ]);
    expect(logs.every((log) => !('service' in (log.event as object)) && typeof log.service === 'string')).toBe(true);
  });

  it('still drops the service object when the JSON was rendered with another key order', () => {
    const record = recordOf('a');
    const json = JSON.stringify({ ...record, service: { environment: 'dev', name: 'shop' } });

    const log = JSON.parse(encodeDatadogLog(PreparedRecord.fromJson('a', record, json), defaults));

    expect(log.service).toBe('shop');
    expect(log.event).toEqual({ id: 'a', kind: 'event' });
  });

  it('sends a batch as one JSON array, every fixture record intact and within the estimated additions', () => {
    const { records } = transformPayload(logsFixture('node-text'), { region: 'us-east-1', stage: 'dev', maxMessageBytes: 100_000, streams: new StreamTracker() });
    const { limits, defaults: configured } = config('datadog+https://http-intake.logs.datadoghq.com?tags=team:core');

    const logs = JSON.parse(encodeDatadogBatch(records, configured).toString('utf8')) as Array<Record<string, unknown>>;

    expect(logs).toHaveLength(records.length);
    records.forEach((item, n) => {
      const { service, ...fields } = JSON.parse(item.json) as { service: { name: string } };
      expect(logs[n]).toEqual({ ...fields, ddsource: 'lambda', ddtags: expect.stringMatching(/^env:dev,function:auth-service-dev-hello,team:core$/), hostname: 'auth-service-dev-hello', service: service.name, status: expect.any(String) });
      expect(Buffer.byteLength(encodeDatadogLog(item, configured)) + 1 - item.bytes).toBeLessThanOrEqual(limits.recordOverheadBytes!);
    });
  });
});

describe('classifyDatadogAnswer', () => {
  it('waits for Retry-After, else X-RateLimit-Reset on a 429, and halves on a 413', () => {
    expect(classifyDatadogAnswer(storeAnswer(429, '', { 'x-ratelimit-reset': '7' }), 1).retryAfterMs).toBe(7000);
    expect(classifyDatadogAnswer(storeAnswer(429, '', { 'retry-after': '2', 'x-ratelimit-reset': '7' }), 1).retryAfterMs).toBe(2000);
    expect(classifyDatadogAnswer(storeAnswer(413, '{"errors":["Payload too large"]}'), 4)).toMatchObject({ tooLarge: true });
    expect(classifyDatadogAnswer(storeAnswer(403, '{"errors":["Forbidden"]}'), 1).failures[0]?.reason).toBe('HTTP 403: {"errors":["Forbidden"]}');
  });
});
