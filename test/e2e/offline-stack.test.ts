// The whole offline stack, as `npm start` runs it, on free ports and its own state folder: the
// journey with the real SDK clients, the ways a request to the API is refused, the profile the
// PostConfirmation trigger wrote (and one created on read when it is missing), and the request's
// log lines in the store.
import { createSign, generateKeyPairSync } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { CognitoIdentityClient, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { CognitoIdentityProviderClient, ConfirmSignUpCommand, InitiateAuthCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DeleteItemCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJourney, type JourneyResult } from '../../local/demo/journey.js';
import { signedFetch } from '../../shared/signed-fetch.js';
import { startStack, type RunningStack } from '../../local/stack.js';
import { openSearchStore, searchLogs } from '../../tools/logs/search.js';
import type { LogRow } from '../../tools/logs/format.js';

const root = path.resolve(import.meta.dirname, '../..');
const stateDir = path.join(root, '.local', `test-e2e-${process.pid}`);
let clockOffsetMs = 0;

describe('the offline stack end to end', () => {
  let stack: RunningStack;
  let journey: JourneyResult;
  let credentials: Awaited<ReturnType<ReturnType<typeof fromCognitoIdentityPool>>>;
  let idToken: string;

  const api = () => stack.endpoints.endpoints.api;
  const region = () => stack.endpoints.region;
  const readLogs = async (filters: { trace?: string; function?: string }): Promise<LogRow[]> => {
    const file = stack.endpoints.logSink.slice('sqlite:'.length);
    const store = await openSearchStore(file).catch(() => undefined);
    if (!store) return [];
    try {
      return searchLogs(store, filters, 200).rows;
    } finally {
      store.db.close();
    }
  };

  beforeAll(async () => {
    stack = await startStack({
      root,
      stateDir,
      ports: {},
      asyncRetryDelaysMs: [100, 200],
      now: () => new Date(Date.now() + clockOffsetMs),
    });
    journey = await runJourney(stack.endpoints, { print: () => undefined, readLogs: (trace) => readLogs({ trace }), logsWaitMs: 20_000 });
    ({ credentials, idToken } = await signIn(stack, 'second'));
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    rmSync(stateDir, { recursive: true, force: true });
  }, 60_000);

  it('runs the journey: sign up, confirm, sign in, identity credentials, a signed GET /profile', () => {
    expect(journey.profile.status).toBe(200);
    expect(journey.profile.body).toMatchObject({ userId: journey.sub, email: journey.email, name: 'Demo User', cognitoIdentityId: journey.identityId });
    expect(journey.identityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
  });

  it('has the profile the PostConfirmation trigger wrote in DynamoDB', async () => {
    const table = stack.model.tables[0]!.name;
    const dynamodb = new DynamoDBClient({ region: region(), endpoint: stack.endpoints.endpoints.dynamodb, credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });

    const item = await dynamodb.send(new GetItemCommand({ TableName: table, Key: { userId: { S: journey.sub } } }));
    dynamodb.destroy();

    expect(item.Item).toMatchObject({ userId: { S: journey.sub }, email: { S: journey.email }, name: { S: 'Demo User' } });
  });

  it("finds the profile function's log lines of that request in the store by trace id", () => {
    const functions = new Set(journey.logs.map((row) => row.function));
    const messages = journey.logs.map((row) => row.message);

    expect(functions).toEqual(new Set([`auth-service-${stack.endpoints.stage}-getProfile`]));
    expect(messages.some((m) => m.startsWith('START RequestId:'))).toBe(true);
    expect(messages).toContain('request handled');
    expect(messages.some((m) => m.startsWith('REPORT RequestId:'))).toBe(true);
    expect(new Set(journey.logs.map((row) => row.request_id)).size).toBe(1);
  });

  it('answers an unsigned request to an IAM route with 403 Missing Authentication Token, with CORS headers', async () => {
    const response = await fetch(`${api()}/profile`);

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('refuses a tampered signature, a wrong secret and an unknown session token with 403', async () => {
    const signed = await sign('GET', '/hello', credentials);
    const tampered = await fetch(`${api()}/hello`, { headers: { ...signed, authorization: signed.authorization!.replace(/Signature=\w{4}/, 'Signature=0000') } });
    const wrongSecret = await fetch(`${api()}/hello`, { headers: await sign('GET', '/hello', { ...credentials, secretAccessKey: 'not-the-secret' }) });
    const wrongToken = await fetch(`${api()}/hello`, { headers: await sign('GET', '/hello', { ...credentials, sessionToken: 'forged-token' }) });

    expect([tampered.status, wrongSecret.status, wrongToken.status]).toEqual([403, 403, 403]);
    expect(tampered.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    expect(wrongSecret.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    expect(((await wrongToken.json()) as { message: string }).message).toBe('The security token included in the request is invalid.');
  });

  it('refuses a request signed more than 5 minutes ago', async () => {
    const old = await fetch(`${api()}/hello`, { headers: await sign('GET', '/hello', credentials, new Date(Date.now() - 6 * 60_000)) });

    expect(old.status).toBe(403);
    expect(((await old.json()) as { message: string }).message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than/);
  });

  it('refuses credentials past their expiry', async () => {
    clockOffsetMs = 2 * 60 * 60_000;
    try {
      const later = new Date(Date.now() + clockOffsetMs);
      const response = await fetch(`${api()}/hello`, { headers: await sign('GET', '/hello', credentials, later) });

      expect(response.status).toBe(403);
      expect(response.headers.get('x-amzn-errortype')).toBe('ExpiredTokenException');
    } finally {
      clockOffsetMs = 0;
    }
  });

  it('recreates a profile missing from DynamoDB from the user pool, loading the packaged Cognito chunk on that request', async () => {
    const table = stack.model.tables[0]!.name;
    const { sub, email } = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub: string; email: string };
    const dynamodb = new DynamoDBClient({ region: region(), endpoint: stack.endpoints.endpoints.dynamodb, credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    await dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { userId: { S: sub } } }));

    const profile = await signedFetch({ method: 'GET', url: `${api()}/profile` }, credentials, region());
    const item = await dynamodb.send(new GetItemCommand({ TableName: table, Key: { userId: { S: sub } } }));
    dynamodb.destroy();

    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ userId: sub, email });
    expect(item.Item).toMatchObject({ userId: { S: sub }, email: { S: email } });
  });

  it('lets the same credentials call GET /hello and says who they are', async () => {
    const hello = await signedFetch({ method: 'GET', url: `${api()}/hello` }, credentials, region());

    expect(hello.status).toBe(200);
    expect(hello.body).toMatchObject({ identityId: (credentials as { identityId?: string }).identityId });
  });

  it('refuses an ID token the identity pool did not see Cognito sign (forged with another key)', async () => {
    const [header, payload] = idToken.split('.');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = `${header}.${payload}.${createSign('RSA-SHA256').update(`${header}.${payload}`).sign(privateKey).toString('base64url')}`;
    const identity = new CognitoIdentityClient({ region: region(), endpoint: stack.endpoints.endpoints.cognitoIdentity });

    const refused = identity.send(
      new GetIdCommand({ IdentityPoolId: stack.endpoints.identityPoolId, Logins: { [`cognito-idp.${region()}.amazonaws.com/${stack.endpoints.userPoolId}`]: forged } }),
    );

    await expect(refused).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    identity.destroy();
  });

  it('refuses a signed request to a route the role does not allow with 403 AccessDenied', async () => {
    // A second stack in its own folder, whose identity role may invoke nothing.
    const second = await startStack({ root, stateDir: `${stateDir}-narrow`, ports: {}, authenticatedPolicy: [] });
    try {
      const { credentials: creds } = await signIn(second, 'narrow');
      const response = await signedFetch({ method: 'GET', url: `${second.endpoints.endpoints.api}/hello` }, creds, region());

      expect(response.status).toBe(403);
      expect(response.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
      expect((response.body as { Message: string }).Message).toMatch(/is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:/);
    } finally {
      await second.close();
      rmSync(`${stateDir}-narrow`, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses a second stack on the same state folder with a message that says what to do', async () => {
    await expect(startStack({ root, stateDir, ports: {} })).rejects.toThrow(/another offline stack \(pid \d+\) is running with .*: stop it first/);
  });

  async function sign(method: string, route: string, creds: typeof credentials, signingDate?: Date): Promise<Record<string, string>> {
    const url = new URL(`${api()}${route}`);
    const signer = new SignatureV4({ credentials: creds, region: region(), service: 'execute-api', sha256: Sha256 });
    const signed = await signer.sign(new HttpRequest({ method, protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: url.pathname, headers: { host: url.host } }), {
      ...(signingDate ? { signingDate } : {}),
    });
    const { host: _host, ...headers } = signed.headers;
    return headers;
  }
});

/** Signs a new user up and in on `stack`; returns the ID token and identity-pool credentials. */
async function signIn(stack: RunningStack, name: string) {
  const { region, endpoints, userPoolClientId, userPoolId, identityPoolId, confirmationCode } = stack.endpoints;
  const idp = new CognitoIdentityProviderClient({ region, endpoint: endpoints.cognitoIdentityProvider, credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
  const email = `${name}-${Date.now()}@example.com`;
  const password = 'Second-User-1aA!';
  await idp.send(new SignUpCommand({ ClientId: userPoolClientId, Username: email, Password: password, UserAttributes: [{ Name: 'email', Value: email }] }));
  await idp.send(new ConfirmSignUpCommand({ ClientId: userPoolClientId, Username: email, ConfirmationCode: confirmationCode }));
  const auth = await idp.send(new InitiateAuthCommand({ ClientId: userPoolClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password } }));
  idp.destroy();
  const idToken = auth.AuthenticationResult?.IdToken ?? '';
  const credentials = await fromCognitoIdentityPool({
    identityPoolId,
    logins: { [`cognito-idp.${region}.amazonaws.com/${userPoolId}`]: idToken },
    clientConfig: { region, endpoint: endpoints.cognitoIdentity },
  })();
  return { idToken, credentials };
}
