// The 403 answers API Gateway gives an IAM-authorized route, with its wording and its
// `x-amzn-ErrorType` values (sources in the comments: AWS's "troubleshoot HTTP 403 errors from
// API Gateway" article, and response bodies quoted in public bug reports against execute-api).

/** `x-amzn-ErrorType` values of the IAM authorization failures. */
export const SigV4ErrorType = {
  MissingAuthenticationToken: 'MissingAuthenticationTokenException',
  IncompleteSignature: 'IncompleteSignatureException',
  InvalidSignature: 'InvalidSignatureException',
  // The API Gateway 403 article lists "The security token included in the request is invalid."
  // under AccessDeniedException (other AWS services say UnrecognizedClientException).
  InvalidToken: 'AccessDeniedException',
  ExpiredToken: 'ExpiredTokenException',
} as const;
export type SigV4ErrorType = (typeof SigV4ErrorType)[keyof typeof SigV4ErrorType];

/** A request refused before it reaches the integration, as API Gateway answers it. */
export interface SigV4Failure {
  readonly ok: false;
  readonly status: 403;
  readonly errorType: SigV4ErrorType;
  readonly message: string;
}

const fail = (errorType: SigV4ErrorType, message: string): SigV4Failure => ({
  ok: false,
  status: 403,
  errorType,
  message,
});

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your ' +
  'AWS Secret Access Key and signing method. Consult the service documentation for details.';

export const missingAuthenticationToken = (): SigV4Failure =>
  fail(SigV4ErrorType.MissingAuthenticationToken, 'Missing Authentication Token');

export const incompleteSignature = (message: string): SigV4Failure =>
  fail(SigV4ErrorType.IncompleteSignature, message);

export const invalidSignature = (message: string): SigV4Failure =>
  fail(SigV4ErrorType.InvalidSignature, message);

/** execute-api tells what it computed, which is how a client finds its canonicalization bug. */
export const signatureMismatch = (canonicalRequest?: string, stringToSign?: string): SigV4Failure =>
  invalidSignature(
    canonicalRequest === undefined || stringToSign === undefined
      ? SIGNATURE_MISMATCH
      : `${SIGNATURE_MISMATCH}\n\nThe Canonical String for this request should have been\n` +
          `'${canonicalRequest}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`,
  );

export const invalidToken = (): SigV4Failure =>
  fail(SigV4ErrorType.InvalidToken, 'The security token included in the request is invalid.');

export const expiredToken = (): SigV4Failure =>
  fail(SigV4ErrorType.ExpiredToken, 'The security token included in the request is expired');

/** The HTTP response API Gateway sends for a failure (before any gateway-response headers). */
export function toGatewayResponse(failure: SigV4Failure): {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
} {
  return {
    statusCode: failure.status,
    headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': failure.errorType },
    body: JSON.stringify({ message: failure.message }),
  };
}
