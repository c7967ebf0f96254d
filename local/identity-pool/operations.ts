// GetId and GetCredentialsForIdentity of the enhanced (simplified) authflow, for one identity pool
// with one user pool login, as Cognito Identity answers them.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import type { IdentityPoolSpec, IssuedCredentials } from '../model.js';
import { InvalidIdentityPoolConfigurationError, InvalidParameterError, NotAuthorizedError, ResourceNotFoundError, ValidationError } from './errors.js';
import type { LoginTokenVerifier } from './login-token.js';
import type { IdentityPoolState } from './state.js';

export interface IdentityPoolConfig {
  region: string;
  identityPoolId: string;
  identityPool: IdentityPoolSpec;
  /** The one login the pool accepts: `cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
  providerName: string;
  verifyLoginToken: LoginTokenVerifier;
  state: IdentityPoolState;
  credentialLifetimeSeconds: number;
}

export type Operation = (input: unknown) => Promise<Record<string, unknown>>;

// The members' constraints as the service's model declares them.
const id = z.string().check(
  z.maxLength(55, 'Member must have length less than or equal to 55'),
  z.regex(/^[\w-]+:[0-9a-f-]+$/, 'Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+'),
);
const logins = z.optional(z.record(z.string(), z.string()));
const getIdInput = z.object({ AccountId: z.optional(z.string()), IdentityPoolId: id, Logins: logins });
const getCredentialsInput = z.object({ IdentityId: id, Logins: logins, CustomRoleArn: z.optional(z.string()) });

/** The operations by X-Amz-Target name. */
export function identityPoolOperations(config: IdentityPoolConfig): Record<string, Operation> {
  const { region, identityPoolId, identityPool, providerName, verifyLoginToken, state } = config;

  /** The `sub` of the user the Logins map signs in, or undefined without Logins. */
  async function signedInUser(input: { Logins?: Record<string, string> }): Promise<string | undefined> {
    const entries = Object.entries(input.Logins ?? {});
    if (entries.length === 0) return undefined;
    const token = input.Logins?.[providerName];
    if (entries.length > 1 || token === undefined) throw new NotAuthorizedError('Token is not from a supported provider of this identity pool.');
    return (await verifyLoginToken(token)).sub;
  }

  return {
    async GetId(raw) {
      const input = validate(getIdInput, raw);
      if (input.IdentityPoolId !== identityPoolId) throw new ResourceNotFoundError(`IdentityPool '${input.IdentityPoolId}' not found.`);
      const sub = await signedInUser(input);
      if (sub === undefined) {
        if (!identityPool.allowUnauthenticated) throw new NotAuthorizedError('Unauthenticated access is not supported for this identity pool.');
        const identityId = `${region}:${randomUUID()}`;
        state.addIdentity(identityId);
        return { IdentityId: identityId };
      }
      let identityId = state.identityOf(sub);
      if (identityId === undefined) {
        identityId = `${region}:${randomUUID()}`;
        state.addIdentity(identityId, sub);
      }
      return { IdentityId: identityId };
    },

    async GetCredentialsForIdentity(raw) {
      const input = validate(getCredentialsInput, raw);
      const identity = state.identity(input.IdentityId);
      if (!identity) throw new ResourceNotFoundError(`Identity '${input.IdentityId}' not found.`);
      if (input.CustomRoleArn !== undefined && input.CustomRoleArn !== identityPool.authenticatedRoleArn) {
        throw new InvalidParameterError('CustomRoleArn is not a role this identity pool can assume.');
      }
      const sub = await signedInUser(input);
      if (sub === undefined) {
        if (identity.sub !== undefined) throw new NotAuthorizedError(`Access to Identity '${input.IdentityId}' is forbidden.`);
        if (!identityPool.allowUnauthenticated) throw new NotAuthorizedError('Unauthenticated access is not supported for this identity pool.');
        // The template attaches an authenticated role only.
        throw new InvalidIdentityPoolConfigurationError();
      }
      if (identity.sub !== sub) throw new NotAuthorizedError("Logins don't match. Please include at least one valid login for this identity or identity pool.");
      const credentials = issue({ identityId: input.IdentityId, identityPoolId, providerName, sub }, config.credentialLifetimeSeconds);
      state.addCredentials(credentials);
      return {
        IdentityId: input.IdentityId,
        Credentials: {
          AccessKeyId: credentials.accessKeyId,
          SecretKey: credentials.secretAccessKey,
          SessionToken: credentials.sessionToken,
          // The service's JSON gives timestamps as epoch seconds.
          Expiration: credentials.expiration.getTime() / 1000,
        },
      };
    },
  };
}

function validate<T>(schema: z.ZodMiniType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  // "Value null at 'identityPoolId' failed to satisfy constraint: Member must not be null"
  const problems = parsed.error.issues.map((issue) => {
    const member = String(issue.path[0] ?? 'input');
    const at = `at '${member.charAt(0).toLowerCase()}${member.slice(1)}'`;
    const value = issue.path.length === 1 && typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[member] : undefined;
    if (value === undefined || value === null) return `Value null ${at} failed to satisfy constraint: Member must not be null`;
    return `Value '${typeof value === 'string' ? value : JSON.stringify(value)}' ${at} failed to satisfy constraint: ${issue.message}`;
  });
  throw new ValidationError(problems);
}

const base32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** New temporary credentials shaped like STS's: `ASIA…` key id, 40-character secret, session token. */
function issue(identity: Omit<IssuedCredentials, 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'expiration'>, lifetimeSeconds: number): IssuedCredentials {
  return {
    accessKeyId: `ASIA${Array.from({ length: 16 }, () => base32[randomInt(base32.length)]).join('')}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(384).toString('base64'),
    // Whole seconds, as the service gives them.
    expiration: new Date((Math.floor(Date.now() / 1000) + lifetimeSeconds) * 1000),
    ...identity,
  };
}
