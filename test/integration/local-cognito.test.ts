import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CodeMismatchException,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startCognito, type LocalCognito } from '../../local/cognito/index.js';
import { startDynamoDb, type LocalDynamoDb } from '../../local/dynamodb.js';
import { loadLocalIds } from '../../local/ids.js';
import type { LocalIds, StackSettings } from '../../local/model.js';
import { postConfirmation, profilesTable, userPoolSpec } from '../helpers/auth-specs.js';
import { startLocalLambda, type LocalLambda } from '../helpers/local-lambda.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const code = '246810';
const password = 'Correct-horse-42';

const claimsOf = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('loadLocalIds', () => {
  it('makes AWS-shaped ids once and gives the same ones at the next start', () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), 'local-ids-'));
    try {
      const ids = loadLocalIds(stateDir, 'eu-west-2');

      expect(ids.userPoolId).toMatch(/^eu-west-2_[0-9A-Za-z]{9}$/);
      expect(ids.userPoolClientId).toMatch(/^[0-9a-z]{26}$/);
      expect(ids.identityPoolId).toMatch(/^eu-west-2:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(ids.apiId).toMatch(/^[0-9a-z]{10}$/);
      expect(JSON.parse(readFileSync(path.join(stateDir, 'ids.json'), 'utf8'))).toEqual(ids);
      expect(loadLocalIds(stateDir, 'eu-west-2')).toEqual(ids);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('makes new region-bound ids for another region and keeps the others', () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), 'local-ids-'));
    try {
      const first = loadLocalIds(stateDir, 'us-east-1');

      const second = loadLocalIds(stateDir, 'eu-central-1');

      expect(second.userPoolId).toMatch(/^eu-central-1_/);
      expect(second.identityPoolId).toMatch(/^eu-central-1:/);
      expect(second).toMatchObject({ userPoolClientId: first.userPoolClientId, apiId: first.apiId });
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});

