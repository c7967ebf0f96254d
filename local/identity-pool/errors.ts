// The errors the local identity pool answers, named as Cognito Identity names them (the SDK turns
// `__type` into the thrown exception's name), with the service's own messages where known.

/** An error the service answers with `{__type, message}` and a status. */
export class IdentityPoolError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'IdentityPoolError';
  }
}

/** A refused login: a bad token, a foreign provider, unauthenticated access. */
export class NotAuthorizedError extends IdentityPoolError {
  constructor(message: string) {
    super('NotAuthorizedException', message);
    this.name = 'NotAuthorizedError';
  }
}

/** The ID token in Logins is not one the pool accepts; `reason` follows Cognito's wording. */
export class InvalidLoginTokenError extends NotAuthorizedError {
  constructor(reason: string) {
    super(`Invalid login token. ${reason}`);
    this.name = 'InvalidLoginTokenError';
  }
}

export class ResourceNotFoundError extends IdentityPoolError {
  constructor(message: string) {
    super('ResourceNotFoundException', message);
    this.name = 'ResourceNotFoundError';
  }
}

export class InvalidParameterError extends IdentityPoolError {
  constructor(message: string) {
    super('InvalidParameterException', message);
    this.name = 'InvalidParameterError';
  }
}

/** A request member missing or of the wrong shape, as the service's input validation words it. */
export class ValidationError extends IdentityPoolError {
  constructor(problems: string[]) {
    super('ValidationException', `${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
    this.name = 'ValidationError';
  }
}

/** Credentials for an identity whose kind of access has no role attached. */
export class InvalidIdentityPoolConfigurationError extends IdentityPoolError {
  constructor() {
    super('InvalidIdentityPoolConfigurationException', 'Invalid identity pool configuration. Check assigned IAM roles for this pool.');
    this.name = 'InvalidIdentityPoolConfigurationError';
  }
}

/** The user pool's keys could not be fetched. */
export class ExternalServiceError extends IdentityPoolError {
  constructor(message: string) {
    super('ExternalServiceException', message);
    this.name = 'ExternalServiceError';
  }
}
