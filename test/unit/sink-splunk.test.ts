import { describe, expect, it } from 'vitest';
import { splunkDefaultLimits, splunkSinkConfig } from '../../forwarder/src/sinks/splunk/config.js';
import { encodeHecBatch, encodeHecEvent, hecFields, hecTime } from '../../forwarder/src/sinks/splunk/encode.js';
import { classifyHecAnswer, parseHecReply } from '../../forwarder/src/sinks/splunk/classify.js';
import type { LogRecord, PreparedRecord } from '../../forwarder/src/record.js';
import { StreamTracker } from '../../forwarder/src/stream-context.js';
import { transformPayload } from '../../forwarder/src/transform.js';
import { splitObjects } from '../helpers/fake-splunk.js';
import { logsFixture } from '../helpers/fixtures.js';
import { preparedRecord, storeAnswer } from '../helpers/records.js';

const seconds = Date.UTC(2026, 10, 23, 10, 0, 0) / 1000;

const prepared = (id: string, overrides: Partial<LogRecord> = {}): PreparedRecord =>
  preparedRecord(id, { '@timestamp': '2026-11-23T10:00:00.123456Z', log: { level: 'warn' }, ...overrides });

const config = (location: string, options: { token?: string; gzip?: boolean } = { token: 'hec-token' }) => splunkSinkConfig(new URL(location), options);

describe('Splunk sink configuration', () => {
  it('posts to /services/collector/event with the HEC token, gzip on, with safe limits', () => {
    const hec = config('splunk+https://splunk.example.com:8088');

    expect(hec.url.href).toBe('https://splunk.example.com:8088/services/collector/event');
    expect(hec.headers).toEqual({ authorization: 'Splunk hec-token' });
    expect(hec.gzip).toBe(true);
    expect(hec.metadata).toEqual({ sourcetype: 'aws:lambda:ecs' });
    expect(hec.limits).toMatchObject(splunkDefaultLimits);
    expect(config('splunk+https://http-inputs-acme.splunkcloud.com/services/collector').url.href).toBe('https://http-inputs-acme.splunkcloud.com/services/collector/event');
    expect(config('splunk+http://127.0.0.1:8088/proxy/').url.href).toBe('http://127.0.0.1:8088/proxy/services/collector/event');
  });

  it('reads index, sourcetype, source and host from the query', () => {
    expect(config('splunk+https://splunk.example.com?index=lambda&sourcetype=_json&source=lambda-logs&host=aws').metadata).toEqual({
      index: 'lambda',
      sourcetype: '_json',
      source: 'lambda-logs',
      host: 'aws',
    });
  });

});