describe('local Cognito user pool (cognito-local)', () => {
  let stateDir: string;
  let settings: StackSettings;
  let ids: LocalIds;
  let dynamo: LocalDynamoDb;
  let lambda: LocalLambda;
  let cognito: LocalCognito;
  let client: CognitoIdentityProviderClient;
  let dynamoClient: DynamoDBClient;

  const startPool = async () => {
    cognito = await startCognito({ stateDir, settings, ids, userPool: userPoolSpec, lambdaEndpoint: lambda.endpoint, code });
    client = new CognitoIdentityProviderClient({ endpoint: cognito.endpoint, region: settings.region, credentials });
  };
  const signUp = async (email: string) => {
    const { UserSub } = await client.send(new SignUpCommand({ ClientId: ids.userPoolClientId, Username: email, Password: password, UserAttributes: [{ Name: 'email', Value: email }] }));
    return UserSub!;
  };
  const signIn = (email: string) =>
    client.send(new InitiateAuthCommand({ ClientId: ids.userPoolClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password } }));

  beforeAll(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'local-cognito-'));
    settings = { region: 'us-east-1', accountId: '000000000000', stage: 'dev', stateDir };
    ids = loadLocalIds(stateDir, settings.region);
    dynamo = await startDynamoDb({ stateDir, tables: [profilesTable] });
    dynamoClient = new DynamoDBClient({ endpoint: dynamo.endpoint, region: settings.region, credentials });
    // The real PostConfirmation handler, with the environment it is deployed with, behind a
    // loopback Invoke API. Imported only now: it reads its configuration when it loads.
    for (const [name, value] of Object.entries({
      STAGE: 'dev',
      LOG_LEVEL: 'silent',
      AWS_REGION: settings.region,
      PROFILES_TABLE: profilesTable.name,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    })) {
      vi.stubEnv(name, value);
    }
    const trigger = await import('../../auth-service/src/triggers/post-confirmation.js');
    lambda = await startLocalLambda({ [postConfirmation]: (event, context) => trigger.handler(event, context) });
    await startPool();
  });
  afterAll(async () => {
    client?.destroy();
    dynamoClient?.destroy();
    await cognito?.close();
    await lambda?.close();
    await dynamo?.close();
    vi.unstubAllEnvs();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('has the template pool under the AWS-shaped id, and its web client under the local client id', async () => {
    const { UserPool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: ids.userPoolId }));
    const { UserPoolClient } = await client.send(new DescribeUserPoolClientCommand({ UserPoolId: ids.userPoolId, ClientId: ids.userPoolClientId }));

    expect(UserPool).toMatchObject({
      Id: ids.userPoolId,
      Name: 'auth-service-dev-users',
      Arn: `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${ids.userPoolId}`,
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireSymbols: false } },
      LambdaConfig: { PostConfirmation: `arn:aws:lambda:us-east-1:000000000000:function:${postConfirmation}` },
    });
    expect(UserPool?.SchemaAttributes?.find((attribute) => attribute.Name === 'email')).toMatchObject({ Required: true, Mutable: true });
    expect(UserPoolClient).toMatchObject({
      ClientId: ids.userPoolClientId,
      ClientName: 'auth-service-dev-web',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      IdTokenValidity: 60,
      TokenValidityUnits: { IdToken: 'minutes' },
    });
    expect(cognito.issuer).toBe(`${cognito.endpoint}/${ids.userPoolId}`);
    expect(existsSync(path.join(stateDir, 'cognito', `${ids.userPoolId}.json`))).toBe(true);
  });

  it('signs up, confirms with the fixed code and signs in with USER_PASSWORD_AUTH', async () => {
    const sub = await signUp('grace@example.com');
    await client.send(new ConfirmSignUpCommand({ ClientId: ids.userPoolClientId, Username: 'grace@example.com', ConfirmationCode: code }));

    const { AuthenticationResult } = await signIn('grace@example.com');

    const claims = claimsOf(AuthenticationResult!.IdToken!);
    expect(claims).toMatchObject({ sub, iss: cognito.issuer, aud: ids.userPoolClientId, token_use: 'id', email: 'grace@example.com', email_verified: true });
    // The client's IdTokenValidity: 60 minutes.
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
    expect(AuthenticationResult?.RefreshToken).toEqual(expect.any(String));
    const jwks = (await (await fetch(cognito.jwksUri)).json()) as { keys: Array<{ kid: string }> };
    expect(jwks.keys.map((key) => key.kid)).toContain(JSON.parse(Buffer.from(AuthenticationResult!.IdToken!.split('.')[0]!, 'base64url').toString('utf8')).kid);
  });

  it('invokes PostConfirmation through the Invoke API with the event Cognito sends, and the trigger writes the profile', async () => {
    const sub = await signUp('ada@example.com');
    expect(lambda.invocations.filter(({ payload }) => (payload as { userName?: string }).userName === sub)).toEqual([]);

    await client.send(new ConfirmSignUpCommand({ ClientId: ids.userPoolClientId, Username: 'ada@example.com', ConfirmationCode: code }));

    const invocations = lambda.invocations.filter(({ payload }) => (payload as { userName?: string }).userName === sub);
    expect(invocations).toEqual([
      {
        functionName: postConfirmation,
        payload: {
          version: '1',
          region: 'us-east-1',
          userPoolId: ids.userPoolId,
          userName: sub,
          callerContext: { awsSdkVersion: expect.any(String), clientId: ids.userPoolClientId },
          triggerSource: 'PostConfirmation_ConfirmSignUp',
          request: { userAttributes: { sub, email: 'ada@example.com', email_verified: 'true', 'cognito:user_status': 'CONFIRMED' } },
          response: {},
        },
      },
    ]);
    const { Item } = await dynamoClient.send(new GetItemCommand({ TableName: profilesTable.name, Key: { userId: { S: sub } }, ConsistentRead: true }));
    expect(Item).toMatchObject({ userId: { S: sub }, email: { S: 'ada@example.com' }, createdAt: { S: expect.any(String) } });
  });

  it('refuses a wrong confirmation code and runs no trigger', async () => {
    const sub = await signUp('alan@example.com');

    await expect(client.send(new ConfirmSignUpCommand({ ClientId: ids.userPoolClientId, Username: 'alan@example.com', ConfirmationCode: '000000' }))).rejects.toBeInstanceOf(
      CodeMismatchException,
    );

    expect(lambda.invocations.filter(({ payload }) => (payload as { userName?: string }).userName === sub)).toEqual([]);
  });

  it('keeps the pool, the client and the users when started again on the same state folder', async () => {
    const sub = await signUp('barbara@example.com');
    await client.send(new ConfirmSignUpCommand({ ClientId: ids.userPoolClientId, Username: 'barbara@example.com', ConfirmationCode: code }));
    client.destroy();
    await cognito.close();

    await startPool();

    const { AuthenticationResult } = await signIn('barbara@example.com');
    expect(claimsOf(AuthenticationResult!.IdToken!)).toMatchObject({ sub, iss: cognito.issuer, aud: ids.userPoolClientId });
    const { UserPool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: ids.userPoolId }));
    expect(UserPool?.Name).toBe('auth-service-dev-users');
  });
});
