// The answers API Gateway writes itself (errors, CORS preflights) and the mapping of a Lambda
// proxy result to the HTTP response, with API Gateway's bodies, error types and gateway-response
// headers. Sources: AWS's "troubleshoot HTTP 403 errors" and "malformed Lambda proxy response"
// articles, and response bodies quoted in public bug reports against execute-api.
import type { CorsSpec, GatewayResponseSpec } from '../model.js';
import { toGatewayResponse, type SigV4Failure } from './sigv4/index.js';

/** One HTTP response; a header may carry several values (one line each). */
export interface GatewayReply {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** An answer the gateway makes itself, before gateway-response headers and request ids. */
export interface GatewayError {
  statusCode: number;
  /** `x-amzn-ErrorType`. */
  errorType: string;
  /** Which gateway response customises it (`ACCESS_DENIED`, ...), besides DEFAULT_4XX/5XX. */
  responseType: string;
  body: string;
  contentType: string;
}

const json = 'application/json';

/** An unknown stage, resource or method, and an `aws_iam` route without any signature. */
export const missingAuthenticationToken = (): GatewayError => ({
  statusCode: 403,
  errorType: 'MissingAuthenticationTokenException',
  responseType: 'MISSING_AUTHENTICATION_TOKEN',
  body: JSON.stringify({ message: 'Missing Authentication Token' }),
  contentType: json,
});

const SIGV4_RESPONSE_TYPES: Record<string, string> = {
  MissingAuthenticationTokenException: 'MISSING_AUTHENTICATION_TOKEN',
  IncompleteSignatureException: 'INVALID_SIGNATURE',
  InvalidSignatureException: 'INVALID_SIGNATURE',
  ExpiredTokenException: 'EXPIRED_TOKEN',
  AccessDeniedException: 'ACCESS_DENIED',
};

/** A request the SigV4 verifier refused, with its body and error type. */
export function signatureRefused(failure: SigV4Failure): GatewayError {
  const response = toGatewayResponse(failure);
  return {
    statusCode: response.statusCode,
    errorType: failure.errorType,
    responseType: SIGV4_RESPONSE_TYPES[failure.errorType] ?? 'DEFAULT_4XX',
    body: response.body,
    contentType: json,
  };
}

// execute-api shows only the last four digits of the account in the resource ARN it quotes.
const maskAccount = (arn: string): string =>
  arn.replace(/^(arn:[^:]*:execute-api:[^:]*:)(\d{8})(\d{4}):/, '$1********$3:');

/**
 * A caller whose role may not `execute-api:Invoke` the method: `{"Message": …}` (capital M), with
 * ` with an explicit deny` when a Deny statement matched.
 */
export function accessDenied(userArn: string, resourceArn: string, explicit: boolean): GatewayError {
  const message =
    `User: ${userArn} is not authorized to perform: execute-api:Invoke on resource: ${maskAccount(resourceArn)}` +
    (explicit ? ' with an explicit deny' : '');
  return {
    statusCode: 403,
    errorType: 'AccessDeniedException',
    responseType: 'ACCESS_DENIED',
    body: JSON.stringify({ Message: message }),
    contentType: json,
  };
}

/** The function failed, or returned something that is not a proxy result. */
export const badGateway = (): GatewayError => ({
  statusCode: 502,
  errorType: 'InternalServerErrorException',
  responseType: 'DEFAULT_5XX',
  body: '{"message": "Internal server error"}',
  contentType: json,
});

/** The function could not be invoked at all. */
export const internalServerError = (): GatewayError => ({ ...badGateway(), statusCode: 500 });

/** The function did not answer within the integration timeout (29 s). */
export const integrationTimeout = (): GatewayError => ({
  statusCode: 504,
  errorType: 'InternalServerErrorException',
  responseType: 'INTEGRATION_TIMEOUT',
  body: '{"message": "Endpoint request timed out"}',
  contentType: json,
});

/** The largest request body a REST API takes: 10 MB. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** A body over 10 MB, refused in front of the API: plain text, no gateway-response headers. */
export const requestTooLarge = (): GatewayReply => ({
  statusCode: 413,
  headers: { 'Content-Type': 'text/plain' },
  body: Buffer.from(`HTTP content length exceeded ${MAX_BODY_BYTES} bytes.`),
});

// A header value in a template is a static value in quotes ('*'); the model may hand it either way.
const unquote = (value: string): string => /^'.*'$/s.test(value) ? value.slice(1, -1) : value;

/**
 * The response for a gateway error: its own gateway response if the API defines one, else
 * DEFAULT_4XX or DEFAULT_5XX, adds its headers (and may change its status).
 */
export function errorReply(error: GatewayError, gatewayResponses: readonly GatewayResponseSpec[]): GatewayReply {
  const fallback = error.statusCode >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
  const custom =
    gatewayResponses.find((r) => r.type === error.responseType) ?? gatewayResponses.find((r) => r.type === fallback);
  const headers: Record<string, string> = { 'Content-Type': error.contentType, 'x-amzn-ErrorType': error.errorType };
  for (const [name, value] of Object.entries(custom?.headers ?? {})) headers[name] = unquote(value);
  // Only a response of its own type may change the status; DEFAULT_4XX/5XX keep each error's.
  const status =
    custom?.type === error.responseType && custom.statusCode !== undefined ? Number(custom.statusCode) : error.statusCode;
  return { statusCode: status, headers, body: Buffer.from(error.body) };
}

/** The answer of the template's OPTIONS method (a MOCK integration) to a CORS preflight. */
export function preflightReply(cors: CorsSpec): GatewayReply {
  return {
    statusCode: 200,
    headers: {
      'Content-Type': json,
      'Access-Control-Allow-Origin': cors.allowOrigin,
      'Access-Control-Allow-Headers': cors.allowHeaders,
      'Access-Control-Allow-Methods': cors.allowMethods,
      ...(cors.allowCredentials === undefined ? {} : { 'Access-Control-Allow-Credentials': cors.allowCredentials }),
    },
    body: Buffer.alloc(0),
  };
}
