import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../forwarder/src/config.js';
import { integer, requiredString, traceRoot } from '../../shared/config.js';
import { ConfigError, HttpError } from '../../shared/errors.js';
import { errorResponse } from '../../shared/http.js';
import { createLogger, invocationLogger } from '../../shared/logger.js';

describe('forwarder configuration', () => {
  it('reads defaults with only LOG_SINK set', () => {
    const config = loadConfig({ LOG_SINK: 'sqlite:.local/logs.db' });

    expect(config).toMatchObject({ sink: 'sqlite:.local/logs.db', concurrency: 4, sinkGzip: true, redaction: [], limits: {} });
  });

  it.each([
    [{}, 'LOG_SINK: is required but not set'],
    [{ LOG_SINK: 'x', LOG_SINK_CONCURRENCY: 'many' }, 'LOG_SINK_CONCURRENCY: must be an integer'],
    [{ LOG_SINK: 'x', LOG_SINK_CONCURRENCY: '0' }, 'LOG_SINK_CONCURRENCY: must be between 1 and 64'],
    [{ LOG_SINK: 'x', LOG_INCLUDE_PATTERN: '(' }, 'LOG_INCLUDE_PATTERN: is not a valid regular expression'],
    [{ LOG_SINK: 'x', LOG_MIN_LEVEL: 'loud' }, 'LOG_MIN_LEVEL: must be one of trace, debug, info, warn, error, fatal'],
    [{ LOG_SINK: 'x', LOG_REDACT: 'email,phone' }, 'LOG_REDACT: unknown rule "phone"'],
    [{ LOG_SINK: 'x', LOG_REDACT_RULES: '{' }, 'LOG_REDACT_RULES: must be a JSON array'],
    [{ LOG_SINK: 'x', LOG_REDACT_RULES: '[{"name":"n"}]' }, 'LOG_REDACT_RULES: 0.pattern'],
    [{ LOG_SINK: 'x', LOG_REDACT_RULES: '[{"name":"n","pattern":"p","flag":"i"}]' }, 'LOG_REDACT_RULES: 0.flag: unknown key'],
    [{ LOG_SINK: 'x', LOG_REDACT_RULES: '[{"name":"n","pattern":"p","flags":"g"}]' }, 'LOG_REDACT_RULES: 0.flags: flags may only hold i, m, s and u'],
    [{ LOG_SINK: 'x', LOG_REDACT_RULES: '{"name":"n"}' }, 'LOG_REDACT_RULES: value: expected an array'],
    [{ LOG_SINK: 'x', LOG_REDACT_RULES: '[{"name":"n","pattern":"("}]' }, 'LOG_REDACT_RULES: rule "n" has an invalid pattern'],
  ])('names the variable at fault (%o)', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads the failure and dead-letter queues, and refuses what is not a queue URL', () => {
    const url = 'https://sqs.eu-west-1.amazonaws.com/123456789012/log-forwarder-prod-failures';
    const dlq = 'https://sqs.eu-west-1.amazonaws.com/123456789012/log-forwarder-prod-dead-letters';

    expect(loadConfig({ LOG_SINK: 'sqlite:x.db' }).failureQueue).toBeUndefined();
    expect(loadConfig({ LOG_SINK: 'sqlite:x.db', FAILURE_QUEUE_URL: url, DEAD_LETTER_QUEUE_URL: dlq }).failureQueue).toEqual({
      failureQueueUrl: url,
      deadLetterQueueUrl: dlq,
      maxMessageBytes: 256 * 1024,
    });
    expect(() => loadConfig({ LOG_SINK: 'sqlite:x.db', DEAD_LETTER_QUEUE_URL: dlq })).toThrow(/DEAD_LETTER_QUEUE_URL: needs FAILURE_QUEUE_URL too/);
    expect(() => loadConfig({ LOG_SINK: 'sqlite:x.db', FAILURE_QUEUE_URL: 'arn:aws:sqs:eu-west-1:123456789012:q' })).toThrow(/FAILURE_QUEUE_URL: must be an SQS queue URL/);
    expect(() => loadConfig({ LOG_SINK: 'sqlite:x.db', FAILURE_QUEUE_URL: url, FAILURE_QUEUE_MESSAGE_BYTES: '2000000' })).toThrow(/FAILURE_QUEUE_MESSAGE_BYTES/);
  });

  it('retries for 20 s before parking when there is a failure queue, and for the whole invocation without one', () => {
    const url = 'https://sqs.eu-west-1.amazonaws.com/123456789012/log-forwarder-prod-parked';

    expect(loadConfig({ LOG_SINK: 'sqlite:x.db', FAILURE_QUEUE_URL: url }).retryWindowMs).toBe(20_000);
    expect(loadConfig({ LOG_SINK: 'sqlite:x.db', FAILURE_QUEUE_URL: url, LOG_RETRY_WINDOW_MS: '5000' }).retryWindowMs).toBe(5_000);
    expect(loadConfig({ LOG_SINK: 'sqlite:x.db' }).retryWindowMs).toBeUndefined();
  });

  it('compiles built-in and custom redaction rules', () => {
    const config = loadConfig({ LOG_SINK: 'x', LOG_REDACT: 'all', LOG_REDACT_RULES: '[{"name":"card","pattern":"\\\\d{16}"}]' });

    expect(config.redaction.map((r) => r.name)).toEqual(['email', 'ip', 'bearer', 'aws-secret', 'card']);
    expect('pay 4111111111111111'.replace(config.redaction[4]!.pattern, config.redaction[4]!.replacement)).toBe('pay [REDACTED:card]');
  });
});

describe('shared config helpers', () => {
  it('reads integers within bounds and required strings', () => {
    expect(integer({ N: ' 7 ' }, 'N', 1, { min: 1, max: 9 })).toBe(7);
    expect(integer({}, 'N', 3)).toBe(3);
    expect(() => requiredString({ S: '  ' }, 'S')).toThrow('S: is required but not set');
  });

  it('extracts the X-Ray root from a trace header', () => {
    expect(traceRoot('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1')).toBe('1-5759e988-bd862e3fe1be46a994272793');
    expect(traceRoot('Parent=1')).toBeUndefined();
  });
});

describe('shared logger', () => {
  it('writes JSON with base fields, request and trace ids, and redacts secrets', () => {
    const lines: string[] = [];
    const destination = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const root = createLogger({ service: 'auth-service', stage: 'dev', functionName: 'auth-service-dev-hello', destination });
    const env = { _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1' };

    invocationLogger(root, { awsRequestId: 'req-1' }, env).info({ password: 'p', headers: { authorization: 'Bearer x' }, user: { idToken: 't' } }, 'signed in');

    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: 30, service: 'auth-service', stage: 'dev', function: 'auth-service-dev-hello', requestId: 'req-1', traceId: '1-5759e988-bd862e3fe1be46a994272793', msg: 'signed in' });
    expect(line.password).toBe('[REDACTED]');
    expect(line.headers.authorization).toBe('[REDACTED]');
    expect(line.user.idToken).toBe('[REDACTED]');
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});

describe('shared http errors', () => {
  it('shows an exposed message and hides anything else behind a generic 500', () => {
    expect(JSON.parse(errorResponse(new HttpError(403, 'not your profile', { code: 'Forbidden' })).body)).toEqual({ error: 'Forbidden', message: 'not your profile' });
    const hidden = errorResponse(new Error('db password is hunter2'));
    expect(hidden.statusCode).toBe(500);
    expect(hidden.body).not.toContain('hunter2');
  });
});
