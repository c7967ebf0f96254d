// Temporary AWS credentials of the signed-in user from the identity pool (fromCognitoIdentityPool:
// GetId once, then GetCredentialsForIdentity with a current ID token). Kept in sessionStorage until
// less than refreshMarginMs of them is left, then fetched again; `forceRefresh` after the API
// refused them.
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import { loginProvider, type WebConfig } from './config.js';
import { refreshMarginMs, storagePrefix, type Session } from './session.js';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export interface CredentialSource {
  get(options?: { forceRefresh?: boolean }): Promise<Credentials>;
}

export function identityCredentials(config: WebConfig, session: Session, storage: Storage, now: () => number = Date.now): CredentialSource {
  const key = `${storagePrefix}credentials:${session.sub}`;
  const provider = fromCognitoIdentityPool({
    identityPoolId: config.identityPoolId,
    // A function, so every fetch of credentials sends a current (renewed if need be) ID token.
    logins: { [loginProvider(config)]: () => session.idToken() },
    // The identity id is cached per user, next to the tokens, and removed with them at sign-out.
    userIdentifier: session.sub,
    cache: prefixed(storage, storagePrefix),
    clientConfig: {
      region: config.region,
      ...(config.endpoints.cognitoIdentity ? { endpoint: config.endpoints.cognitoIdentity } : {}),
    },
  });
  let fetching: Promise<Credentials> | undefined;

  const fetchNew = async (): Promise<Credentials> => {
    const fresh = await provider();
    if (!fresh.sessionToken || !fresh.expiration) throw new Error('the identity pool returned credentials without a session token or expiry');
    const credentials: Credentials = {
      accessKeyId: fresh.accessKeyId,
      secretAccessKey: fresh.secretAccessKey,
      sessionToken: fresh.sessionToken,
      expiration: fresh.expiration,
    };
    storage.setItem(key, JSON.stringify(credentials));
    return credentials;
  };

  return {
    async get({ forceRefresh = false } = {}) {
      const stored = forceRefresh ? undefined : read(storage, key);
      if (stored && stored.expiration.getTime() - now() > refreshMarginMs) return stored;
      // One fetch at a time: concurrent requests share it.
      fetching ??= fetchNew().finally(() => {
        fetching = undefined;
      });
      return fetching;
    },
  };
}

function read(storage: Storage, key: string): Credentials | undefined {
  try {
    const value = JSON.parse(storage.getItem(key) ?? 'null') as Record<string, unknown> | null;
    if (!value) return undefined;
    const { accessKeyId, secretAccessKey, sessionToken, expiration } = value;
    if (typeof accessKeyId !== 'string' || typeof secretAccessKey !== 'string' || typeof sessionToken !== 'string' || typeof expiration !== 'string') return undefined;
    const expires = new Date(expiration);
    return Number.isNaN(expires.getTime()) ? undefined : { accessKeyId, secretAccessKey, sessionToken, expiration: expires };
  } catch {
    return undefined;
  }
}

function prefixed(storage: Storage, prefix: string) {
  return {
    getItem: (key: string) => storage.getItem(prefix + key),
    setItem: (key: string, value: string) => storage.setItem(prefix + key, value),
    removeItem: (key: string) => storage.removeItem(prefix + key),
  };
}
