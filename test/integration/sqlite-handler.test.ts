import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { handler as Handler } from '../../forwarder/src/handler.js';
import { lambdaContext, logsFixture, payloadOf, toSubscriptionEvent } from '../helpers/fixtures.js';

type HandlerFn = typeof Handler;

/** Imports the real handler module with `env` as its cold-start environment. */
async function coldStart(env: Record<string, string>): Promise<HandlerFn> {
  vi.resetModules();
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
  const module = await import('../../forwarder/src/handler.js');
  vi.unstubAllEnvs();
  return module.handler;
}

const invoke = (handler: HandlerFn, event: unknown) => handler(event as Parameters<HandlerFn>[0], lambdaContext() as Parameters<HandlerFn>[1]);

describe('forwarder handler with the SQLite sink', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'forwarder-'));
  const file = path.join(dir, 'logs.db');
  let handler: HandlerFn;
  let db: DatabaseSync;
  const count = () => (db.prepare('SELECT count(*) AS n FROM logs').get() as { n: number }).n;

  beforeAll(async () => {
    handler = await coldStart({ LOG_SINK: `sqlite:${file}`, STAGE: 'dev', AWS_REGION: 'us-east-1', AWS_LAMBDA_FUNCTION_NAME: 'log-forwarder-dev-forwarder', LOG_LEVEL: 'silent' });
    await invoke(handler, toSubscriptionEvent(payloadOf(['warm up\n'], { logGroup: '/aws/lambda/warmup' })));
    db = new DatabaseSync(file, { readOnly: true, timeout: 5000 });
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores one row per event with its searchable columns', async () => {
    const payload = logsFixture('platform-text');
    const before = count();

    const summary = await invoke(handler, toSubscriptionEvent(payload));

    expect(summary.shipped).toBe(payload.logEvents.length);
    expect(count() - before).toBe(payload.logEvents.length);
    const report = db.prepare("SELECT * FROM logs WHERE message LIKE 'REPORT RequestId: 0b7e9c4d%'").get() as Record<string, string>;
    expect(report).toMatchObject({ level: 'info', function: 'auth-service-dev-hello', request_id: '0b7e9c4d-1f2a-4b3c-8d5e-6f7a8b9c0d1e', trace_id: '1-66433733-5f2c7e3b9a1d4c8e2b6f0a17', service: 'auth-service' });
    expect(JSON.parse(report.record!).aws.lambda.report.duration_ms).toBe(52.31);
  });

  it('adds nothing when the same event is delivered again', async () => {
    const event = toSubscriptionEvent(logsFixture('pino'));
    await invoke(handler, event);
    const before = count();

    await invoke(handler, event);

    expect(count()).toBe(before);
  });

  it('finds messages through the full-text index', async () => {
    await invoke(handler, toSubscriptionEvent(logsFixture('python-text')));

    const hits = db.prepare("SELECT l.message FROM logs_fts f JOIN logs l ON l.rowid = f.rowid WHERE logs_fts MATCH 'Cognito AND retrying'").all();

    expect(hits).toEqual([{ message: 'Retrying Cognito call (attempt 2)' }]);
  });

  it('acknowledges a control message and stores nothing', async () => {
    const before = count();

    await expect(invoke(handler, toSubscriptionEvent(logsFixture('control-message')))).resolves.toMatchObject({ outcome: 'control' });
    expect(count()).toBe(before);
  });

  it('never forwards its own log group', async () => {
    const before = count();

    const summary = await invoke(handler, toSubscriptionEvent(payloadOf(['loop?\n'], { logGroup: '/aws/lambda/log-forwarder-dev-forwarder' })));

    expect(summary.outcome).toBe('own-log-group');
    expect(count()).toBe(before);
  });

  it('refuses a malformed event with a clear error, so it stays in the failure queue', async () => {
    await expect(invoke(handler, { awslogs: { data: 'bm90IGd6aXA=' } })).rejects.toThrow('awslogs.data is not base64-encoded gzip');
  });
});

describe('forwarder handler configuration', () => {
  it('fails every invocation with the sink error when LOG_SINK names no sink', async () => {
    const handler = await coldStart({ LOG_SINK: 'ftp://example.test/logs', LOG_LEVEL: 'silent' });

    await expect(invoke(handler, toSubscriptionEvent(payloadOf(['x\n'])))).rejects.toThrow(/LOG_SINK: unknown sink "ftp:"/);
  });

  it('fails the cold start naming the variable when LOG_SINK is missing', async () => {
    vi.stubEnv('LOG_SINK', '');

    await expect(coldStart({})).rejects.toThrow('LOG_SINK: is required but not set');
  });
});
