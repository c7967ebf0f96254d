import { AppError, HttpError } from '../../shared/errors.js';

/** One refused field of a request body or event: where, and what is wrong (never its value). */
export interface FieldIssue {
  field: string;
  message: string;
}

/** Base of the auth service's errors that are not HTTP responses. */
export class AuthServiceError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuthServiceError';
  }
}

/**
 * A Cognito trigger event that does not have the shape Cognito sends. Thrown by the trigger, so
 * Cognito reports the failure instead of the function writing something half-understood.
 */
export class InvalidTriggerEventError extends AuthServiceError {
  readonly issues: readonly FieldIssue[];

  constructor(message: string, issues: readonly FieldIssue[]) {
    super(message);
    this.name = 'InvalidTriggerEventError';
    this.issues = issues;
  }
}

/** The user pool holds something the service cannot build a profile from. */
export class UserRecordError extends AuthServiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserRecordError';
  }
}

/** 401: the request carries no Cognito identity at all. */
export class UnauthorizedError extends HttpError {
  constructor(message: string) {
    super(401, message, { code: 'Unauthorized' });
    this.name = 'UnauthorizedError';
  }
}

/** 403: the request carries an identity, but not a signed-in user of this service's pool. */
export class ForbiddenError extends HttpError {
  constructor(message: string) {
    super(403, message, { code: 'Forbidden' });
    this.name = 'ForbiddenError';
  }
}

/** 400: the body is missing or is not JSON. */
export class InvalidJsonError extends HttpError {
  constructor(message: string) {
    super(400, message, { code: 'InvalidJson' });
    this.name = 'InvalidJsonError';
  }
}

/** 400: the body is JSON but breaks the schema; `details` lists each field at fault. */
export class ValidationError extends HttpError {
  constructor(message: string, issues: readonly FieldIssue[]) {
    super(400, message, { code: 'ValidationError', details: issues });
    this.name = 'ValidationError';
  }
}

/** 413: the body is larger than any valid request could be. */
export class PayloadTooLargeError extends HttpError {
  constructor(message: string) {
    super(413, message, { code: 'PayloadTooLarge' });
    this.name = 'PayloadTooLargeError';
  }
}

/** 404: the caller's user no longer exists in the user pool, so they have no profile. */
export class NotFoundError extends HttpError {
  constructor(message: string) {
    super(404, message, { code: 'NotFound' });
    this.name = 'NotFoundError';
  }
}
