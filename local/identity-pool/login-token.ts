// Checks the user pool ID token of a Logins map as Cognito Identity does: signed by a key of the
// pool's JWKS, issued by the pool, for the pool's client, an ID token, not expired. Refusals carry
// Cognito Identity's wording ("Invalid login token. …").
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { FetchError, JwtBaseError, JwtExpiredError, JwtInvalidAudienceError, JwtInvalidIssuerError, JwtNotBeforeError, JwtParseError, NonRetryableFetchError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache, SimplePenaltyBox } from 'aws-jwt-verify/jwk';
import { ExternalServiceError, InvalidLoginTokenError } from './errors.js';

export interface UserPoolLogin {
  /** The `iss` of the pool's tokens. */
  issuer: string;
  jwksUri: string;
  /** The app client the pool's tokens must be for (`aud`). */
  clientId: string;
}

/** Returns the `sub` of a valid ID token; throws InvalidLoginTokenError otherwise. */
export type LoginTokenVerifier = (token: string) => Promise<{ sub: string }>;

// aws-jwt-verify's own fetcher speaks https only; cognito-local serves its JWKS over http.
const httpFetcher: Fetcher = {
  async fetch(uri) {
    const response = await fetch(uri, { signal: AbortSignal.timeout(3_000) });
    if (response.status !== 200) throw new NonRetryableFetchError(uri, `Status code is ${response.status}, expected 200`);
    return response.arrayBuffer();
  },
};

export function loginTokenVerifier({ issuer, jwksUri, clientId }: UserPoolLogin): LoginTokenVerifier {
  const verifier = JwtRsaVerifier.create(
    {
      issuer,
      jwksUri,
      audience: clientId,
      customJwtCheck: ({ payload }) => {
        // An access token has no `aud`, so it fails the audience check first; this catches any
        // other token of the pool's key that is not an ID token.
        if (payload.token_use !== 'id') throw new InvalidLoginTokenError('Not a valid OpenId Connect identity token.');
        // aws-jwt-verify skips the expiry check of a token without `exp`; Cognito refuses it.
        if (typeof payload.exp !== 'number') throw new InvalidLoginTokenError('Missing a required claim: exp');
        if (typeof payload.sub !== 'string' || payload.sub === '') throw new InvalidLoginTokenError('Missing a required claim: sub');
      },
    },
    // An unknown `kid` refetches the JWKS at most once a second, not every 10 s: a local pool
    // restarts often and its key never changes.
    { jwksCache: new SimpleJwksCache({ fetcher: httpFetcher, penaltyBox: new SimplePenaltyBox({ waitSeconds: 1 }) }) },
  );
  return async (token) => {
    try {
      const payload = await verifier.verify(token);
      return { sub: payload.sub as string };
    } catch (error) {
      throw refusal(error);
    }
  };
}

function refusal(error: unknown): Error {
  if (error instanceof InvalidLoginTokenError) return error;
  if (error instanceof JwtExpiredError) return new InvalidLoginTokenError(`Token expired: ${Math.floor(Date.now() / 1000)} >= ${String(error.failedAssertion.actual)}`);
  if (error instanceof JwtNotBeforeError) return new InvalidLoginTokenError('Token is not valid yet.');
  if (error instanceof JwtInvalidIssuerError) return new InvalidLoginTokenError("Issuer doesn't match providerName");
  if (error instanceof JwtInvalidAudienceError) return new InvalidLoginTokenError('Incorrect token audience.');
  if (error instanceof JwtParseError) return new InvalidLoginTokenError('Not a valid OpenId Connect identity token.');
  if (error instanceof FetchError) return new ExternalServiceError(`The user pool's keys could not be fetched: ${error.message}`);
  // A bad signature, an unknown or missing `kid`, an algorithm or key the JWKS does not allow.
  if (error instanceof JwtBaseError) return new InvalidLoginTokenError("Couldn't verify signed token.");
  return error instanceof Error ? error : new Error(String(error));
}
