// Errors of the local Lambda runtime (local/lambda/).

export class LocalLambdaError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalLambdaError';
  }
}

/** No function of the stack has this name; the Invoke API answers 404 ResourceNotFoundException. */
export class FunctionNotFoundError extends LocalLambdaError {
  /** The ARN Lambda names in its message. */
  readonly arn: string;

  constructor(arn: string) {
    super(`Function not found: ${arn}`);
    this.name = 'FunctionNotFoundError';
    this.arn = arn;
  }
}

/** The runtime was closed; nothing runs any more. */
export class RuntimeClosedError extends LocalLambdaError {
  constructor() {
    super('the local Lambda runtime is closed');
    this.name = 'RuntimeClosedError';
  }
}
