import { describe, expect, it } from 'vitest';
import { createFilter } from '../../forwarder/src/filter.js';
import { createRedactor, builtInRules } from '../../forwarder/src/redact.js';
import { StreamTracker } from '../../forwarder/src/stream-context.js';
import { transformPayload, type TransformOptions } from '../../forwarder/src/transform.js';
import { logsFixture, payloadOf } from '../helpers/fixtures.js';

const rid = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const options = (extra: Partial<TransformOptions> = {}): TransformOptions => ({
  region: 'eu-west-1',
  stage: 'dev',
  maxMessageBytes: 256 * 1024,
  streams: new StreamTracker(),
  ...extra,
});

describe('transformPayload', () => {
  it('makes exactly one record per log event, in order, keyed by the event id', () => {
    const payload = logsFixture('platform-text');

    const { records } = transformPayload(payload, options());

    expect(records.map((r) => r.id)).toEqual(payload.logEvents.map((e) => e.id));
    expect(records.every((r) => r.record.event.id === r.id)).toBe(true);
  });

  it('fills the envelope fields with ECS names', () => {
    const { records } = transformPayload(payloadOf([`START RequestId: ${rid(1)} Version: $LATEST\n`]), options());

    expect(records[0]?.record).toMatchObject({
      '@timestamp': '2026-11-23T10:00:00.000Z',
      cloud: { provider: 'aws', account: { id: '123456789012' }, region: 'eu-west-1' },
      aws: { cloudwatch: { log_group: '/aws/lambda/auth-service-dev-hello', log_stream: expect.stringContaining('[$LATEST]') } },
      faas: { name: 'auth-service-dev-hello', execution: rid(1), version: '$LATEST' },
      service: { name: 'auth-service', environment: 'dev' },
    });
  });

  it('gives a line without a request id the invocation running in its stream', () => {
    const payload = payloadOf([`START RequestId: ${rid(1)} Version: $LATEST\n`, 'plain output\n', `END RequestId: ${rid(1)}\n`]);

    const { records } = transformPayload(payload, options());

    expect(records[1]?.record.faas?.execution).toBe(rid(1));
  });

  it('carries the running invocation over to the next batch of the same stream', () => {
    const streams = new StreamTracker();
    transformPayload(payloadOf([`START RequestId: ${rid(2)} Version: $LATEST\n`]), options({ streams }));

    const { records } = transformPayload(payloadOf(['still working\n', `REPORT RequestId: ${rid(2)}\tDuration: 1.00 ms\n`]), options({ streams }));

    expect(records[0]?.record.faas?.execution).toBe(rid(2));
  });

  it('gives leading lines the id of the REPORT that closes them when the START came in an earlier batch', () => {
    const { records } = transformPayload(payloadOf(['orphan line\n', `REPORT RequestId: ${rid(3)}\tDuration: 1.00 ms\n`]), options());

    expect(records[0]?.record.faas?.execution).toBe(rid(3));
  });

  it('leaves init-phase lines before the first START without a request id', () => {
    const payload = logsFixture('node-text');

    const { records } = transformPayload(payload, options());

    const init = records.find((r) => r.record.message === 'Loading config for stage dev');
    expect(init?.record.faas?.execution).toBeUndefined();
  });

  it('stamps the X-Ray trace id and cold start of a REPORT on every line of that invocation', () => {
    const payload = logsFixture('platform-text');

    const { records } = transformPayload(payload, options());

    const first = records.filter((r) => r.record.faas?.execution === '0b7e9c4d-1f2a-4b3c-8d5e-6f7a8b9c0d1e');
    expect(first.length).toBeGreaterThan(2);
    expect(first.every((r) => r.record.trace?.id === '1-66433733-5f2c7e3b9a1d4c8e2b6f0a17')).toBe(true);
    expect(first.every((r) => r.record.faas?.coldstart === true)).toBe(true);
    const report = first.find((r) => r.record.aws.lambda?.line_type === 'report');
    expect(report?.record.aws.lambda?.report?.init_duration_ms).toBe(487.9);
    expect(report?.record.event.kind).toBe('metric');
  });

  it('keeps JSON app fields under app and never at the root', () => {
    const { records } = transformPayload(payloadOf(['{"level":30,"time":1779530400000,"msg":"hi","log":"shadow","cloud":"x"}\n']), options());

    const record = records[0]!.record;
    expect(record.app).toEqual({ log: 'shadow', cloud: 'x' });
    expect(record.log.level).toBe('info');
    expect(record.cloud.provider).toBe('aws');
  });

  it('gives no faas fields to a log group that is not a Lambda function', () => {
    const { records } = transformPayload(payloadOf(['hello\n'], { logGroup: 'API-Gateway-Execution-Logs_abc/dev' }), options());

    expect(records[0]?.record.faas).toBeUndefined();
    expect(records[0]?.record.aws.lambda).toBeUndefined();
  });

  it('drops filtered events, counts them, and still tracks their invocation', () => {
    const filter = createFilter({ exclude: /^START /, minLevel: 'info' });
    const payload = payloadOf([`START RequestId: ${rid(4)} Version: $LATEST\n`, 'kept\n', `2026-11-23T10:00:00.000Z\t${rid(4)}\tDEBUG\tnoise\n`]);

    const { records, filtered } = transformPayload(payload, options({ filter }));

    expect(filtered).toBe(2);
    expect(records.map((r) => r.record.message)).toEqual(['kept']);
    expect(records[0]?.record.faas?.execution).toBe(rid(4));
  });

  it('redacts before rendering the JSON that is shipped', () => {
    const redactor = createRedactor([builtInRules.email]);

    const { records } = transformPayload(payloadOf(['{"msg":"mail a@b.io","to":"c@d.org"}\n']), options({ redactor }));

    expect(records[0]?.json).not.toMatch(/a@b\.io|c@d\.org/);
    expect(records[0]?.record.app).toEqual({ to: '[REDACTED:email]' });
  });

  it('marks only the truncated record, not the others of the same level', () => {
    const { records } = transformPayload(payloadOf(['short\n', 'x'.repeat(5000), 'also short\n']), options({ maxMessageBytes: 1000 }));

    expect(records.map((r) => JSON.parse(r.json).log)).toEqual([
      { level: 'info' },
      { level: 'info', truncated: true, original_bytes: 5000 },
      { level: 'info' },
    ]);
  });

  it('truncates an oversized message visibly and counts it', () => {
    const { records, truncated } = transformPayload(payloadOf(['x'.repeat(5000)]), options({ maxMessageBytes: 1000 }));

    expect(truncated).toBe(1);
    expect(records[0]!.record.message).toMatch(/…\[truncated: 5000 bytes\]$/);
    expect(records[0]!.record.log).toMatchObject({ truncated: true, original_bytes: 5000 });
    expect(records[0]!.bytes).toBe(Buffer.byteLength(records[0]!.json));
  });
});
