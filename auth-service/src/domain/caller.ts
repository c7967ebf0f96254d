import type { APIGatewayEventIdentity } from 'aws-lambda';
import { ForbiddenError, UnauthorizedError } from '../errors.js';

/** The signed-in user behind a request to an `aws_iam` route. */
export interface Caller {
  /** The user pool `sub`: the key of the user's profile. */
  sub: string;
  /** The identity pool identity that signed the request. */
  identityId: string;
}

/** The fields of `requestContext.identity` the caller is read from; any may be null or absent. */
export type IdentityFields = Partial<
  Pick<APIGatewayEventIdentity, 'cognitoAuthenticationType' | 'cognitoAuthenticationProvider' | 'cognitoIdentityId'>
>;

// `cognito-idp.<region>.amazonaws.com/<pool>,cognito-idp.<region>.amazonaws.com/<pool>:CognitoSignIn:<sub>`:
// the identity pool's provider name, then the user's login with it.
const issuer = String.raw`cognito-idp\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/([\w-]+_[0-9a-zA-Z]+)`;
const providerPattern = new RegExp(String.raw`^${issuer},${issuer}:CognitoSignIn:([0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})$`);

/** The caller of an API Gateway REST event; see {@link parseCaller}. */
export function callerOf(event: { requestContext?: { identity?: IdentityFields | null } | null }, userPoolId: string): Caller {
  return parseCaller(event.requestContext?.identity, userPoolId);
}

/**
 * Reads who signed the request from the identity API Gateway attaches to an `aws_iam` route.
 * Without a Cognito identity the answer is 401; with one that is a guest, malformed, or from
 * another pool or region, 403. Never a 500: nothing here can throw anything else.
 */
export function parseCaller(identity: IdentityFields | null | undefined, userPoolId: string): Caller {
  const type = identity?.cognitoAuthenticationType;
  const provider = identity?.cognitoAuthenticationProvider;
  const identityId = identity?.cognitoIdentityId;
  if (!type || !identityId) throw new UnauthorizedError('the request is not signed with Cognito identity pool credentials');
  if (type !== 'authenticated') throw new ForbiddenError('only signed-in users may call this route');
  if (!provider) throw new UnauthorizedError('the request carries no user pool sign-in');

  const match = providerPattern.exec(provider);
  if (!match) throw new ForbiddenError('the identity provider of the request is not recognised');
  const [, region, pool, loginRegion, loginPool, sub = ''] = match;
  const poolRegion = userPoolId.slice(0, userPoolId.indexOf('_'));
  if (pool !== userPoolId || loginPool !== userPoolId || region !== poolRegion || loginRegion !== poolRegion) {
    throw new ForbiddenError("the caller is not signed in with this service's user pool");
  }
  return { sub, identityId };
}
