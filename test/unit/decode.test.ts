import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeEvent } from '../../forwarder/src/decode.js';
import { DecodeError } from '../../forwarder/src/errors.js';
import { logsFixture, toSubscriptionEvent } from '../helpers/fixtures.js';

describe('decodeEvent', () => {
  it('decodes base64 gzip JSON into the subscription payload', () => {
    const payload = logsFixture('node-text');

    const decoded = decodeEvent(toSubscriptionEvent(payload));

    expect(decoded.kind).toBe('data');
    if (decoded.kind !== 'data') return;
    expect(decoded.payload.logEvents).toHaveLength(payload.logEvents.length);
    expect(decoded.payload.logGroup).toBe('/aws/lambda/auth-service-dev-hello');
    expect(decoded.rawBytes).toBeGreaterThan(decoded.compressedBytes);
  });

  it('acknowledges a CONTROL_MESSAGE without records', () => {
    expect(decodeEvent(toSubscriptionEvent(logsFixture('control-message')))).toEqual({ kind: 'control' });
  });

  it.each([
    ['an event without awslogs', { Records: [] }, /awslogs.data is missing/],
    ['data that is not gzip', { awslogs: { data: Buffer.from('plain').toString('base64') } }, /not base64-encoded gzip/],
    ['gzip that is not JSON', { awslogs: { data: gzipSync('nope').toString('base64') } }, /does not hold JSON/],
    ['JSON without logEvents', toSubscriptionEvent({ messageType: 'DATA_MESSAGE', owner: '1', logGroup: 'g', logStream: 's', subscriptionFilters: [] }), /logEvents/],
    ['an unknown message type', toSubscriptionEvent({ ...logsFixture('node-text'), messageType: 'OTHER' }), /unknown messageType "OTHER"/],
  ])('refuses %s with a DecodeError that says why', (_name, event, message) => {
    expect(() => decodeEvent(event)).toThrow(DecodeError);
    expect(() => decodeEvent(event)).toThrow(message);
  });
});
