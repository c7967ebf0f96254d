// The errors the local identity pool answers, named as Cognito Identity names them (the SDK turns
// `__type` into the thrown exception's name), with the service's own messages where known.

/** An error the service answers with `{__type, message}` and a status. */
export class IdentityPoolError extends Error {
  override name = 'IdentityPoolError';

  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** The base of an error that always answers `type`. */
function answering(type: string) {
  return class extends IdentityPoolError {
    constructor(message: string) {
      super(type, message);
    }
  };
}

/** A refused login: a bad token, a foreign provider, unauthenticated access. */
export class NotAuthorizedError extends answering('NotAuthorizedException') {
  override name = 'NotAuthorizedError';
}

/** The ID token in Logins is not one the pool accepts; `reason` follows Cognito's wording. */
export class InvalidLoginTokenError extends NotAuthorizedError {
  override name = 'InvalidLoginTokenError';

  constructor(reason: string) {
    super(`Invalid login token. ${reason}`);
  }
}

export class ResourceNotFoundError extends answering('ResourceNotFoundException') {
  override name = 'ResourceNotFoundError';
}

export class InvalidParameterError extends answering('InvalidParameterException') {
  override name = 'InvalidParameterError';
}

/** A request member missing or of the wrong shape, as the service's input validation words it. */
export class ValidationError extends IdentityPoolError {
  override name = 'ValidationError';

  constructor(problems: string[]) {
    super('ValidationException', `${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
  }
}

/** Credentials for an identity whose kind of access has no role attached. */
export class InvalidIdentityPoolConfigurationError extends IdentityPoolError {
  override name = 'InvalidIdentityPoolConfigurationError';

  constructor() {
    super('InvalidIdentityPoolConfigurationException', 'Invalid identity pool configuration. Check assigned IAM roles for this pool.');
  }
}

/** The user pool's keys could not be fetched. */
export class ExternalServiceError extends answering('ExternalServiceException') {
  override name = 'ExternalServiceError';
}
