// Fails early, with a message a person can act on, when the AWS SDK has no credentials.
import { NoAwsCredentialsError } from '../tools/errors.js';

/**
 * Resolves credentials once through `resolve`, normally an SDK client's `config.credentials`,
 * i.e. the SDK's default chain (environment, SSO, shared config and credentials files,
 * credential_process, web identity, container and instance metadata). No request is sent, so
 * this needs neither network access to STS nor any IAM permission.
 */
export async function assertAwsCredentials(resolve: () => Promise<unknown>): Promise<void> {
  try {
    await resolve();
  } catch (cause) {
    throw new NoAwsCredentialsError({ cause });
  }
}
