import { AppError } from '../shared/errors.js';

/** Base class of the errors the operational scripts throw on purpose. */
export class ScriptError extends AppError {
  override name = 'ScriptError';
}

/** The command line could not be understood; the message says what to change. */
export class UsageError extends ScriptError {
  override name = 'UsageError';
}

/** An on-failure queue message is not a Lambda destination record the forwarder can replay. */
export class InvalidRecordError extends ScriptError {
  override name = 'InvalidRecordError';
}

/** The AWS SDK's default credential chain found nothing to sign requests with. */
export class NoAwsCredentialsError extends ScriptError {
  override name = 'NoAwsCredentialsError';

  constructor(options?: { cause?: unknown }) {
    const reason = options?.cause instanceof Error ? ` (${options.cause.message})` : '';
    super(
      'no AWS credentials found: set AWS_PROFILE to a configured profile (run `aws sso login` ' +
        'first for SSO profiles) or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ' +
        `then run again${reason}`,
      options,
    );
  }
}
