import type { APIGatewayProxyResult } from 'aws-lambda';
import { HttpError } from './errors.js';

const jsonHeaders = { 'Content-Type': 'application/json' } as const;

/** A JSON response with the given status. */
export function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { ...jsonHeaders }, body: JSON.stringify(body) };
}

/**
 * Maps any thrown value to a JSON error response. {@link HttpError}s keep their status and,
 * when `expose` is set, their message; everything else becomes a generic 500.
 */
export function errorResponse(error: unknown): APIGatewayProxyResult {
  if (error instanceof HttpError) {
    const message = error.expose ? error.message : genericMessage(error.statusCode);
    return json(error.statusCode, { error: error.code, message });
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
