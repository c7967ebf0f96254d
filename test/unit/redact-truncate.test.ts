import { describe, expect, it } from 'vitest';
import { builtInRules, createRedactor } from '../../forwarder/src/redact.js';
import type { LogRecord } from '../../forwarder/src/record.js';
import { truncateRecord } from '../../forwarder/src/truncate.js';

const recordWith = (message: string, extra: Partial<LogRecord> = {}): LogRecord => ({
  '@timestamp': '2026-11-23T10:00:00.000Z',
  message,
  log: { level: 'info' },
  event: { id: '1', kind: 'event' },
  cloud: { provider: 'aws', account: { id: '123456789012' } },
  aws: { cloudwatch: { log_group: 'g', log_stream: 's' } },
  ...extra,
});

describe('redaction', () => {
  const all = createRedactor(Object.values(builtInRules))!;

  it.each([
    ['an email', 'user jane.doe+x@example.co.uk signed up', 'user [REDACTED:email] signed up'],
    ['an IPv4 address', 'from 203.0.113.42:443', 'from [REDACTED:ip]:443'],
    ['an IPv6 address', 'from 2001:db8::8a2e:370:7334 now', 'from [REDACTED:ip] now'],
    ['a bearer token', 'Authorization: Bearer eyJhbGciOi.J9.abc-_', 'Authorization: Bearer [REDACTED]'],
    ['an AWS secret key', 'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key=[REDACTED:aws-secret]'],
  ])('replaces %s', (_name, input, expected) => {
    const record = recordWith(input);

    all(record);

    expect(record.message).toBe(expected);
  });

  it('leaves versions, times and bare hashes alone', () => {
    const text = 'v1.2.3 at 10:20:30 sha da39a3ee5e6b4b0d3255bfef95601890afd80709';
    const record = recordWith(text);

    all(record);

    expect(record.message).toBe(text);
  });

  it('redacts error fields and strings nested in app', () => {
    const record = recordWith('x', {
      error: { message: 'no user a@b.io', stack_trace: 'at a@b.io' },
      app: { user: { email: 'a@b.io', tags: ['c@d.io', 3] } },
    });

    createRedactor([builtInRules.email])!(record);

    expect(record.error).toEqual({ message: 'no user [REDACTED:email]', stack_trace: 'at [REDACTED:email]' });
    expect(record.app).toEqual({ user: { email: '[REDACTED:email]', tags: ['[REDACTED:email]', 3] } });
  });

  it('is absent when no rule is configured', () => {
    expect(createRedactor([])).toBeUndefined();
  });
});

describe('truncateRecord', () => {
  it('leaves a message within the limit untouched', () => {
    const record = recordWith('short');

    expect(truncateRecord(record, 100)).toBe(false);
    expect(record.log.truncated).toBeUndefined();
  });

  it('cuts at a character boundary and stays within the byte limit', () => {
    const record = recordWith('é'.repeat(1000));

    truncateRecord(record, 301);

    expect(Buffer.byteLength(record.message)).toBeLessThanOrEqual(301);
    expect(record.message).not.toContain('\uFFFD');
    expect(record.message).toMatch(/^é+…\[truncated: 2000 bytes\]$/);
    expect(record.log).toMatchObject({ truncated: true, original_bytes: 2000 });
  });

  it('also shortens a huge stack trace', () => {
    const record = recordWith('boom', { error: { stack_trace: 'at x\n'.repeat(1000) } });

    expect(truncateRecord(record, 500)).toBe(true);
    expect(Buffer.byteLength(record.error!.stack_trace!)).toBeLessThanOrEqual(500);
    expect(record.message).toBe('boom');
  });
});
