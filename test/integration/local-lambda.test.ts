import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlatformText } from '../../forwarder/src/parse/platform.js';
import { createLambdaRuntime, startInvokeApi, type InvokeApi, type LambdaRuntime } from '../../local/lambda/index.js';
import type { FunctionSpec, LogLine, StackSettings } from '../../local/model.js';

const fixtures = fileURLToPath(new URL('../fixtures/local-lambda/', import.meta.url));
const isoTime = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function spec(name: string, fixture: string, overrides: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    service: 'auth-service',
    key: name,
    name: `auth-service-test-${name}`,
    handlerFile: path.join(fixtures, `${fixture}.mjs`),
    handlerExport: 'handler',
    environment: { TABLE_NAME: 'profiles-test', STAGE: 'test' },
    timeoutSeconds: 10,
    memoryMb: 256,
    logGroup: `/aws/lambda/auth-service-test-${name}`,
    ...overrides,
  };
}

const functions = [
  spec('echo', 'echo'),
  spec('cold', 'echo'),
  spec('console', 'console'),
  spec('throws', 'throws'),
  spec('failsAsync', 'throws'),
  spec('sleeps', 'sleeps', { timeoutSeconds: 1 }),
  spec('callback', 'callback'),
  spec('environment', 'environment', { memoryMb: 512, timeoutSeconds: 6 }),
  spec('crash', 'crash'),
  spec('slow', 'slow'),
];
const nameOf = (key: string) => `auth-service-test-${key}`;

