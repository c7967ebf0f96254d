// Verifies a SigV4-signed request the way API Gateway does for an `aws_iam` route: the checks in
// AWS's order (parameters, signed headers, date, clock skew, credential scope, the key and its
// session token, then the signature), each failure with API Gateway's 403.
import { timingSafeEqual } from 'node:crypto';
import { checkRequestTime, formatAmzDate, parseAmzDate } from './amz-date.js';
import { readAuthParams, type AuthParams, type Headers } from './auth-params.js';
import { canonicalHeaderValue, expectedSignature, parseQuery, sha256Hex } from './canonical.js';
import {
  expiredToken,
  incompleteSignature,
  invalidSignature,
  invalidToken,
  signatureMismatch,
  type SigV4Failure,
} from './responses.js';

/** An HTTP request as the gateway received it. */
export interface SigV4Request {
  method: string;
  /** The path as received, percent-encoding included, without the query. */
  path: string;
  /** The raw query string, without `?`. */
  query: string;
  /** Lower-case header names; a repeated header may carry several values. */
  headers: Headers;
  body: Uint8Array;
}

/**
 * What the verifier needs of an access key: its secret, session token and expiry, and whom it
 * stands for (the gateway's identity.ts builds it from the identity pool's IssuedCredentials).
 */
export interface SigningCredentials<TIdentity = unknown> {
  secretAccessKey: string;
  sessionToken?: string;
  expiration: Date;
  identity: TIdentity;
}

/** Finds the credentials of an access key id; undefined when it is unknown. */
export type SigningKeyLookup<TIdentity = unknown> = (
  accessKeyId: string,
) => SigningCredentials<TIdentity> | undefined | Promise<SigningCredentials<TIdentity> | undefined>;

export interface SigV4Success<TIdentity = unknown> {
  readonly ok: true;
  readonly accessKeyId: string;
  readonly credentials: SigningCredentials<TIdentity>;
  /** Lower-case, sorted. */
  readonly signedHeaders: readonly string[];
}

export type SigV4Result<TIdentity = unknown> = SigV4Success<TIdentity> | SigV4Failure;

export interface SigV4VerifierOptions {
  /** The gateway's region: the only one a credential scope may name. */
  region: string;
  /** The signing name; API Gateway's is `execute-api`. */
  service?: string;
}

const SCOPE_TERMINATOR = 'aws4_request';

const safeEqual = (a: string, b: string): boolean => {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
};

function checkSignedHeaders(auth: AuthParams): SigV4Failure | undefined {
  if (!auth.signedHeaders.includes('host')) {
    return invalidSignature(
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
  }
  // The date is in the string to sign either way; signing its header too is what every SDK does.
  if (auth.timestampHeader !== undefined && !auth.signedHeaders.includes(auth.timestampHeader)) {
    const name = auth.timestampHeader === 'date' ? 'Date' : 'X-Amz-Date';
    return invalidSignature(`'${name}' must be a 'SignedHeader' in the AWS Authorization.`);
  }
  return undefined;
}

// AWS ends each of these sentences with a space, and sends them all at once.
function checkScope(
  scope: readonly string[],
  requestDate: Date,
  expected: { region: string; service: string },
): SigV4Failure | undefined {
  const [date, region, service, terminator] = scope;
  const requestDay = formatAmzDate(requestDate).slice(0, 8);
  const problems = [
    region === expected.region ? '' : `Credential should be scoped to a valid region, not '${region}'. `,
    service === expected.service
      ? ''
      : `Credential should be scoped to correct service: '${expected.service}'. `,
    terminator === SCOPE_TERMINATOR
      ? ''
      : `Credential should be scoped with a valid terminator: '${SCOPE_TERMINATOR}', not '${terminator}'. `,
    date === requestDay
      ? ''
      : 'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from ' +
        `HTTP: '${date}' != '${requestDay}', from '${formatAmzDate(requestDate)}'. `,
  ].join('');
  return problems === '' ? undefined : invalidSignature(problems);
}

/**
 * Verifies a SigV4-signed request against credentials from `lookup`, at `now`. Returns the
 * caller's credentials, or API Gateway's 403 for why the request is refused.
 */
export async function verifySigV4<TIdentity = unknown>(
  request: SigV4Request,
  lookup: SigningKeyLookup<TIdentity>,
  now: Date,
  options: SigV4VerifierOptions,
): Promise<SigV4Result<TIdentity>> {
  const service = options.service ?? 'execute-api';
  const query = parseQuery(request.query);
  const auth = readAuthParams(request.headers, query);
  if (!auth.ok) return auth;

  const headerProblem = checkSignedHeaders(auth);
  if (headerProblem) return headerProblem;

  const requestDate = parseAmzDate(auth.timestamp);
  if (!requestDate) {
    return incompleteSignature(
      `Date must be in ISO-8601 'basic format'. Got '${auth.timestamp}'. ` +
        'See http://en.wikipedia.org/wiki/ISO_8601',
    );
  }
  const timeProblem = checkRequestTime(
    requestDate,
    now,
    auth.expiresSeconds === undefined ? undefined : auth.expiresSeconds * 1000,
  );
  if (timeProblem) return timeProblem;

  const credentialParts = auth.credential.split('/');
  if (credentialParts.length !== 5) {
    return incompleteSignature(
      'Credential must have exactly 5 slash-delimited elements, e.g. ' +
        `keyid/date/region/service/term, got '${auth.credential}'`,
    );
  }
  const [accessKeyId = '', ...scope] = credentialParts;
  const scopeProblem = checkScope(scope, requestDate, { region: options.region, service });
  if (scopeProblem) return scopeProblem;

  const credentials = await lookup(accessKeyId);
  if (!credentials) return invalidToken();
  // Temporary credentials are only valid with their own session token; long-term ones with none.
  const tokenMatches =
    credentials.sessionToken === undefined
      ? auth.sessionToken === undefined
      : auth.sessionToken !== undefined && safeEqual(auth.sessionToken, credentials.sessionToken);
  if (!tokenMatches) return invalidToken();
  if (now.getTime() >= credentials.expiration.getTime()) return expiredToken();

  const canonicalHeaders: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    canonicalHeaders[name] = canonicalHeaderValue(request.headers[name]);
  }
  let expected;
  try {
    expected = await expectedSignature(
      {
        method: request.method.toUpperCase(),
        path: request.path,
        query,
        headers: canonicalHeaders,
        // Like every service but S3, the body is always hashed: an x-amz-content-sha256 header
        // (even UNSIGNED-PAYLOAD) that differs from the body's hash makes the signature differ.
        payloadHash: sha256Hex(request.body),
      },
      {
        accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
        region: options.region,
        service,
        requestDate,
        longDate: auth.timestamp,
        scope: scope.join('/'),
      },
    );
  } catch {
    // A path that cannot be URI-encoded (a lone surrogate) cannot have been signed either.
    return signatureMismatch();
  }
  if (!safeEqual(expected.signature, auth.signature)) {
    return signatureMismatch(expected.canonicalRequest, expected.stringToSign);
  }
  return { ok: true, accessKeyId, credentials, signedHeaders: auth.signedHeaders };
}
