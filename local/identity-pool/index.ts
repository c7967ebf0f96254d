// A local Cognito identity pool: what neither cognito-local nor serverless-offline has. It trades
// a user pool ID token for temporary credentials over the Cognito Identity JSON protocol, so
// `@aws-sdk/client-cognito-identity` and `fromCognitoIdentityPool` work against it unchanged,
// and remembers what it issued for the gateway to verify signed requests (`lookup`).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loginTokenVerifier } from './login-token.js';
import { identityPoolOperations } from './operations.js';
import { jsonProtocolListener } from './protocol.js';
import { IdentityPoolState } from './state.js';
import type { CredentialLookup, IdentityPoolSpec, LocalIds, StackSettings } from '../model.js';

export interface IdentityPoolOptions {
  settings: StackSettings;
  ids: LocalIds;
  identityPool: IdentityPoolSpec;
  /** The user pool whose ID tokens are the pool's one login (from startCognito). */
  userPool: {
    issuer: string;
    jwksUri: string;
    clientId: string;
    /** The Logins key: `cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
    providerName: string;
  };
  /** The state folder; identities and issued credentials live in its `identity-pool.json`. */
  stateDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** 3600 (the default) as Cognito gives them. */
  credentialLifetimeSeconds?: number;
  /** Told of errors answered as InternalErrorException (bugs); printed to stderr by default. */
  onInternalError?: (error: unknown) => void;
}

export interface LocalIdentityPool {
  /** The `endpoint` for CognitoIdentityClient (and fromCognitoIdentityPool's clientConfig). */
  endpoint: string;
  /**
   * The credentials issued with an access key id, expired ones included (for a day after their
   * expiry), so the gateway can tell an expired key from an unknown one.
   */
  lookup: CredentialLookup;
  close(): Promise<void>;
}

function reportInternalError(error: unknown): void {
  console.error('local identity pool: internal error', error);
}

/** Starts the identity pool on 127.0.0.1. */
export async function startIdentityPool(options: IdentityPoolOptions): Promise<LocalIdentityPool> {
  const { settings, ids, identityPool, userPool, stateDir, port = 0, credentialLifetimeSeconds = 3600, onInternalError = reportInternalError } = options;
  const state = IdentityPoolState.load(stateDir, ids.identityPoolId);
  const operations = identityPoolOperations({
    region: settings.region,
    identityPoolId: ids.identityPoolId,
    identityPool,
    providerName: userPool.providerName,
    verifyLoginToken: loginTokenVerifier(userPool),
    state,
    credentialLifetimeSeconds,
  });
  const server = createServer(jsonProtocolListener(operations, onInternalError));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    lookup: (accessKeyId) => state.credentials(accessKeyId),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