describe('local Lambda runtime', () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'local-lambda-'));
  const settings: StackSettings = { region: 'us-east-1', accountId: '000000000000', stage: 'test', stateDir };
  const baseEnv = { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' };
  const lines: LogLine[] = [];
  const reports: string[] = [];
  let runtime: LambdaRuntime;
  let api: InvokeApi;
  let client: LambdaClient;

  /** Every line of the log stream in which `requestId` ran, in order. */
  const streamOf = (requestId: string) => {
    const start = lines.find((line) => line.message.startsWith(`START RequestId: ${requestId} `));
    if (!start) throw new Error(`no START line for ${requestId}`);
    return lines.filter((line) => line.logStream === start.logStream && line.logGroup === start.logGroup);
  };
  /** The lines from `requestId`'s START to its REPORT. */
  const invocationLines = (requestId: string) => {
    const stream = streamOf(requestId).map((line) => line.message);
    const first = stream.findIndex((message) => message.startsWith(`START RequestId: ${requestId} `));
    const last = stream.findIndex((message) => message.startsWith(`REPORT RequestId: ${requestId}\t`));
    return stream.slice(first, last + 1);
  };

  beforeAll(async () => {
    runtime = await createLambdaRuntime({
      functions,
      settings,
      logs: () => ({ write: (line) => lines.push(line) }),
      baseEnv,
      asyncRetryDelaysMs: [20, 20],
      report: (message) => reports.push(message),
    });
    api = await startInvokeApi(runtime, { host: '127.0.0.1' });
    client = new LambdaClient({
      endpoint: api.endpoint,
      region: settings.region,
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    });
  });
  afterAll(async () => {
    client?.destroy();
    await api?.close();
    await runtime?.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  describe('the Invoke API', () => {
    it('answers a RequestResponse invocation from @aws-sdk/client-lambda with the handler result', async () => {
      const answer = await client.send(new InvokeCommand({ FunctionName: nameOf('echo'), Payload: Buffer.from(JSON.stringify({ hello: 'world' })) }));

      expect(answer.StatusCode).toBe(200);
      expect(answer.ExecutedVersion).toBe('$LATEST');
      expect(answer.FunctionError).toBeUndefined();
      const payload = JSON.parse(Buffer.from(answer.Payload!).toString('utf8')) as { echo: unknown; requestId: string };
      expect(payload.echo).toEqual({ hello: 'world' });
      expect(payload.requestId).toMatch(uuid);
    });

    it('answers plain fetch with the function named by its ARN', async () => {
      const arn = `arn:aws:lambda:us-east-1:000000000000:function:${nameOf('echo')}`;

      const response = await fetch(`${api.endpoint}/2015-03-31/functions/${encodeURIComponent(arn)}/invocations`, { method: 'POST', body: '[1,2,3]' });

      expect(response.status).toBe(200);
      expect(response.headers.get('x-amz-executed-version')).toBe('$LATEST');
      const body = (await response.json()) as { echo: unknown; requestId: string };
      expect(body).toEqual({ echo: [1, 2, 3], requestId: response.headers.get('x-amzn-requestid') });
    });

    it('reports a handler error with X-Amz-Function-Error: Unhandled and logs it as Invoke Error', async () => {
      const answer = await client.send(new InvokeCommand({ FunctionName: nameOf('throws'), Payload: Buffer.from('{}') }));

      expect(answer.StatusCode).toBe(200);
      expect(answer.FunctionError).toBe('Unhandled');
      const body = JSON.parse(Buffer.from(answer.Payload!).toString('utf8')) as { errorType: string; errorMessage: string; trace: string[] };
      expect(body).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad input' });
      expect(body.trace[0]).toBe('TypeError: bad input');
      const logged = lines.map((line) => line.message).find((message) => message.includes('\tERROR\tInvoke Error \t'));
      expect(JSON.parse(logged!.split('Invoke Error \t')[1]!)).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad input' });
    });

    it('accepts an Event invocation with 202 and runs it', async () => {
      const response = await fetch(`${api.endpoint}/2015-03-31/functions/${nameOf('echo')}/invocations`, {
        method: 'POST',
        headers: { 'x-amz-invocation-type': 'Event' },
        body: '{"async":true}',
      });
      await runtime.drain();

      expect(response.status).toBe(202);
      const requestId = response.headers.get('x-amzn-requestid')!;
      expect(invocationLines(requestId).at(-1)).toMatch(/^REPORT RequestId: /);
    });

    it('answers 404 ResourceNotFoundException for a function that does not exist', async () => {
      // Settled at once, so its rejection is never unhandled while the fetch below runs.
      const viaSdk = client.send(new InvokeCommand({ FunctionName: 'nope', Payload: Buffer.from('{}') })).then(
        () => undefined,
        (error: unknown) => error,
      );
      const viaFetch = await fetch(`${api.endpoint}/2015-03-31/functions/nope/invocations`, { method: 'POST', body: '{}' });

      expect(await viaSdk).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
      expect(viaFetch.status).toBe(404);
      expect(viaFetch.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
      expect(await viaFetch.json()).toMatchObject({ Type: 'User', Message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope' });
    });

    it('answers a DryRun with 204 without running the function', async () => {
      const before = lines.length;

      const response = await fetch(`${api.endpoint}/2015-03-31/functions/${nameOf('echo')}/invocations`, {
        method: 'POST',
        headers: { 'x-amz-invocation-type': 'DryRun' },
        body: '{}',
      });

      expect(response.status).toBe(204);
      expect(lines.length).toBe(before);
    });
  });

  describe('execution environments', () => {
    it('writes INIT_START and Init Duration on a cold start only, START/END/REPORT on every invocation', async () => {
      const cold = await runtime.invoke(nameOf('cold'), { n: 1 });
      const warm = await runtime.invoke(nameOf('cold'), { n: 2 });

      const stream = streamOf(cold.requestId);
      expect(streamOf(warm.requestId)).toEqual(stream);
      expect(stream[0]!.logGroup).toBe('/aws/lambda/auth-service-test-cold');
      expect(stream[0]!.logStream).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
      const messages = stream.map((line) => line.message);
      expect(messages).toHaveLength(7);
      expect(messages[0]).toMatch(/^INIT_START Runtime Version: nodejs:22\.v\d+\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}\n$/);
      expect(messages.slice(1, 3)).toEqual([`START RequestId: ${cold.requestId} Version: $LATEST\n`, `END RequestId: ${cold.requestId}\n`]);
      expect(messages[3]).toMatch(
        new RegExp(`^REPORT RequestId: ${cold.requestId}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 256 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d\\d ms\\t\\n$`),
      );
      expect(messages.slice(4, 6)).toEqual([`START RequestId: ${warm.requestId} Version: $LATEST\n`, `END RequestId: ${warm.requestId}\n`]);
      expect(messages[6]).toMatch(new RegExp(`^REPORT RequestId: ${warm.requestId}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 256 MB\\tMax Memory Used: \\d+ MB\\t\\n$`));
      expect(parsePlatformText(messages[3]!)?.report).toMatchObject({ memory_size_mb: 256, init_duration_ms: expect.any(Number) });
      expect(parsePlatformText(messages[6]!)?.report?.init_duration_ms).toBeUndefined();
    });

    it('writes each console call as one event in the runtime format and raw output line by line', async () => {
      const { requestId, payload } = await runtime.invoke(nameOf('console'), {});

      expect(payload).toBe('logged');
      const stream = streamOf(requestId).map((line) => line.message);
      expect(stream[1]).toMatch(new RegExp(`^${isoTime}\\tundefined\\tINFO\\tloading module\\n$`));
      const app = invocationLines(requestId).slice(1, -2);
      const prefix = (level: string) => new RegExp(`^${isoTime}\\t${requestId}\\t${level}\\t`);
      expect(app).toHaveLength(8);
      expect(app[0]).toMatch(prefix('INFO'));
      expect(app[0]).toMatch(/\tINFO\thello \{ user: 'u-1' \}\n$/);
      expect(app[1]).toMatch(prefix('WARN'));
      expect(app[2]).toMatch(prefix('DEBUG'));
      expect(app[3]).toMatch(prefix('ERROR'));
      expect(app[3]!.endsWith('\tERROR\tfirst line\nsecond line\nthird line\n')).toBe(true);
      expect(app.slice(4)).toEqual(['{"level":30,"msg":"pino line one"}\n', '{"level":40,"msg":"pino line two"}\n', 'plain stdout line\n', 'a stderr line\n']);
    });

    it('kills an environment at its timeout, writes the timeout line and fails the invocation', async () => {
      const timedOut = await runtime.invoke(nameOf('sleeps'), {});
      const next = await runtime.invoke(nameOf('sleeps'), { ms: 1 });

      expect(timedOut.error).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${timedOut.requestId} Error: Task timed out after 1.00 seconds` });
      const messages = invocationLines(timedOut.requestId);
      const timeout = messages.at(-3)!;
      expect(timeout).toMatch(new RegExp(`^${isoTime} ${timedOut.requestId} Task timed out after 1\\.00 seconds\\n$`));
      expect(parsePlatformText(timeout)).toMatchObject({ kind: 'timeout', requestId: timedOut.requestId });
      expect(messages.at(-2)).toBe(`END RequestId: ${timedOut.requestId}\n`);
      expect(messages.at(-1)).toMatch(/\tDuration: 1000\.00 ms\tBilled Duration: 1000 ms\t.*\tStatus: timeout\n$/);
      // The environment restarts, a cold start in the same log stream, as Lambda resets it.
      expect(next.payload).toBe('woke up');
      const stream = streamOf(next.requestId).map((line) => line.message);
      expect(stream.filter((message) => message.startsWith('INIT_START '))).toHaveLength(2);
    });

    it('replaces an environment whose process died of an uncaught exception', async () => {
      const crashed = await runtime.invoke(nameOf('crash'), { crash: true });
      const after = await runtime.invoke(nameOf('crash'), {});

      expect(crashed.error).toMatchObject({ errorType: 'Error', errorMessage: 'kaboom' });
      const messages = invocationLines(crashed.requestId);
      expect(messages.some((message) => message.includes('\tERROR\tUncaught Exception \t{"errorType":"Error","errorMessage":"kaboom"'))).toBe(true);
      expect(messages).toContain(`RequestId: ${crashed.requestId} Error: Runtime exited with error: exit status 129\nRuntime.ExitError\n`);
      expect(messages.at(-1)).toMatch(/\tStatus: error\tError Type: Runtime\.ExitError\n$/);
      expect(after.error).toBeUndefined();
      expect(invocationLines(after.requestId).at(-1)).toMatch(/\tInit Duration: /);
    });

    it('runs concurrent invocations in separate environments and reuses an idle one', async () => {
      const [first, second] = await Promise.all([runtime.invoke(nameOf('slow'), {}), runtime.invoke(nameOf('slow'), {})]);
      const third = await runtime.invoke(nameOf('slow'), { ms: 1 });

      const environments = [first, second, third].map((result) => result.payload as { pid: number; logStreamName: string });
      expect(environments[0]!.pid).not.toBe(environments[1]!.pid);
      expect(environments[0]!.logStreamName).not.toBe(environments[1]!.logStreamName);
      expect([environments[0]!.pid, environments[1]!.pid]).toContain(environments[2]!.pid);
      expect(invocationLines(third.requestId).at(-1)).not.toMatch(/Init Duration/);
    });

    it("gives the handler Lambda's environment variables and context", async () => {
      const { requestId, payload } = await runtime.invoke(`arn:aws:lambda:us-east-1:000000000000:function:${nameOf('environment')}`, {});

      const { env, context } = payload as { env: Record<string, string>; context: Record<string, unknown> };
      const logStream = streamOf(requestId)[0]!.logStream;
      expect(env).toMatchObject({
        TABLE_NAME: 'profiles-test',
        STAGE: 'test',
        ...baseEnv,
        AWS_LAMBDA_FUNCTION_NAME: nameOf('environment'),
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
        AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/auth-service-test-environment',
        AWS_LAMBDA_LOG_STREAM_NAME: logStream,
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
        LAMBDA_TASK_ROOT: path.resolve(fixtures),
        TZ: ':UTC',
        AWS_ACCESS_KEY_ID: expect.any(String),
        AWS_SECRET_ACCESS_KEY: expect.any(String),
        AWS_SESSION_TOKEN: expect.any(String),
      });
      expect(env._X_AMZN_TRACE_ID).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
      // Nothing of the orchestrator's own environment leaks in.
      expect(env.VITEST).toBeUndefined();
      expect(context).toMatchObject({
        awsRequestId: requestId,
        functionName: nameOf('environment'),
        functionVersion: '$LATEST',
        invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${nameOf('environment')}`,
        memoryLimitInMB: '512',
        logGroupName: '/aws/lambda/auth-service-test-environment',
        logStreamName: logStream,
        callbackWaitsForEmptyEventLoop: true,
      });
      expect(context.remainingMs).toBeGreaterThan(0);
      expect(context.remainingMs).toBeLessThanOrEqual(6_000);
    });

    it('answers a callback handler once the event loop is empty', async () => {
      const { requestId, payload } = await runtime.invoke(nameOf('callback'), {});

      expect(payload).toEqual({ style: 'callback', remainingPositive: true });
      const messages = invocationLines(requestId);
      expect(messages.findIndex((message) => message.endsWith('\tINFO\ttimer after the callback\n'))).toBe(messages.length - 3);
    });

    it('retries a failed Event invocation twice, then drops it with a loud error', async () => {
      const { requestId } = await runtime.invoke(nameOf('failsAsync'), {}, { invocationType: 'Event' });
      await runtime.drain();

      const starts = lines.filter((line) => line.message === `START RequestId: ${requestId} Version: $LATEST\n`);
      expect(starts).toHaveLength(3);
      const dropped = reports.find((message) => message.includes(requestId));
      expect(dropped).toMatch(/ERROR .* failed 3 times \(last: TypeError: bad input\); the event is DROPPED.*on-failure destination/);
    });
  });
});
