// The canonical request, string to sign and signature, computed by @smithy/signature-v4 (the
// signer of the AWS SDK and the web client) so the gateway canonicalizes exactly as they do.
import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { ALGORITHM_IDENTIFIER, SignatureV4 } from '@smithy/signature-v4';

type HttpRequest = Parameters<SignatureV4['presign']>[0];
type QueryBag = HttpRequest['query'];

export const sha256Hex = (body: Uint8Array): string =>
  createHash('sha256').update(body).digest('hex');

const decodeComponent = (raw: string): string => {
  const spaced = raw.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    // A malformed escape stays as sent; its `%` is then encoded, so the signature won't match.
    return spaced;
  }
};

/**
 * Decodes a raw query string into its parameters, each with its values in order. `+` is a space
 * (form encoding, as `aws4` and URLSearchParams read it); `k` without `=` has the value ''.
 */
export function parseQuery(raw: string): Map<string, string[]> {
  const params = new Map<string, string[]>();
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeComponent(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : decodeComponent(part.slice(eq + 1));
    const values = params.get(key);
    if (values) values.push(value);
    else params.set(key, [value]);
  }
  return params;
}

/** SigV4 header value: values of a repeated header joined by `,`, each trimmed, spaces folded. */
export const canonicalHeaderValue = (value: string | readonly string[] | undefined): string =>
  (typeof value === 'string' ? [value] : (value ?? []))
    .map((v) => v.trim().replace(/\s+/g, ' '))
    .join(',');

export interface CanonicalInput {
  method: string;
  /** The path as received, still percent-encoded: execute-api encodes it once more. */
  path: string;
  query: Map<string, string[]>;
  /** Signed header name → canonical value. */
  headers: Record<string, string>;
  payloadHash: string;
}

// Exposes smithy's own canonicalization (path normalization and double encoding, query encoding
// and sorting, header list) and string to sign; the signature itself comes from `sign`.
class CanonicalSigner extends SignatureV4 {
  canonicalRequest(input: CanonicalInput): string {
    const query: QueryBag = {};
    for (const [key, values] of input.query) query[key] = values.length === 1 ? values[0]! : values;
    const request: HttpRequest = {
      method: input.method,
      protocol: 'https:',
      hostname: input.headers['host'] ?? '',
      path: input.path === '' ? '/' : input.path,
      query,
      headers: input.headers,
    };
    return this.createCanonicalRequest(request, input.headers, input.payloadHash);
  }

  stringToSign(longDate: string, scope: string, canonicalRequest: string): Promise<string> {
    return this.createStringToSign(longDate, scope, canonicalRequest, ALGORITHM_IDENTIFIER);
  }
}

export interface ExpectedSignature {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

/** The signature API Gateway expects for this request, with the strings it was computed from. */
export async function expectedSignature(
  input: CanonicalInput,
  signing: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string | undefined;
    region: string;
    service: string;
    requestDate: Date;
    longDate: string;
    scope: string;
  },
): Promise<ExpectedSignature> {
  const signer = new CanonicalSigner({
    service: signing.service,
    region: signing.region,
    credentials: {
      accessKeyId: signing.accessKeyId,
      secretAccessKey: signing.secretAccessKey,
      ...(signing.sessionToken === undefined ? {} : { sessionToken: signing.sessionToken }),
    },
    sha256: Sha256,
  });
  const canonicalRequest = signer.canonicalRequest(input);
  const stringToSign = await signer.stringToSign(signing.longDate, signing.scope, canonicalRequest);
  const signature = await signer.sign(stringToSign, {
    signingDate: signing.requestDate,
    signingRegion: signing.region,
    signingService: signing.service,
  });
  return { canonicalRequest, stringToSign, signature };
}
