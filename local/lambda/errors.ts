// Errors of the local Lambda runtime (local/lambda/).

export class LocalLambdaError extends Error {
  override name = 'LocalLambdaError';
}

/** No function of the stack has this name; the Invoke API answers 404 ResourceNotFoundException. */
export class FunctionNotFoundError extends LocalLambdaError {
  override name = 'FunctionNotFoundError';

  /** The ARN Lambda names in its message. */
  readonly arn: string;

  constructor(arn: string) {
    super(`Function not found: ${arn}`);
    this.arn = arn;
  }
}

/** The runtime was closed; nothing runs any more. */
export class RuntimeClosedError extends LocalLambdaError {
  override name = 'RuntimeClosedError';

  constructor() {
    super('the local Lambda runtime is closed');
  }
}
