// Errors as the Node.js Lambda runtime reports them: the Invoke API body and the logged form.
import { types } from 'node:util';
import type { ErrorBody } from '../protocol.js';

function isError(value: unknown): value is Error {
  return types.isNativeError(value) || (typeof value === 'object' && value !== null && typeof (value as Error).stack === 'string' && typeof (value as Error).message === 'string');
}

/** The body the Invoke API answers with when the handler failed. */
export function errorBody(error: unknown): ErrorBody {
  if (isError(error)) {
    return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

/** `\t{"errorType",...,"stack":[...]}`, what the runtime appends to `Invoke Error` and the like. */
export function formattedError(error: unknown): string {
  return `\t${JSON.stringify(error, (_key, value: unknown) => {
    if (!(value instanceof Error)) return value;
    const fields: Record<string, unknown> = {
      errorType: value.name,
      errorMessage: value.message,
      code: (value as { code?: unknown }).code,
      ...value,
    };
    if (typeof value.stack === 'string') fields.stack = value.stack.split('\n');
    return fields;
  })}`;
}

/** What the runtime turns an unhandled rejection into before it exits. */
export class UnhandledPromiseRejectionError extends Error {
  readonly reason: unknown;
  readonly promise: Promise<unknown>;

  constructor(reason: unknown, promise: Promise<unknown>) {
    super(String(reason));
    this.name = 'Runtime.UnhandledPromiseRejection';
    this.reason = reason;
    this.promise = promise;
  }
}
