import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { HttpError } from '../../shared/errors.js';
import { errorResponse } from '../../shared/http.js';
import { invocationLogger, type Logger } from '../../shared/logger.js';
import { fieldIssues, summarize } from './domain/issues.js';
import { InvalidJsonError, PayloadTooLargeError, ValidationError } from './errors.js';

/** What a route gets besides its event: the invocation's logger (request id and trace id). */
export interface RequestScope {
  logger: Logger;
}

export type Route = (event: APIGatewayProxyEvent, scope: RequestScope) => Promise<APIGatewayProxyResult>;
export type ApiHandler = (event: APIGatewayProxyEvent, context: Pick<Context, 'awsRequestId'>) => Promise<APIGatewayProxyResult>;

// Every response, errors included: the browser may read it cross-origin (SigV4 requests carry no
// cookies, so any origin is safe), and no profile is cached on the way.
const responseHeaders = { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' } as const;

/**
 * Wraps a route as a Lambda handler: one logger per invocation, every thrown error mapped to a
 * JSON `{error, message}` response (never a stack trace), one line per request with its status
 * and duration. Never logs the body, headers or identity of the request.
 */
export function httpHandler(root: Logger, route: Route): ApiHandler {
  return async (event, context) => {
    const started = performance.now();
    const logger = invocationLogger(root, context);
    let response: APIGatewayProxyResult;
    try {
      response = await route(event, { logger });
    } catch (error) {
      response = errorResponse(error);
      logFailure(logger, error, response.statusCode);
    }
    const durationMs = Math.round((performance.now() - started) * 100) / 100;
    logger.info({ method: event.httpMethod, resource: event.resource, statusCode: response.statusCode, durationMs }, 'request handled');
    return { ...response, headers: { ...response.headers, ...responseHeaders } };
  };
}

function logFailure(logger: Logger, error: unknown, statusCode: number): void {
  if (error instanceof HttpError && statusCode < 500) {
    // The code and message of a refusal are what the caller sees; they hold no request values.
    logger.info({ error: { name: error.name, code: error.code, message: error.message } }, 'request refused');
  } else {
    logger.error({ err: error }, 'request failed');
  }
}

/** The largest body any route accepts; anything bigger is refused before it is parsed. */
export const maxBodyBytes = 16 * 1024;

/** Parses the JSON body of `event` with `schema`: 400 with one entry per field at fault, 413 when too large. */
export function parseJsonBody<S extends z.ZodMiniType>(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>, schema: S): z.infer<S> {
  if (event.body === null || event.body === undefined || event.body === '') throw new InvalidJsonError('the request needs a JSON body');
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text, 'utf8') > maxBodyBytes) throw new PayloadTooLargeError(`the body may be at most ${maxBodyBytes} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse quotes the input in its message: it goes neither to the caller nor to the logs.
    throw new InvalidJsonError('the request body is not valid JSON');
  }
  const parsed = schema.safeParse(json, { reportInput: true });
  if (parsed.success) return parsed.data as z.infer<S>;
  const issues = fieldIssues(parsed.error, 'body');
  throw new ValidationError(`the request body is invalid: ${summarize(issues)}`, issues);
}
