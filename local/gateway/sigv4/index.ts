// SigV4 verification as API Gateway does it for `aws_iam` routes, for the local gateway.
export {
  verifySigV4,
  type SigningKeyLookup,
  type SigningCredentials,
  type SigV4Request,
  type SigV4Result,
  type SigV4Success,
  type SigV4VerifierOptions,
} from './verify.js';
export { SigV4ErrorType, toGatewayResponse, type SigV4Failure } from './responses.js';
export { MAX_CLOCK_SKEW_MS, formatAmzDate } from './amz-date.js';
