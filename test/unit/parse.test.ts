import { describe, expect, it } from 'vitest';
import { parseLine } from '../../forwarder/src/parse/index.js';
import { normalizeLevel } from '../../forwarder/src/parse/levels.js';
import { isoFromEpochMs, normalizeTime } from '../../forwarder/src/parse/time.js';
import { logsFixture } from '../helpers/fixtures.js';

const requestId = '8f2c4a1e-3b7d-4e9a-a5c6-1d2e3f4a5b6c';

describe('parseLine: Node.js runtime text format', () => {
  it('takes time, request id and level from the prefix and keeps the rest as the message', () => {
    const line = parseLine(`2024-05-14T09:21:07.341Z\t${requestId}\tWARN\tToken endpoint slow: 221 ms\n`);

    expect(line).toMatchObject({
      kind: 'app',
      level: 'warn',
      time: '2024-05-14T09:21:07.341Z',
      requestId,
      message: 'Token endpoint slow: 221 ms',
    });
  });

  it('treats the request id "undefined" printed during init as no request id', () => {
    const line = parseLine('2024-05-14T09:21:07.030Z\tundefined\tINFO\tLoading config for stage dev\n');

    expect(line.requestId).toBeUndefined();
    expect(line.message).toBe('Loading config for stage dev');
  });

  it('reads an Invoke Error into ECS error fields and keeps the full text', () => {
    const body = JSON.stringify({ errorType: 'TypeError', errorMessage: 'x is undefined', stack: ['TypeError: x is undefined', '    at handler (/var/task/index.js:3:9)'] });
    const line = parseLine(`2024-05-14T09:21:07.513Z\t${requestId}\tERROR\tInvoke Error \t${body}\n`);

    expect(line.level).toBe('error');
    expect(line.error).toEqual({
      type: 'TypeError',
      message: 'x is undefined',
      stack_trace: 'TypeError: x is undefined\n    at handler (/var/task/index.js:3:9)',
    });
    expect(line.message).toContain('Invoke Error');
  });

  it('parses a JSON body logged through console.log as structured fields', () => {
    const line = parseLine(`2024-05-14T09:21:07.513Z\t${requestId}\tINFO\t{"msg":"saved","userId":"u-1"}\n`);

    expect(line).toMatchObject({ level: 'info', message: 'saved', requestId, fields: { userId: 'u-1' } });
  });

  it('keeps a multi-line stack trace in one message', () => {
    const event = logsFixture('multiline').logEvents.find((e) => e.message.includes('TokenExpiredError'));

    const line = parseLine(event!.message);

    expect(line.message.split('\n').length).toBeGreaterThan(3);
    expect(line.level).toBe('error');
  });

  it('turns carriage returns inside one event into line breaks', () => {
    const line = parseLine('first\rsecond\r\nthird\n');

    expect(line.message).toBe('first\nsecond\nthird');
  });
});

describe('parseLine: Python runtime text format', () => {
  it('reads the bracketed level, the time and the request id', () => {
    const line = parseLine(`[WARNING]\t2024-05-14T09:30:00.702Z\t${requestId}\tRetrying Cognito call (attempt 2)\n`);

    expect(line).toMatchObject({ level: 'warn', time: '2024-05-14T09:30:00.702Z', requestId, message: 'Retrying Cognito call (attempt 2)' });
  });

  it('accepts an empty request id during init and maps CRITICAL to fatal', () => {
    const line = parseLine('[CRITICAL]\t2024-05-14T09:30:00.412Z\t\tcannot start\n');

    expect(line.requestId).toBeUndefined();
    expect(line.level).toBe('fatal');
  });

  it('reads an uncaught exception without a prefix as an error', () => {
    const line = parseLine('[ERROR] ValueError: missing username\nTraceback (most recent call last):\n  File "/var/task/app.py"');

    expect(line.level).toBe('error');
    expect(line.message).toContain('Traceback');
  });
});

