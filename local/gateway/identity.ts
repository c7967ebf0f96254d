// Who signed an `aws_iam` request: the bridge from the local identity pool's credentials to the
// SigV4 verifier, and `requestContext.identity` as API Gateway fills it for identity-pool callers.
import { createHash } from 'node:crypto';
import type { APIGatewayEventIdentity } from 'aws-lambda';
import type { CredentialLookup, IssuedCredentials } from '../model.js';
import type { SigningKeyLookup } from './sigv4/index.js';

/** The session name STS gives credentials from GetCredentialsForIdentity. */
const SESSION_NAME = 'CognitoIdentityCredentials';

/**
 * The verifier's lookup over the identity pool's: credentials of another identity pool are
 * unknown here (the role the gateway enforces is this pool's).
 */
export function verifierLookup(lookup: CredentialLookup, identityPoolId: string): SigningKeyLookup<IssuedCredentials> {
  return (accessKeyId) => {
    const issued = lookup(accessKeyId);
    if (!issued || issued.identityPoolId !== identityPoolId) return undefined;
    return {
      secretAccessKey: issued.secretAccessKey,
      sessionToken: issued.sessionToken,
      expiration: issued.expiration,
      identity: issued,
    };
  };
}

/** The assumed role of the identity pool's signed-in users, as STS names its sessions. */
export interface AssumedRole {
  /** `arn:aws:sts::<account>:assumed-role/<roleName>/CognitoIdentityCredentials`. */
  userArn: string;
  /** `<roleId>:CognitoIdentityCredentials`: `caller`, `user` and `aws:userid`. */
  userId: string;
}

// IAM role ids are `AROA` and 17 upper-case letters and digits; a local one is derived from the ARN
// so it stays the same across runs.
const roleIdOf = (roleArn: string): string => {
  const digest = BigInt(`0x${createHash('sha256').update(roleArn).digest('hex')}`);
  return `AROA${digest.toString(36).toUpperCase().padStart(17, '0').slice(0, 17)}`;
};

/** The STS session of `roleArn` (`arn:<partition>:iam::<account>:role/<path/><name>`). */
export function assumedRole(roleArn: string): AssumedRole {
  const match = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  if (!match) throw new Error(`not an IAM role ARN: ${roleArn}`);
  const [, partition, account, roleName] = match;
  return {
    userArn: `arn:${partition}:sts::${account}:assumed-role/${roleName}/${SESSION_NAME}`,
    userId: `${roleIdOf(roleArn)}:${SESSION_NAME}`,
  };
}

/**
 * `requestContext.identity` of a request signed with identity-pool credentials of a signed-in
 * user: the identity, its pool, the user pool login it came from, and the assumed role.
 */
export function cognitoIdentity(
  issued: IssuedCredentials,
  accessKeyId: string,
  role: AssumedRole,
  accountId: string,
  sourceIp: string,
  userAgent: string | null,
): APIGatewayEventIdentity {
  return {
    cognitoIdentityPoolId: issued.identityPoolId,
    accountId,
    cognitoIdentityId: issued.identityId,
    caller: role.userId,
    sourceIp,
    principalOrgId: null,
    accessKey: accessKeyId,
    cognitoAuthenticationType: 'authenticated',
    cognitoAuthenticationProvider: `${issued.providerName},${issued.providerName}:CognitoSignIn:${issued.sub}`,
    userArn: role.userArn,
    userAgent,
    user: role.userId,
    apiKey: null,
    apiKeyId: null,
    clientCert: null,
  };
}

/** Values of the policy variables an identity-pool role's statements may use. */
export const policyVariables = (issued: IssuedCredentials, role: AssumedRole): Record<string, string> => ({
  'cognito-identity.amazonaws.com:sub': issued.identityId,
  'cognito-identity.amazonaws.com:aud': issued.identityPoolId,
  'aws:userid': role.userId,
});
