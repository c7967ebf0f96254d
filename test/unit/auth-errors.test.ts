import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HttpError } from '../../shared/errors.js';
import { errorResponse } from '../../shared/http.js';
import {
  ForbiddenError,
  InvalidJsonError,
  InvalidTriggerEventError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  UserRecordError,
  ValidationError,
} from '../../auth-service/src/errors.js';
import { httpHandler } from '../../auth-service/src/http.js';
import { cognitoTrigger } from '../../auth-service/src/trigger.js';
import { loadFixture } from '../helpers/fixtures.js';
import { memoryLogger } from '../helpers/memory-logger.js';

const traceHeader = 'Root=1-66433733-5f2c7e3b9a1d4c8e2b6f0a17;Parent=53995c3f42cd8ad8;Sampled=1';
const context = { awsRequestId: 'f0f0f0f0-0000-4000-8000-0000000000a1' };
const putEvent = loadFixture<APIGatewayProxyEvent>('apigateway', 'put-profile');

const bodyOf = (response: { body: string }) => JSON.parse(response.body) as Record<string, unknown>;

describe('error responses', () => {
  it.each<[string, Error, number, string]>([
    ['UnauthorizedError', new UnauthorizedError('no identity'), 401, 'Unauthorized'],
    ['ForbiddenError', new ForbiddenError('not ours'), 403, 'Forbidden'],
    ['InvalidJsonError', new InvalidJsonError('not JSON'), 400, 'InvalidJson'],
    ['PayloadTooLargeError', new PayloadTooLargeError('too big'), 413, 'PayloadTooLarge'],
    ['NotFoundError', new NotFoundError('gone'), 404, 'NotFound'],
  ])('maps %s to its status, code and message', (_name, error, statusCode, code) => {
    const response = errorResponse(error);

    expect(response.statusCode).toBe(statusCode);
    expect(response.headers).toMatchObject({ 'Content-Type': 'application/json' });
    expect(bodyOf(response)).toEqual({ error: code, message: error.message });
  });

  it('sends the field-level details of a validation error', () => {
    const details = [{ field: 'name', message: 'must not be empty' }];

    expect(bodyOf(errorResponse(new ValidationError('the request body is invalid', details)))).toEqual({
      error: 'ValidationError',
      message: 'the request body is invalid',
      details,
    });
  });

  it.each<[string, unknown, number]>([
    ['an Error', new Error('connect ECONNREFUSED 10.0.0.1:443'), 500],
    ['an SDK error', Object.assign(new Error('User: arn:aws:sts::123:assumed-role/x is not authorized'), { name: 'AccessDeniedException', $metadata: {} }), 500],
    ['an error of the service that is not an HTTP error', new UserRecordError('the user has no email attribute'), 500],
    ['a trigger error', new InvalidTriggerEventError('not a PostConfirmation event', []), 500],
    ['a thrown string', 'boom', 500],
    ['an HTTP error that is not to be shown', new HttpError(502, 'upstream said: secret', { expose: false, details: ['secret'] }), 502],
  ])('answers %s with a generic message, never its own message, details or stack', (_name, error, statusCode) => {
    const response = errorResponse(error);

    expect(response.statusCode).toBe(statusCode);
    expect(response.body).not.toMatch(/ECONNREFUSED|arn:aws|email|secret|boom|at .*\.ts/);
    expect(Object.keys(bodyOf(response)).sort()).toEqual(['error', 'message']);
  });
});

/** Runs the PUT fixture through httpHandler around a route that throws `error`. */
async function handleThrowing(error: Error) {
  const { logger, lines } = memoryLogger({ level: 'debug' });
  const response = await httpHandler(logger, async () => {
    throw error;
  })(putEvent, context);
  return { response, lines };
}

describe('httpHandler', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('answers with the route result, CORS and no-store headers, and logs one line with request and trace ids', async () => {
    vi.stubEnv('_X_AMZN_TRACE_ID', traceHeader);
    const { logger, lines } = memoryLogger({ level: 'debug' });
    const handler = httpHandler(logger, async () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{}' }));

    const response = await handler(putEvent, context);

    expect(response).toMatchObject({ statusCode: 200, headers: { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'request handled', method: 'PUT', resource: '/profile', statusCode: 200, requestId: context.awsRequestId, traceId: '1-66433733-5f2c7e3b9a1d4c8e2b6f0a17', service: 'auth-service' });
    expect(lines[0]!.durationMs).toEqual(expect.any(Number));
  });

  it('maps a refusal to its JSON response and logs it without the request', async () => {
    const refusal = new ForbiddenError('only signed-in users may call this route');

    const { response, lines } = await handleThrowing(refusal);

    expect(response.statusCode).toBe(403);
    expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': '*' });
    expect(bodyOf(response)).toEqual({ error: 'Forbidden', message: 'only signed-in users may call this route' });
    expect(lines.map((line) => line.msg)).toEqual(['request refused', 'request handled']);
    expect(lines[0]).toMatchObject({ level: 30, error: { name: 'ForbiddenError', code: 'Forbidden' }, requestId: context.awsRequestId });
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain('Ada King');
    expect(logged).not.toContain('AWS4-HMAC-SHA256');
    expect(logged).not.toContain('CognitoSignIn');
  });

  it('never answers with the stack of an unexpected error, and logs it as an error', async () => {
    const failure = new TypeError("Cannot read properties of undefined (reading 'Item')");

    const { response, lines } = await handleThrowing(failure);

    expect(response.statusCode).toBe(500);
    expect(bodyOf(response)).toEqual({ error: 'InternalServerError', message: 'Internal server error' });
    expect(lines[0]).toMatchObject({ level: 50, msg: 'request failed', err: { type: 'TypeError' } });
    expect(lines[1]).toMatchObject({ msg: 'request handled', statusCode: 500 });
  });
});

describe('cognitoTrigger', () => {
  const event = loadFixture<Record<string, unknown>>('cognito', 'post-confirmation-sign-up');

  it('hands the event back to Cognito unchanged', async () => {
    const { logger } = memoryLogger({ level: 'debug' });
    const trigger = cognitoTrigger(logger, async () => undefined);

    await expect(trigger(event, context)).resolves.toBe(event);
  });

  it('logs a failure by its error, never the event, and rethrows it', async () => {
    const { logger, lines } = memoryLogger({ level: 'debug' });
    const failure = new InvalidTriggerEventError('not a PostConfirmation event: request.userAttributes.sub: is required (string)', []);
    const trigger = cognitoTrigger(logger, async () => {
      throw failure;
    });

    await expect(trigger(event, context)).rejects.toBe(failure);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'trigger failed', requestId: context.awsRequestId, err: { type: 'InvalidTriggerEventError', message: failure.message } });
    expect(JSON.stringify(lines)).not.toContain('ada@example.com');
  });
});
