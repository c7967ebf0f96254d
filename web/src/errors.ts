// The app's own errors. Cognito's come from the SDK as ServiceExceptions (name = the error code);
// messages.ts turns both into plain words.
import type { FieldIssue } from '../../auth-service/src/errors.js';

/** The base class of the app's errors. */
export class WebClientError extends Error {
  override name = 'WebClientError';
}

/** One field the API refused, as `details` of a 400 ValidationError lists them: the auth service's own type. */
export type { FieldIssue };

/**
 * The API answered with an error status: the function's `{error, message, details?}` or, for a
 * request refused at the gateway, API Gateway's `{message}` / `{Message}`.
 */
export class ApiError extends WebClientError {
  override name = 'ApiError';

  readonly status: number;
  /** The function's `error` code (`ValidationError`, `NotFound`, ...), when a function answered. */
  readonly code: string | undefined;
  readonly details: FieldIssue[];
  /** The X-Ray trace id sent with the request: `npm run logs -- search --trace <id>`. */
  readonly traceId: string;

  constructor(status: number, message: string, fields: { code?: string; details?: FieldIssue[]; traceId: string }) {
    super(message);
    this.status = status;
    this.code = fields.code;
    this.details = fields.details ?? [];
    this.traceId = fields.traceId;
  }
}

/** The API could not be reached at all (network, CORS, DNS). */
export class ApiUnreachableError extends WebClientError {
  override name = 'ApiUnreachableError';

  constructor(cause: unknown) {
    super('the API could not be reached', { cause });
  }
}

/** The refresh token no longer works (expired, revoked): the user has to sign in again. */
export class SessionExpiredError extends WebClientError {
  override name = 'SessionExpiredError';

  constructor(cause?: unknown) {
    super('the session has ended', { cause });
  }
}
