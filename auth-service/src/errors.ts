import { AppError, httpErrorFor } from '../../shared/errors.js';

/** One refused field of a request body or event: where, and what is wrong (never its value). */
export interface FieldIssue {
  field: string;
  message: string;
}

/** Base of the auth service's errors that are not HTTP responses. */
export class AuthServiceError extends AppError {
  override name = 'AuthServiceError';
}

/**
 * A Cognito trigger event that does not have the shape Cognito sends. Thrown by the trigger, so
 * Cognito reports the failure instead of the function writing something half-understood.
 */
export class InvalidTriggerEventError extends AuthServiceError {
  override name = 'InvalidTriggerEventError';

  readonly issues: readonly FieldIssue[];

  constructor(message: string, issues: readonly FieldIssue[]) {
    super(message);
    this.issues = issues;
  }
}

/** The user pool holds something the service cannot build a profile from. */
export class UserRecordError extends AuthServiceError {
  override name = 'UserRecordError';
}

/** 401: the request carries no Cognito identity at all. */
export class UnauthorizedError extends httpErrorFor(401, 'Unauthorized') {
  override name = 'UnauthorizedError';
}

/** 403: the request carries an identity, but not a signed-in user of this service's pool. */
export class ForbiddenError extends httpErrorFor(403, 'Forbidden') {
  override name = 'ForbiddenError';
}

/** 400: the body is missing or is not JSON. */
export class InvalidJsonError extends httpErrorFor(400, 'InvalidJson') {
  override name = 'InvalidJsonError';
}

/** 400: the body is JSON but breaks the schema; `details` lists each field at fault. */
export class ValidationError extends httpErrorFor(400, 'ValidationError') {
  override name = 'ValidationError';

  constructor(message: string, issues: readonly FieldIssue[]) {
    super(message, { details: issues });
  }
}

/** 413: the body is larger than any valid request could be. */
export class PayloadTooLargeError extends httpErrorFor(413, 'PayloadTooLarge') {
  override name = 'PayloadTooLargeError';
}

/** 404: the caller's user no longer exists in the user pool, so they have no profile. */
export class NotFoundError extends httpErrorFor(404, 'NotFound') {
  override name = 'NotFoundError';
}