describe('hecTime', () => {
  it('gives Date.parse\'s epoch seconds and milliseconds for every ISO UTC form, across days', () => {
    const reference = (timestamp: string) => {
      const ms = Date.parse(timestamp);
      return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}`;
    };
    const times = ['2026-11-23T10:00:00.123Z', '2026-11-23T23:59:59.999Z', '2026-11-24T00:00:00Z', '2026-11-24T00:00:00.5Z', '2026-11-24T07:08:09.123456Z', '1970-01-01T00:00:00.000Z', '2024-02-29T12:00:00.010Z', '2026-11-23T10:00:00.123Z'];

    for (const time of times) expect(hecTime(time), time).toBe(reference(time));
    // Before 1970 the fraction counts towards zero, not down from the second before.
    expect(hecTime('1969-12-31T23:59:59.500Z')).toBe('-0.500');
  });
});

describe('HEC encoding', () => {
  it('writes time as epoch seconds with milliseconds', () => {
    expect(hecTime('2026-11-23T10:00:00.123Z')).toBe(`${seconds}.123`);
    expect(hecTime('2026-11-23T10:00:00.123456Z')).toBe(`${seconds}.123`);
    expect(hecTime('2026-11-23T10:00:00Z')).toBe(`${seconds}.000`);
    expect(hecTime('2026-11-23T10:00:00.007Z')).toBe(`${seconds}.007`);
  });

  it('indexes level, function, request id, trace id and service, leaving out what the record lacks', () => {
    expect(hecFields(prepared('a').record)).toEqual({
      level: 'warn',
      function: 'shop-dev-orders',
      request_id: 'req-1',
      trace_id: '1-66433733-5f2c7e3b9a1d4c8e2b6f0a17',
      service: 'shop',
    });
    expect(hecFields(prepared('b', { faas: undefined, trace: undefined, service: undefined }).record)).toEqual({ level: 'warn' });
  });

  it('wraps the record JSON as the event, with HEC metadata and indexed fields', () => {
    const item = prepared('a');

    const event = encodeHecEvent(item, { sourcetype: 'aws:lambda:ecs', index: 'lambda' });

    expect(event).toBe(
      `{"time":${seconds}.123,"host":"shop-dev-orders","source":"/aws/lambda/shop-dev-orders","sourcetype":"aws:lambda:ecs","index":"lambda",` +
        `"event":${item.json},"fields":{"level":"warn","function":"shop-dev-orders","request_id":"req-1","trace_id":"1-66433733-5f2c7e3b9a1d4c8e2b6f0a17","service":"shop"}}`,
    );
    expect(JSON.parse(event).event).toEqual(JSON.parse(item.json));
    const overridden = JSON.parse(encodeHecEvent(prepared('b', { faas: undefined }), { sourcetype: 'st', host: 'h', source: 's' }));
    expect(overridden).toMatchObject({ host: 'h', source: 's', sourcetype: 'st' });
    expect(overridden.index).toBeUndefined();
    expect(JSON.parse(encodeHecEvent(prepared('c', { faas: undefined }), { sourcetype: 'st' })).host).toBe('/aws/lambda/shop-dev-orders');
  });

  it('gives each event of a batch its own host, source and fields when consecutive records change them', () => {
    const shared = { faas: { name: 'shop-dev-orders', execution: 'req-1' }, log: { level: 'info' as const } };
    const batch = [
      prepared('a', shared),
      prepared('b', shared),
      prepared('c', { ...shared, faas: { name: 'shop-dev-billing', execution: 'req-2' } }),
      prepared('d', { ...shared, log: { level: 'error' }, '@timestamp': '2026-11-24T00:00:01.000Z' }),
    ];

    const events = splitObjects(encodeHecBatch(batch, { sourcetype: 'st' }).toString('utf8')).map((e) => JSON.parse(e) as { host: string; time: number; fields: Record<string, string> });

    expect(events.map((e) => [e.host, e.fields.function, e.fields.request_id, e.fields.level])).toEqual([
      ['shop-dev-orders', 'shop-dev-orders', 'req-1', 'info'],
      ['shop-dev-orders', 'shop-dev-orders', 'req-1', 'info'],
      ['shop-dev-billing', 'shop-dev-billing', 'req-2', 'info'],
      ['shop-dev-orders', 'shop-dev-orders', 'req-1', 'error'],
    ]);
    expect(events[3]!.time).toBe(Date.parse('2026-11-24T00:00:01.000Z') / 1000);
  });

  it('concatenates the events of a batch without an array or separators', () => {
    const batch = [prepared('a'), prepared('b')];

    const body = encodeHecBatch(batch, { sourcetype: 'st' }).toString('utf8');

    expect(body).toBe(encodeHecEvent(batch[0]!, { sourcetype: 'st' }) + encodeHecEvent(batch[1]!, { sourcetype: 'st' }));
    expect(body.startsWith('{"time":')).toBe(true);
    expect(splitObjects(body).map((e) => JSON.parse(e).event.event.id)).toEqual(['a', 'b']);
  });

  it('keeps every fixture record intact as its event and stays within the estimated envelope per record', () => {
    const { records } = transformPayload(logsFixture('node-text'), { region: 'us-east-1', stage: 'dev', maxMessageBytes: 100_000, streams: new StreamTracker() });
    const { limits, metadata } = config('splunk+https://splunk.example.com?index=lambda');

    for (const item of records) {
      const event = encodeHecEvent(item, metadata);
      expect(JSON.parse(event).event).toEqual(JSON.parse(item.json));
      expect(Buffer.byteLength(event) - item.bytes).toBeLessThanOrEqual(limits.recordOverheadBytes!);
    }
  });
});

describe('classifyHecAnswer', () => {
  it.each([
    [200, '{"text":"Success","code":0}', false, undefined],
    [503, '{"text":"Server is busy","code":9}', true, true],
    [500, '{"text":"Internal server error","code":8}', true, true],
    [429, '', true, true],
    [401, '{"text":"Token is required","code":2}', true, false],
    [403, '{"text":"Invalid token","code":4}', true, false],
    [403, '{"text":"Token disabled","code":1}', true, false],
    [400, '{"text":"No data","code":5}', true, false],
    [400, '{"text":"Incorrect index","code":7,"invalid-event-number":0}', true, false],
  ])('HTTP %i %s: failed=%s retryable=%s', (status, body, failed, retryable) => {
    const outcome = classifyHecAnswer(storeAnswer(status, body), 3);

    expect(outcome.failures.length > 0).toBe(failed);
    if (failed) expect(outcome.failures.every((f) => f.retryable === retryable)).toBe(true);
  });

  it('names the HEC code in the reason, honours Retry-After and halves on 413', () => {
    expect(classifyHecAnswer(storeAnswer(503, '{"text":"Server is busy","code":9}', { 'retry-after': '5' }), 1)).toEqual({
      failures: [{ index: 0, retryable: true, reason: 'HTTP 503: HEC code 9: Server is busy' }],
      retryAfterMs: 5000,
      answer: 'HTTP 503: HEC code 9: Server is busy',
    });
    expect(classifyHecAnswer(storeAnswer(413, 'Content-Length of 2000000 too large (maximum is 1000000)'), 2)).toMatchObject({ tooLarge: true });
    expect(classifyHecAnswer(storeAnswer(400, '{"text":"Data channel is missing","code":10}'), 1).failures[0]?.reason).toMatch(/indexer acknowledgment/);
  });

  it('fails for good the one event HEC names invalid, counts those before it indexed and sends only those after it again', () => {
    const outcome = classifyHecAnswer(storeAnswer(400, '{"text":"Invalid data format","code":6,"invalid-event-number":1}'), 3);

    expect(outcome.failures).toEqual([
      { index: 1, retryable: false, reason: 'HTTP 400: HEC code 6: Invalid data format (event 1 of the request)' },
      { index: 2, retryable: true, reason: 'sent again: HEC stopped at event 1 of the request' },
    ]);
    expect(outcome.answer).toMatch(/1 events before it indexed$/);
  });

  it('reads HEC replies and tolerates bodies that are not JSON', () => {
    expect(parseHecReply('{"text":"Invalid data format","code":6,"invalid-event-number":3}')).toEqual({ text: 'Invalid data format', code: 6, invalidEventNumber: 3 });
    expect(parseHecReply('<html>bad gateway</html>')).toBeUndefined();
    expect(classifyHecAnswer(storeAnswer(502, '<html>bad gateway</html>'), 1).failures[0]).toEqual({ index: 0, retryable: true, reason: 'HTTP 502: <html>bad gateway</html>' });
  });
});

describe('HEC indexer acknowledgment settings', () => {
  it('gives ?ack=true one channel, on every request, and the ack endpoint under the same prefix', () => {
    const sink = config('splunk+https://splunk.example.com:8088/proxy?ack=true');

    expect(sink.ack?.url.href).toBe('https://splunk.example.com:8088/proxy/services/collector/ack');
    expect(sink.ack?.channel).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sink.headers['x-splunk-request-channel']).toBe(sink.ack?.channel);
    expect(config('splunk+https://splunk.example.com?ack=false').ack).toBeUndefined();
    expect(() => config('splunk+https://splunk.example.com?ack=yes')).toThrow('LOG_SINK: the splunk ack parameter is true or false, got "yes"');
  });
});
