// Reads the SigV4 parameters from the Authorization header or from a presigned URL's query, in
// the order AWS checks them and with its messages for what is missing or malformed.
import {
  incompleteSignature,
  missingAuthenticationToken,
  signatureMismatch,
  type SigV4Failure,
} from './responses.js';

export const ALGORITHM = 'AWS4-HMAC-SHA256';

/** A week: the longest `X-Amz-Expires` SigV4 allows. */
const MAX_PRESIGNED_SECONDS = 604_800;

export type Headers = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface AuthParams {
  readonly ok: true;
  readonly from: 'header' | 'query';
  /** `keyid/date/region/service/aws4_request`. */
  readonly credential: string;
  readonly signature: string;
  /** Lower-case, sorted. */
  readonly signedHeaders: readonly string[];
  /** The timestamp as sent, and the header it came from (for header auth). */
  readonly timestamp: string;
  readonly timestampHeader?: 'x-amz-date' | 'date';
  readonly sessionToken?: string;
  /** `X-Amz-Expires` of a presigned URL, in seconds. */
  readonly expiresSeconds?: number;
}

export const firstValue = (value: string | readonly string[] | undefined): string | undefined =>
  typeof value === 'string' ? value : value?.[0];

const signedHeaderList = (value: string): string[] =>
  value
    .split(';')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '')
    .sort();

function fromAuthorizationHeader(header: string, headers: Headers): AuthParams | SigV4Failure {
  const trimmed = header.trim();
  const space = trimmed.indexOf(' ');
  const algorithm = space === -1 ? trimmed : trimmed.slice(0, space);
  const pairs = new Map<string, string>();
  for (const part of (space === -1 ? '' : trimmed.slice(space + 1)).split(',')) {
    const pair = part.trim();
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq === -1) {
      return incompleteSignature(
        `'${pair}' not a valid key=value pair (missing equal-sign) in Authorization header: '${trimmed}'.`,
      );
    }
    pairs.set(pair.slice(0, eq), pair.slice(eq + 1));
  }

  const credential = pairs.get('Credential');
  const signature = pairs.get('Signature');
  const signedHeaders = pairs.get('SignedHeaders');
  const amzDate = firstValue(headers['x-amz-date']);
  const httpDate = firstValue(headers['date']);
  const missing: string[] = [];
  if (credential === undefined) missing.push("Authorization header requires 'Credential' parameter.");
  if (signature === undefined) missing.push("Authorization header requires 'Signature' parameter.");
  if (signedHeaders === undefined) {
    missing.push("Authorization header requires 'SignedHeaders' parameter.");
  }
  if (amzDate === undefined && httpDate === undefined) {
    missing.push(
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  if (
    missing.length > 0 ||
    credential === undefined ||
    signature === undefined ||
    signedHeaders === undefined
  ) {
    return incompleteSignature(`${missing.join(' ')} Authorization=${algorithm}`);
  }
  // API Gateway reports missing parameters before an unknown algorithm: a bare bearer token gets
  // "Authorization header requires 'Credential' parameter. …", not "Unsupported AWS 'algorithm'".
  if (algorithm !== ALGORITHM) {
    return incompleteSignature(`Unsupported AWS 'algorithm': '${algorithm}'.`);
  }
  const sessionToken = firstValue(headers['x-amz-security-token']);
  return {
    ok: true,
    from: 'header',
    credential,
    signature,
    signedHeaders: signedHeaderList(signedHeaders),
    timestamp: amzDate ?? httpDate ?? '',
    timestampHeader: amzDate === undefined ? 'date' : 'x-amz-date',
    ...(sessionToken === undefined ? {} : { sessionToken }),
  };
}

function fromQuery(algorithm: string, query: Map<string, string[]>): AuthParams | SigV4Failure {
  if (algorithm !== ALGORITHM) return missingAuthenticationToken();
  const get = (name: string): string | undefined => query.get(name)?.[0];
  const credential = get('X-Amz-Credential');
  const signature = get('X-Amz-Signature');
  const signedHeaders = get('X-Amz-SignedHeaders');
  const timestamp = get('X-Amz-Date');
  const missing = [
    credential === undefined ? "AWS query-string parameters must include 'X-Amz-Credential'." : '',
    signature === undefined ? "AWS query-string parameters must include 'X-Amz-Signature'." : '',
    signedHeaders === undefined
      ? "AWS query-string parameters must include 'X-Amz-SignedHeaders'."
      : '',
    timestamp === undefined ? "AWS query-string parameters must include 'X-Amz-Date'." : '',
  ].filter((message) => message !== '');
  if (
    credential === undefined ||
    signature === undefined ||
    signedHeaders === undefined ||
    timestamp === undefined
  ) {
    return incompleteSignature(`${missing.join(' ')} Re-examine the query-string parameters.`);
  }
  const expires = get('X-Amz-Expires');
  let expiresSeconds: number | undefined;
  if (expires !== undefined) {
    expiresSeconds = /^\d+$/.test(expires) ? Number(expires) : Number.NaN;
    if (Number.isNaN(expiresSeconds)) {
      return incompleteSignature('X-Amz-Expires should be a number');
    }
    if (expiresSeconds > MAX_PRESIGNED_SECONDS) {
      return incompleteSignature(
        `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGNED_SECONDS}`,
      );
    }
  }
  const sessionToken = get('X-Amz-Security-Token');
  return {
    ok: true,
    from: 'query',
    credential,
    signature,
    signedHeaders: signedHeaderList(signedHeaders),
    timestamp,
    ...(sessionToken === undefined ? {} : { sessionToken }),
    ...(expiresSeconds === undefined ? {} : { expiresSeconds }),
  };
}

/**
 * The request's SigV4 parameters: from the Authorization header, or from `X-Amz-Algorithm` and
 * its companions in the query (a presigned URL). Neither → "Missing Authentication Token";
 * both → a signature mismatch.
 */
export function readAuthParams(
  headers: Headers,
  query: Map<string, string[]>,
): AuthParams | SigV4Failure {
  const header = firstValue(headers['authorization']);
  const hasHeader = header !== undefined && header.trim() !== '';
  const queryAlgorithm = query.get('X-Amz-Algorithm')?.[0];
  if (hasHeader && queryAlgorithm !== undefined) return signatureMismatch();
  if (hasHeader) return fromAuthorizationHeader(header, headers);
  if (queryAlgorithm !== undefined) return fromQuery(queryAlgorithm, query);
  return missingAuthenticationToken();
}
