import type { APIGatewayProxyResult } from 'aws-lambda';
import { HttpError } from './errors.js';

const jsonHeaders = { 'Content-Type': 'application/json' } as const;

/** A JSON response with the given status. */
export function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { ...jsonHeaders }, body: JSON.stringify(body) };
}

/**
 * Maps any thrown value to a JSON error response `{error, message, details?}`. {@link HttpError}s
 * keep their status and, when `expose` is set, their message and details; everything else becomes
 * a generic 500. No stack trace or cause ever reaches the body.
 */
export function errorResponse(error: unknown): APIGatewayProxyResult {
  if (error instanceof HttpError) {
    if (!error.expose) return json(error.statusCode, { error: error.code, message: genericMessage(error.statusCode) });
    const details = error.details === undefined ? {} : { details: error.details };
    return json(error.statusCode, { error: error.code, message: error.message, ...details });
  }
  return json(500, { error: 'InternalServerError', message: genericMessage(500) });
}

function genericMessage(statusCode: number): string {
  if (statusCode === 401) return 'Unauthorized';
  if (statusCode === 403) return 'Forbidden';
  if (statusCode === 404) return 'Not found';
  if (statusCode < 500) return 'Bad request';
  return 'Internal server error';
}
