import { existsSync, mkdtempSync, readFileSync, rmSync, } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEvent, type DecodedPayload } from '../../forwarder/src/decode.js';
import type { LogRecord } from '../../forwarder/src/record.js';
import { createLambdaRuntime, type LambdaRuntime } from '../../local/lambda/index.js';
import { createLogPipeline, type LogPipeline } from '../../local/logs/pipeline.js';
import type { FunctionSpec, InvokeResult, Invoker, StackSettings, SubscriptionSpec } from '../../local/model.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const forwarderName = 'log-forwarder-test-forwarder';
const forwarderGroup = `/aws/lambda/${forwarderName}`;
const group = (name: string) => `/aws/lambda/auth-service-test-${name}`;
const stream = (hex: string) => `2026/11/23/[$LATEST]${hex.repeat(32).slice(0, 32)}`;

/** Bundles the forwarder as serverless.yml does (ESM .mjs, require banner). */
async function buildForwarder(dir: string): Promise<string> {
  const outfile = path.join(dir, 'forwarder', 'handler.mjs');
  await build({
    entryPoints: [path.join(root, 'forwarder/src/handler.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    tsconfig: path.join(root, 'tsconfig.json'),
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  return outfile;
}

/** Retries `read` until it returns something, for at most `ms`. */
async function eventually<T>(read: () => T | undefined, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Row {
  event_id: string;
  level: string;
  function: string | null;
  request_id: string | null;
  log_group: string;
  log_stream: string;
  message: string;
  record: string;
}

describe('local log pipeline with the real forwarder', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'local-logs-'));
  const dbFile = path.join(dir, 'logs.db');
  const settings: StackSettings = { region: 'us-east-1', accountId: '000000000000', stage: 'test', stateDir: path.join(dir, 'state') };
  const subscriptions: SubscriptionSpec[] = [
    { logGroup: group('hello'), filterPattern: '', functionName: forwarderName },
    { logGroup: group('filtered'), filterPattern: '?ERROR ?REPORT', functionName: forwarderName },
    { logGroup: group('echo'), filterPattern: '', functionName: forwarderName },
    // A spec that subscribes the forwarder to itself: refused, or every line would loop.
    { logGroup: forwarderGroup, filterPattern: '', functionName: forwarderName },
  ];
  const payloads: DecodedPayload[] = [];
  const errors: unknown[] = [];
  let runtime: LambdaRuntime;
  let pipeline: LogPipeline;
  let db: DatabaseSync | undefined;

  const rows = (where: string, ...params: string[]): Row[] => {
    if (!db) {
      if (!existsSync(dbFile)) return [];
      // node:sqlite waits for no lock unless told: wait out the forwarder's writes as a reader should.
      db = new DatabaseSync(dbFile, { readOnly: true, timeout: 5000 });
    }
    try {
      return db.prepare(`SELECT * FROM logs WHERE ${where} ORDER BY event_id`).all(...params) as unknown as Row[];
    } catch (error) {
      // The forwarder creates the file, then the table, on its first cold start.
      if (String(error).includes('no such table')) return [];
      throw error;
    }
  };
  const rowsOf = (logStream: string, count: number) =>
    eventually(() => {
      const found = rows('log_stream = ?', logStream);
      return found.length >= count ? found : undefined;
    }, `${count} rows of ${logStream}`);

  beforeAll(async () => {
    const forwarder: FunctionSpec = {
      service: 'log-forwarder',
      key: 'forwarder',
      name: forwarderName,
      handlerFile: await buildForwarder(dir),
      handlerExport: 'handler',
      environment: { LOG_SINK: `sqlite:${dbFile}`, STAGE: 'test', LOG_LEVEL: 'info' },
      timeoutSeconds: 30,
      memoryMb: 1024,
      logGroup: forwarderGroup,
    };
    const echo: FunctionSpec = {
      service: 'auth-service',
      key: 'echo',
      name: 'auth-service-test-echo',
      handlerFile: fileURLToPath(new URL('../fixtures/local-lambda/echo.mjs', import.meta.url)),
      handlerExport: 'handler',
      environment: {},
      timeoutSeconds: 5,
      memoryMb: 256,
      logGroup: group('echo'),
    };
    // Every payload the pipeline sends is decoded here on its way to the real forwarder.
    const decoding = (runtimeInvoker: Invoker): Invoker => ({
      invoke(name, event, options): Promise<InvokeResult> {
        const decoded = decodeEvent(event);
        if (decoded.kind === 'data') payloads.push(decoded.payload);
        return runtimeInvoker.invoke(name, event, options);
      },
    });
    runtime = await createLambdaRuntime({
      functions: [forwarder, echo],
      settings,
      logs: (runtimeInvoker) => (pipeline = createLogPipeline({ subscriptions, invoker: decoding(runtimeInvoker), settings, flushMs: 100, onError: (error) => errors.push(error) })),
      baseEnv: {},
      report: (message) => errors.push(message),
    });
  });
  afterAll(async () => {
    await pipeline?.close();
    await runtime?.drain();
    await runtime?.close();
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ships START, a pino line, a console line and REPORT into SQLite with their invocation and metrics', async () => {
    const requestId = '5f0c3a2e-8b1d-4c6e-9a7f-2d4b6c8e0a1f';
    const logStream = stream('a1');
    const now = Date.now();
    const messages = [
      `START RequestId: ${requestId} Version: $LATEST\n`,
      `{"level":30,"time":"2026-11-23T10:00:00.010Z","service":"auth-service","stage":"test","requestId":"${requestId}","msg":"profile read"}\n`,
      `2026-11-23T10:00:00.020Z\t${requestId}\tERROR\tprofile store slow\n`,
      `END RequestId: ${requestId}\n`,
      `REPORT RequestId: ${requestId}\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 256 MB\tMax Memory Used: 70 MB\tInit Duration: 150.50 ms\t\n`,
    ];

    messages.forEach((message, index) => pipeline.write({ logGroup: group('hello'), logStream, timestamp: now + index, message }));
    const stored = await rowsOf(logStream, messages.length);

    expect(stored).toHaveLength(5);
    expect(stored.map((row) => row.request_id)).toEqual(Array(5).fill(requestId));
    expect(stored.map((row) => row.function)).toEqual(Array(5).fill('auth-service-test-hello'));
    expect(stored.map((row) => row.level)).toEqual(['info', 'info', 'error', 'info', 'info']);
    const records = stored.map((row) => JSON.parse(row.record) as LogRecord);
    expect(records[1]).toMatchObject({ message: 'profile read', log: { level: 'info' }, faas: { execution: requestId } });
    expect(records[2]).toMatchObject({ message: 'profile store slow', log: { level: 'error' }, faas: { execution: requestId } });
    expect(records[4]!.aws.lambda?.report).toEqual({ duration_ms: 12.34, billed_duration_ms: 13, memory_size_mb: 256, max_memory_used_mb: 70, init_duration_ms: 150.5 });
  });

  it('sends only the lines that match the subscription filter pattern', async () => {
    const logStream = stream('b2');
    const now = Date.now();
    const messages = ['START RequestId: 1 Version: $LATEST\n', '2026-11-23T10:00:00.020Z\tx\tINFO\tnot this one\n', '2026-11-23T10:00:00.030Z\tx\tERROR\tthis one\n', 'REPORT RequestId: 1\tDuration: 1.00 ms\t\n'];

    messages.forEach((message, index) => pipeline.write({ logGroup: group('filtered'), logStream, timestamp: now + index, message }));
    const stored = await rowsOf(logStream, 2);
    await pipeline.flush();

    expect(stored.map((row) => row.message)).toEqual(['this one', 'REPORT RequestId: 1\tDuration: 1.00 ms']);
    const sent = payloads.filter((payload) => payload.logStream === logStream).flatMap((payload) => payload.logEvents.map((event) => event.message));
    expect(sent).toEqual([messages[2], messages[3]]);
  });

  it("forwards a function's own lines end to end and never the forwarder's log group", async () => {
    const { requestId } = await runtime.invoke('auth-service-test-echo', { hello: 'logs' });

    const stored = await eventually(() => {
      const found = rows('request_id = ?', requestId);
      return found.some((row) => row.message.startsWith('REPORT')) ? found : undefined;
    }, `the REPORT row of ${requestId}`);

    expect(stored.map((row) => row.message.split(' ')[0])).toEqual(['START', 'END', 'REPORT']);
    const report = JSON.parse(stored[2]!.record) as LogRecord;
    expect(report.aws.lambda?.report).toMatchObject({ memory_size_mb: 256, init_duration_ms: expect.any(Number), duration_ms: expect.any(Number) });
    // The forwarder's own lines reach the pipeline (its file has them) but are never sent anywhere.
    const forwarderFile = path.join(settings.stateDir, 'cloudwatch', 'aws_lambda_log-forwarder-test-forwarder.log');
    expect(readFileSync(forwarderFile, 'utf8')).toMatch(/START RequestId: /);
    expect(payloads.some((payload) => payload.logGroup === forwarderGroup)).toBe(false);
    expect(rows('log_group = ?', forwarderGroup)).toEqual([]);
    expect(errors.map(String)).toEqual([expect.stringContaining(`not subscribing ${forwarderGroup}`)]);
  });

  it('delivers payloads that decode as CloudWatch Logs subscription events, ids increasing per stream', async () => {
    await pipeline.flush();

    expect(payloads.length).toBeGreaterThan(0);
    const lastId = new Map<string, bigint>();
    for (const payload of payloads) {
      expect(payload).toMatchObject({ messageType: 'DATA_MESSAGE', owner: '000000000000', subscriptionFilters: [expect.any(String)] });
      expect(subscriptions.some((subscription) => subscription.logGroup === payload.logGroup)).toBe(true);
      for (const event of payload.logEvents) {
        expect(event.id).toMatch(/^\d{56}$/);
        const id = BigInt(event.id);
        expect(id >> 144n).toBe(BigInt(event.timestamp));
        const key = `${payload.logGroup} ${payload.logStream}`;
        expect(id > (lastId.get(key) ?? 0n)).toBe(true);
        lastId.set(key, id);
      }
    }
  });
});

describe('local log pipeline batching', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'local-logs-batch-'));
  const settings: StackSettings = { region: 'us-east-1', accountId: '000000000000', stage: 'test', stateDir: dir };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A pipeline whose destination keeps what it is sent, decoded. */
  function recordingPipeline(flushMs = 60_000) {
    const sent: Array<{ functionName: string; invocationType?: string; payload: DecodedPayload }> = [];
    const invoker: Invoker = {
      async invoke(functionName, event, options) {
        const decoded = decodeEvent(event);
        if (decoded.kind === 'data') sent.push({ functionName, invocationType: options?.invocationType, payload: decoded.payload });
        return { requestId: 'recorded' };
      },
    };
    const pipeline = createLogPipeline({ subscriptions: [{ logGroup: '/aws/lambda/app', filterPattern: '', functionName: 'forwarder' }], invoker, settings, flushMs, files: false });
    return { pipeline, sent };
  }

  it('splits a stream into payloads of at most 10,000 events, one stream per payload, as Event invocations', async () => {
    const { pipeline, sent } = recordingPipeline();

    for (let index = 0; index < 10_001; index += 1) pipeline.write({ logGroup: '/aws/lambda/app', logStream: 's1', timestamp: 1_800_000_000_000 + index, message: `line ${index}\n` });
    pipeline.write({ logGroup: '/aws/lambda/app', logStream: 's2', timestamp: 1_800_000_000_000, message: 'other stream\n' });
    pipeline.write({ logGroup: '/aws/lambda/unsubscribed', logStream: 's1', timestamp: 1_800_000_000_000, message: 'not subscribed\n' });
    await pipeline.close();

    // Streams are delivered independently; within a stream, in order.
    const byStream = sent.map(({ payload }) => [payload.logStream, payload.logEvents.length]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(byStream).toEqual([
      ['s1', 10_000],
      ['s1', 1],
      ['s2', 1],
    ]);
    expect(sent.every(({ functionName, invocationType }) => functionName === 'forwarder' && invocationType === 'Event')).toBe(true);
    expect(sent.filter(({ payload }) => payload.logStream === 's1')[1]!.payload.logEvents[0]!.message).toBe('line 10000\n');
  });

  it('starts a new payload before one would pass about 1 MB', async () => {
    const { pipeline, sent } = recordingPipeline();
    const big = `${'x'.repeat(400 * 1024)}\n`;

    for (let index = 0; index < 5; index += 1) pipeline.write({ logGroup: '/aws/lambda/app', logStream: 's1', timestamp: 1_800_000_000_000 + index, message: big });
    await pipeline.flush();

    expect(sent.map(({ payload }) => payload.logEvents.length)).toEqual([2, 2, 1]);
  });

  it('sends a batch on its own within flushMs of its first line', async () => {
    const { pipeline, sent } = recordingPipeline(20);

    pipeline.write({ logGroup: '/aws/lambda/app', logStream: 's1', timestamp: Date.now(), message: 'soon\n' });
    const payload = await eventually(() => sent[0]?.payload, 'the timed flush', 5_000);
    await pipeline.close();

    expect(payload.logEvents.map((event) => event.message)).toEqual(['soon\n']);
  });
});