describe('parseLine: platform lines', () => {
  it('reads START with its request id and version', () => {
    const line = parseLine(`START RequestId: ${requestId} Version: $LATEST\n`);

    expect(line).toMatchObject({ kind: 'start', requestId, version: '$LATEST', level: 'info' });
  });

  it('reads every REPORT metric, the cold start duration and the X-Ray trace id', () => {
    const text = `REPORT RequestId: ${requestId}\tDuration: 52.31 ms\tBilled Duration: 53 ms\tMemory Size: 1024 MB\tMax Memory Used: 96 MB\tInit Duration: 487.90 ms\t\nXRAY TraceId: 1-66433733-5f2c7e3b9a1d4c8e2b6f0a17\tSegmentId: 4a7c9e2b1d3f5a68\tSampled: true\t\n`;

    const line = parseLine(text);

    expect(line).toMatchObject({ kind: 'report', requestId, traceId: '1-66433733-5f2c7e3b9a1d4c8e2b6f0a17' });
    expect(line.report).toEqual({
      duration_ms: 52.31,
      billed_duration_ms: 53,
      memory_size_mb: 1024,
      max_memory_used_mb: 96,
      init_duration_ms: 487.9,
    });
  });

  it('marks a REPORT with Status: timeout as an error', () => {
    const line = parseLine(`REPORT RequestId: ${requestId}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms \tMemory Size: 128 MB\tMax Memory Used: 98 MB\tStatus: timeout\n`);

    expect(line.level).toBe('error');
    expect(line.report).toMatchObject({ status: 'timeout', billed_duration_ms: 3000 });
  });

  it('reads "Task timed out" as an error of the invocation', () => {
    const line = parseLine(`2024-05-14T10:02:28.012Z ${requestId} Task timed out after 3.00 seconds\n\n`);

    expect(line).toMatchObject({ kind: 'timeout', level: 'error', requestId, message: 'Task timed out after 3.00 seconds' });
  });

  it('reads a runtime exit as an error with its request id', () => {
    const line = parseLine(`RequestId: ${requestId} Error: Runtime exited with error: signal: killed\nRuntime.ExitError\n`);

    expect(line).toMatchObject({ kind: 'runtime_error', level: 'error', requestId });
  });

  it('recognises INIT_START, END and EXTENSION lines', () => {
    expect(parseLine('INIT_START Runtime Version: nodejs:22.v13\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:abc\n').kind).toBe('init_start');
    expect(parseLine(`END RequestId: ${requestId}\n`)).toMatchObject({ kind: 'end', requestId });
    expect(parseLine('EXTENSION\tName: agent\tState: Ready\tEvents: [INVOKE,SHUTDOWN]\n').kind).toBe('platform');
  });
});

describe('parseLine: Lambda JSON log format', () => {
  const fixture = logsFixture('json-format');

  it('reads platform.report metrics as REPORT does and renders a REPORT-like message', () => {
    const event = fixture.logEvents.find((e) => e.message.includes('"platform.report"'));

    const line = parseLine(event!.message);

    expect(line.kind).toBe('report');
    expect(line.report?.duration_ms).toBeGreaterThan(0);
    expect(line.report?.billed_duration_ms).toBeGreaterThan(0);
    expect(line.report?.memory_size_mb).toBe(1024);
    expect(line.message).toMatch(/^REPORT RequestId: [0-9a-f-]{36}\tDuration: /);
  });

  it('reads platform.start with its trace id from tracing.value', () => {
    const line = parseLine(
      JSON.stringify({
        time: '2024-05-14T11:15:40.411Z',
        type: 'platform.start',
        record: { requestId, version: '$LATEST', tracing: { spanId: 'abc', type: 'X-Amzn-Trace-Id', value: 'Root=1-66433733-5f2c7e3b9a1d4c8e2b6f0a17;Parent=53995c3f42cd8ad8;Sampled=1' } },
      }),
    );

    expect(line).toMatchObject({ kind: 'start', requestId, traceId: '1-66433733-5f2c7e3b9a1d4c8e2b6f0a17', time: '2024-05-14T11:15:40.411Z' });
  });

  it('reads an app record with level, requestId and message', () => {
    const line = parseLine(JSON.stringify({ timestamp: '2024-05-14T11:15:40.640Z', level: 'WARN', requestId, message: 'Token endpoint slow' }));

    expect(line).toMatchObject({ kind: 'app', level: 'warn', requestId, message: 'Token endpoint slow', time: '2024-05-14T11:15:40.640Z' });
    expect(line.fields).toBeUndefined();
  });

  it('reads an error record written with errorType/errorMessage/stackTrace', () => {
    const line = parseLine(JSON.stringify({ timestamp: '2024-05-14T11:15:40.640Z', level: 'ERROR', requestId, message: { errorType: 'Error', errorMessage: 'boom', stackTrace: ['Error: boom', '    at x'] } }));

    expect(line.error).toEqual({ type: 'Error', message: 'boom', stack_trace: 'Error: boom\n    at x' });
    expect(line.message).toBe('Error: boom');
  });
});

