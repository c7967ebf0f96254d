import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import type { DecodedPayload } from '../../forwarder/src/decode.js';

const fixtureRoot = new URL('../fixtures/', import.meta.url);

/** Loads `test/fixtures/<source>/<variant>.json`. */
export function loadFixture<T = DecodedPayload>(source: string, variant: string): T {
  return JSON.parse(readFileSync(new URL(`${source}/${variant}.json`, fixtureRoot), 'utf8')) as T;
}

/** The subscription payload of a fixture from test/fixtures/cloudwatch-logs/. */
export function logsFixture(variant: string): DecodedPayload {
  return loadFixture('cloudwatch-logs', variant);
}

/** Wraps a decoded payload as CloudWatch Logs delivers it: gzip, then base64. */
export function toSubscriptionEvent(payload: unknown): CloudWatchLogsEvent {
  return { awslogs: { data: gzipSync(JSON.stringify(payload)).toString('base64') } };
}

let nextId = 0n;

/** A payload of `messages` in one stream, with 56-digit ids as CloudWatch assigns them. */
export function payloadOf(
  messages: readonly string[],
  overrides: Partial<Pick<DecodedPayload, 'logGroup' | 'logStream' | 'owner'>> & { startTime?: number } = {},
): DecodedPayload {
  const start = overrides.startTime ?? Date.UTC(2026, 10, 23, 10, 0, 0);
  const logEvents = messages.map((message, index) => {
    nextId += 1n;
    const timestamp = start + index;
    return { id: ((BigInt(timestamp) << 144n) + nextId).toString().padStart(56, '0'), timestamp, message };
  });
  return {
    messageType: 'DATA_MESSAGE',
    owner: overrides.owner ?? '123456789012',
    logGroup: overrides.logGroup ?? '/aws/lambda/auth-service-dev-hello',
    logStream: overrides.logStream ?? '2026/11/23/[$LATEST]0123456789abcdef0123456789abcdef',
    subscriptionFilters: ['auth-service-dev-forwarding'],
    logEvents: logEvents as DecodedPayload['logEvents'],
  };
}

/** `n` lines of about 210 bytes in one stream, from `startTime` on. */
export function manyLines(n: number, startTime?: number): DecodedPayload {
  return payloadOf(
    Array.from({ length: n }, (_, i) => `line ${i} ${'x'.repeat(200)}\n`),
    startTime === undefined ? {} : { startTime },
  );
}

/** The event ids of a payload, in order. */
export function idsOf(payload: { logEvents: ReadonlyArray<{ id: string }> }): string[] {
  return payload.logEvents.map((event) => event.id);
}

/** A minimal Lambda context whose deadline is `budgetMs` from now. */
export function lambdaContext(budgetMs = 30_000, functionName = 'log-forwarder-dev-forwarder') {
  const deadline = Date.now() + budgetMs;
  return {
    awsRequestId: 'f0f0f0f0-0000-4000-8000-000000000001',
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/23/[$LATEST]ffffffffffffffffffffffffffffffff',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
