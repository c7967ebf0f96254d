// `aws_iam` authorization as API Gateway does it: the SigV4 signature against the local identity
// pool's credentials, then the authenticated role's policy for `execute-api:Invoke` on the method.
import type { APIGatewayEventIdentity } from 'aws-lambda';
import type { CredentialLookup, PolicyStatement } from '../model.js';
import { compilePolicy, evaluatePolicy, methodArn, PolicyDecision } from './iam-policy.js';
import { assumedRole, cognitoIdentity, policyVariables, verifierLookup } from './identity.js';
import { accessDenied, signatureRefused, type GatewayError } from './responses.js';
import { verifySigV4, type SigV4Request } from './sigv4/index.js';

export interface IamAuthorizerOptions {
  region: string;
  accountId: string;
  apiId: string;
  stage: string;
  lookup: CredentialLookup;
  identityPoolId: string;
  /** The authenticated role's statements. */
  policy: readonly PolicyStatement[];
  authenticatedRoleArn: string;
}

export interface IamRequest {
  /** What the verifier needs: method, raw path and query, lower-cased headers, body. */
  signed: SigV4Request;
  /** The request path within the stage, for the method ARN. */
  stagePath: string;
  sourceIp: string;
  userAgent: string | null;
  now: Date;
}

export type IamDecision = { ok: true; identity: APIGatewayEventIdentity } | { ok: false; error: GatewayError };

export type IamAuthorizer = (request: IamRequest) => Promise<IamDecision>;

/** An authorizer for the `aws_iam` routes; throws at once on a policy it cannot evaluate. */
export function iamAuthorizer(options: IamAuthorizerOptions): IamAuthorizer {
  // Compiled once up front so a statement the local gateway cannot evaluate fails the start.
  compilePolicy(options.policy);
  const role = assumedRole(options.authenticatedRoleArn);
  const lookup = verifierLookup(options.lookup, options.identityPoolId);

  return async (request) => {
    const verified = await verifySigV4(request.signed, lookup, request.now, { region: options.region, service: 'execute-api' });
    if (!verified.ok) return { ok: false, error: signatureRefused(verified) };

    const issued = verified.credentials.identity;
    const arn = methodArn({
      region: options.region,
      accountId: options.accountId,
      apiId: options.apiId,
      stage: options.stage,
      method: request.signed.method,
      path: request.stagePath,
    });
    const policy = compilePolicy(options.policy, { variables: policyVariables(issued, role) });
    const decision = evaluatePolicy(policy, 'execute-api:Invoke', arn);
    if (decision !== PolicyDecision.Allow) {
      return { ok: false, error: accessDenied(role.userArn, arn, decision === PolicyDecision.ExplicitDeny) };
    }
    return {
      ok: true,
      identity: cognitoIdentity(issued, verified.accessKeyId, role, options.accountId, request.sourceIp, request.userAgent),
    };
  };
}
