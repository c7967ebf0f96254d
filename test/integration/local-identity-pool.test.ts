import { createSign, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCognito, type LocalCognito } from '../../local/cognito/index.js';
import { startIdentityPool, type LocalIdentityPool } from '../../local/identity-pool/index.js';
import { loadLocalIds } from '../../local/ids.js';
import type { IdentityPoolSpec, LocalIds, StackSettings } from '../../local/model.js';
import { postConfirmation, userPoolSpec } from '../helpers/auth-specs.js';
import { startLocalLambda, type LocalLambda } from '../helpers/local-lambda.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const code = '135790';
const password = 'Correct-horse-42';
const region = 'us-east-1';

// The identity pool and its authenticated role as resources/auth-identity-pool.yml declares them.
const identityPoolSpec = (apiId: string): IdentityPoolSpec => ({
  allowUnauthenticated: false,
  authenticatedPolicy: [
    {
      Effect: 'Allow',
      Action: 'execute-api:Invoke',
      Resource: ['GET/hello', 'GET/profile', 'PUT/profile'].map((route) => `arn:aws:execute-api:${region}:000000000000:${apiId}/dev/${route}`),
    },
  ],
  authenticatedRoleArn: 'arn:aws:iam::000000000000:role/auth-service-dev-CognitoAuthenticatedRole-1A2B3C4D5E6F',
});

// The key cognito-local signs every token with (its JWKS publishes the public half).
const cognitoLocalKey = createRequire(import.meta.url)('cognito-local/lib/keys/cognitoLocal.private.json') as { pem: string };

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (jwt: string, index: 0 | 1) => JSON.parse(Buffer.from(jwt.split('.')[index]!, 'base64url').toString('utf8')) as Record<string, unknown>;

/** A token with `token`'s header and claims (changed by `claims`), signed RS256 with `privateKey`. */
function resign(token: string, privateKey: string, claims: Record<string, unknown> = {}): string {
  const input = `${part(decode(token, 0))}.${part({ ...decode(token, 1), ...claims })}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url')}`;
}