describe('parseLine: JSON loggers', () => {
  it('reads pino lines: numeric level, epoch time, msg, err and the rest under fields', () => {
    const line = parseLine(
      '{"level":50,"time":1715688001489,"pid":8,"hostname":"169.254.24.125","requestId":"r-1","traceId":"1-66433733-5f2c7e3b9a1d4c8e2b6f0a17","route":"GET /x","err":{"type":"Error","message":"down","stack":"Error: down\\n    at y"},"msg":"failed"}\n',
    );

    expect(line).toMatchObject({
      kind: 'app',
      level: 'error',
      message: 'failed',
      time: '2024-05-14T12:00:01.489Z',
      requestId: 'r-1',
      traceId: '1-66433733-5f2c7e3b9a1d4c8e2b6f0a17',
      error: { type: 'Error', message: 'down', stack_trace: 'Error: down\n    at y' },
      fields: { pid: 8, hostname: '169.254.24.125', route: 'GET /x' },
    });
  });

  it('reads Powertools lines: xray_trace_id, function_request_id and service', () => {
    const event = logsFixture('powertools').logEvents.find((e) => e.message.includes('"Received request"'));

    const line = parseLine(event!.message);

    expect(line.traceId).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(line.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(line.service).toBeTruthy();
    expect(line.fields).not.toHaveProperty('xray_trace_id');
  });

  it('keeps a level it cannot map under fields and falls back to info', () => {
    const line = parseLine('{"level":"chatty","msg":"hi"}');

    expect(line.level).toBe('info');
    expect(line.fields).toEqual({ level: 'chatty' });
  });

  it('keeps JSON that is not an object as plain text', () => {
    expect(parseLine('{not json').message).toBe('{not json');
    expect(parseLine('{not json').kind).toBe('app');
  });
});

describe('parseLine: plain text', () => {
  it('keeps the text and honours a leading level word', () => {
    expect(parseLine('GET /hello 200 47ms\n')).toEqual({ kind: 'app', level: 'info', message: 'GET /hello 200 47ms' });
    expect(parseLine('ERROR: disk full').level).toBe('error');
    expect(parseLine('[warn] low memory').level).toBe('warn');
  });
});

describe('normalizeLevel and normalizeTime', () => {
  it('maps pino numbers and level names', () => {
    expect([10, 20, 30, 40, 50, 60].map(normalizeLevel)).toEqual(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
    expect(['WARNING', 'Critical', 'err', 'nope'].map(normalizeLevel)).toEqual(['warn', 'fatal', 'error', undefined]);
  });

  it('refuses impossible dates in every form rather than rolling them into the next month', () => {
    expect(normalizeTime('2023-02-30 10:00:00')).toBeUndefined();
    expect(normalizeTime('2023-02-30T10:00:00Z')).toBeUndefined();
    expect(normalizeTime('2024-02-29 10:00:00,123+0000')).toBe('2024-02-29T10:00:00.123Z');
    expect(normalizeTime('2023-02-29T10:00:00Z')).toBeUndefined();
  });

  it('keeps sub-millisecond ISO times and converts epoch seconds, ms and µs', () => {
    expect(normalizeTime('2024-05-14T12:00:01.123456Z')).toBe('2024-05-14T12:00:01.123456Z');
    expect(normalizeTime(1715688001.5)).toBe('2024-05-14T12:00:01.500Z');
    expect(normalizeTime(1715688001500)).toBe('2024-05-14T12:00:01.500Z');
    expect(normalizeTime(1715688001500000)).toBe('2024-05-14T12:00:01.500Z');
    expect(normalizeTime('2023-09-12 05:26:13,295+0000')).toBe('2023-09-12T05:26:13.295Z');
    expect(normalizeTime('yesterday')).toBeUndefined();
    expect(normalizeTime('2024-05-14T14:00:01.500+02:00')).toBe('2024-05-14T12:00:01.500Z');
  });
});

describe('isoFromEpochMs', () => {
  it('matches Date#toISOString across days, years and leap days', () => {
    const samples = [0, 1, 999, 86_399_999, 86_400_000, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2026, 10, 23, 10, 0, 0, 7), 4_102_444_800_000];

    expect(samples.map(isoFromEpochMs)).toEqual(samples.map((ms) => new Date(ms).toISOString()));
  });
});