describe('local identity pool', () => {
  let stateDir: string;
  let settings: StackSettings;
  let ids: LocalIds;
  let providerName: string;
  let lambda: LocalLambda;
  let cognito: LocalCognito;
  let pool: LocalIdentityPool;
  let idp: CognitoIdentityProviderClient;
  let identity: CognitoIdentityClient;

  const startPool = async () => {
    pool = await startIdentityPool({
      settings,
      ids,
      identityPool: identityPoolSpec(ids.apiId),
      userPool: { issuer: cognito.issuer, jwksUri: cognito.jwksUri, clientId: ids.userPoolClientId, providerName },
      stateDir,
    });
    identity = new CognitoIdentityClient({ endpoint: pool.endpoint, region });
  };
  const signUp = async (email: string, clientId = ids.userPoolClientId) => {
    await idp.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: password }));
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: code }));
  };
  const signIn = async (email: string, clientId = ids.userPoolClientId) => {
    const { AuthenticationResult } = await idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password } }));
    return { idToken: AuthenticationResult!.IdToken!, accessToken: AuthenticationResult!.AccessToken! };
  };
  const getId = (Logins?: Record<string, string>, IdentityPoolId = ids.identityPoolId) => identity.send(new GetIdCommand({ IdentityPoolId, Logins }));

  let adaToken: string;
  let adaIdentityId: string;

  beforeAll(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'local-identity-pool-'));
    settings = { region, accountId: '000000000000', stage: 'dev', stateDir };
    ids = loadLocalIds(stateDir, region);
    providerName = `cognito-idp.${region}.amazonaws.com/${ids.userPoolId}`;
    // A stand-in for the PostConfirmation function: Cognito only needs the event back.
    lambda = await startLocalLambda({ [postConfirmation]: async (event) => event });
    cognito = await startCognito({ stateDir, settings, ids, userPool: userPoolSpec, lambdaEndpoint: lambda.endpoint, code });
    idp = new CognitoIdentityProviderClient({ endpoint: cognito.endpoint, region, credentials });
    await startPool();
    await signUp('ada@example.com');
    adaToken = (await signIn('ada@example.com')).idToken;
    adaIdentityId = (await getId({ [providerName]: adaToken })).IdentityId!;
  });
  afterAll(async () => {
    identity?.destroy();
    idp?.destroy();
    await pool?.close();
    await cognito?.close();
    await lambda?.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  describe('signed-in users', () => {
    it('gives fromCognitoIdentityPool temporary credentials for an ID token, which lookup finds', async () => {
      const { idToken } = await signIn('ada@example.com');
      const provider = fromCognitoIdentityPool({ identityPoolId: ids.identityPoolId, logins: { [providerName]: idToken }, clientConfig: { endpoint: pool.endpoint, region } });

      const issued = await provider();

      expect(issued).toMatchObject({
        identityId: adaIdentityId,
        accessKeyId: expect.stringMatching(/^ASIA[A-Z2-7]{16}$/),
        secretAccessKey: expect.stringMatching(/^[A-Za-z0-9+/]{40}$/),
        sessionToken: expect.any(String),
      });
      expect(issued.expiration!.getTime() - Date.now()).toBeGreaterThan(3590_000);
      expect(issued.expiration!.getTime() - Date.now()).toBeLessThanOrEqual(3600_000);
      expect(pool.lookup(issued.accessKeyId)).toEqual({
        accessKeyId: issued.accessKeyId,
        secretAccessKey: issued.secretAccessKey,
        sessionToken: issued.sessionToken,
        expiration: issued.expiration,
        identityId: adaIdentityId,
        identityPoolId: ids.identityPoolId,
        providerName,
        sub: decode(idToken, 1).sub,
      });
      expect(pool.lookup('ASIAUNKNOWNUNKNOWN00')).toBeUndefined();
    });

    it('gives a user one identity id (of the pool region) at every sign-in, and each user their own', async () => {
      await signUp('grace@example.com');

      const again = await getId({ [providerName]: (await signIn('ada@example.com')).idToken });
      const grace = await getId({ [providerName]: (await signIn('grace@example.com')).idToken });

      expect(adaIdentityId).toMatch(/^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(again.IdentityId).toBe(adaIdentityId);
      expect(grace.IdentityId).not.toBe(adaIdentityId);
    });

    it('keeps identity ids and issued credentials across a restart', async () => {
      const { Credentials } = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId: adaIdentityId, Logins: { [providerName]: adaToken } }));
      identity.destroy();
      await pool.close();

      await startPool();

      expect((await getId({ [providerName]: adaToken })).IdentityId).toBe(adaIdentityId);
      expect(pool.lookup(Credentials!.AccessKeyId!)).toMatchObject({ identityId: adaIdentityId, secretAccessKey: Credentials!.SecretKey, expiration: Credentials!.Expiration });
    });
  });

  describe('refusals', () => {
    const refusal = async (promise: Promise<unknown>) => {
      const error = (await promise.then(
        () => undefined,
        (caught: unknown) => caught,
      )) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } } | undefined;
      return { name: error?.name, message: error?.message, status: error?.$metadata?.httpStatusCode };
    };

    it('refuses an ID token signed with another key', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
      const forged = resign(adaToken, privateKey);

      expect(await refusal(getId({ [providerName]: forged }))).toEqual({ name: 'NotAuthorizedException', message: "Invalid login token. Couldn't verify signed token.", status: 400 });
      // fromCognitoIdentityPool surfaces the service's error as it is.
      const provider = fromCognitoIdentityPool({ identityPoolId: ids.identityPoolId, logins: { [providerName]: forged }, clientConfig: { endpoint: pool.endpoint, region } });
      expect(await refusal(provider())).toMatchObject({ name: 'NotAuthorizedException' });
    });

    it('refuses an ID token for another client of the pool', async () => {
      const { UserPoolClient } = await idp.send(new CreateUserPoolClientCommand({ UserPoolId: ids.userPoolId, ClientName: 'other', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }));
      const { idToken } = await signIn('ada@example.com', UserPoolClient!.ClientId!);

      expect(decode(idToken, 1).aud).toBe(UserPoolClient!.ClientId);
      expect(await refusal(getId({ [providerName]: idToken }))).toEqual({ name: 'NotAuthorizedException', message: 'Invalid login token. Incorrect token audience.', status: 400 });
    });

    it('refuses an expired ID token', async () => {
      const now = Math.floor(Date.now() / 1000);
      const expired = resign(adaToken, cognitoLocalKey.pem, { iat: now - 7200, auth_time: now - 7200, exp: now - 3600 });

      expect(await refusal(getId({ [providerName]: expired }))).toEqual({
        name: 'NotAuthorizedException',
        message: expect.stringMatching(new RegExp(`^Invalid login token\\. Token expired: \\d+ >= ${now - 3600}$`)),
        status: 400,
      });
    });

    it('refuses an ID token of another user pool, even under this pool’s provider name', async () => {
      const { UserPool } = await idp.send(new CreateUserPoolCommand({ PoolName: 'elsewhere', UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] }));
      const { UserPoolClient } = await idp.send(new CreateUserPoolClientCommand({ UserPoolId: UserPool!.Id!, ClientName: 'elsewhere-web' }));
      await signUp('mallory@example.com', UserPoolClient!.ClientId!);
      const { idToken } = await signIn('mallory@example.com', UserPoolClient!.ClientId!);

      expect(await refusal(getId({ [providerName]: idToken }))).toEqual({ name: 'NotAuthorizedException', message: "Invalid login token. Issuer doesn't match providerName", status: 400 });
      expect(await refusal(getId({ [`cognito-idp.${region}.amazonaws.com/${UserPool!.Id!}`]: idToken }))).toEqual({
        name: 'NotAuthorizedException',
        message: 'Token is not from a supported provider of this identity pool.',
        status: 400,
      });
    });

    it('refuses an access token in place of the ID token', async () => {
      const { accessToken } = await signIn('ada@example.com');

      expect(await refusal(getId({ [providerName]: accessToken }))).toMatchObject({ name: 'NotAuthorizedException', message: expect.stringMatching(/^Invalid login token\. /) });
    });

    it('refuses unauthenticated identities, which the pool does not allow', async () => {
      expect(await refusal(getId(undefined))).toEqual({ name: 'NotAuthorizedException', message: 'Unauthenticated access is not supported for this identity pool.', status: 400 });
      expect(await refusal(identity.send(new GetCredentialsForIdentityCommand({ IdentityId: adaIdentityId })))).toEqual({
        name: 'NotAuthorizedException',
        message: `Access to Identity '${adaIdentityId}' is forbidden.`,
        status: 400,
      });
    });

    it("refuses credentials for one user's identity with another user's token", async () => {
      const { idToken } = await signIn('grace@example.com');

      expect(await refusal(identity.send(new GetCredentialsForIdentityCommand({ IdentityId: adaIdentityId, Logins: { [providerName]: idToken } })))).toEqual({
        name: 'NotAuthorizedException',
        message: "Logins don't match. Please include at least one valid login for this identity or identity pool.",
        status: 400,
      });
    });

    it('answers ResourceNotFoundException for another identity pool id or an unknown identity', async () => {
      const otherPool = `${region}:0b7c1f8e-1111-4222-8333-944455556666`;
      const unknownIdentity = `${region}:0b7c1f8e-aaaa-4bbb-8ccc-9dddeeeeffff`;

      expect(await refusal(getId({ [providerName]: adaToken }, otherPool))).toEqual({ name: 'ResourceNotFoundException', message: `IdentityPool '${otherPool}' not found.`, status: 400 });
      expect(await refusal(identity.send(new GetCredentialsForIdentityCommand({ IdentityId: unknownIdentity, Logins: { [providerName]: adaToken } })))).toEqual({
        name: 'ResourceNotFoundException',
        message: `Identity '${unknownIdentity}' not found.`,
        status: 400,
      });
    });

    it('answers ValidationException for an ill-formed identity pool id', async () => {
      expect(await refusal(getId({ [providerName]: adaToken }, 'not-an-identity-pool'))).toEqual({
        name: 'ValidationException',
        message: "1 validation error detected: Value 'not-an-identity-pool' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+",
        status: 400,
      });
    });

    it('speaks AWS JSON 1.1: an unknown target is an UnknownOperationException', async () => {
      const response = await fetch(pool.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityService.DeleteIdentityPool' },
        body: JSON.stringify({ IdentityPoolId: ids.identityPoolId }),
      });

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
      expect(await response.json()).toEqual({ __type: 'UnknownOperationException', message: 'unknown operation "AWSCognitoIdentityService.DeleteIdentityPool"' });
    });
  });
});
