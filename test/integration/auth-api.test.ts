import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadApiConfig } from '../../auth-service/src/config.js';
import type { IdentityFields } from '../../auth-service/src/domain/caller.js';
import { lazyUserDirectory } from '../../auth-service/src/repositories/lazy-user-directory.js';
import type { ProfileRepository } from '../../auth-service/src/repositories/profile-repository.js';
import { createProfileDependencies } from '../../auth-service/src/runtime.js';
import type * as GetHealth from '../../auth-service/src/handlers/get-health.js';
import type * as GetHello from '../../auth-service/src/handlers/get-hello.js';
import type * as GetProfile from '../../auth-service/src/handlers/get-profile.js';
import type * as PutProfile from '../../auth-service/src/handlers/put-profile.js';
import type * as PostConfirmation from '../../auth-service/src/triggers/post-confirmation.js';
import { startCognitoLocal, type LocalCognito, type LocalUser } from '../helpers/cognito-local.js';
import { localCredentials, startDynalite, type LocalDynamoDb } from '../helpers/dynalite.js';
import { lambdaContext, loadFixture } from '../helpers/fixtures.js';
import { memoryLogger } from '../helpers/memory-logger.js';

type Variant = 'get-health' | 'get-hello' | 'get-profile' | 'put-profile';
type ApiHandler = (event: APIGatewayProxyEvent, context: { awsRequestId: string }) => Promise<APIGatewayProxyResult>;

/** A fixture request with its identity fields replaced (null: no Cognito identity) and, for PUT, its body. */
function request(variant: Variant, identity: IdentityFields | null, body?: string | null): APIGatewayProxyEvent {
  const event = loadFixture<APIGatewayProxyEvent>('apigateway', variant);
  const fields = identity ?? { cognitoAuthenticationType: null, cognitoAuthenticationProvider: null, cognitoIdentityId: null };
  return {
    ...event,
    body: body === undefined ? event.body : body,
    requestContext: { ...event.requestContext, identity: { ...event.requestContext.identity, ...fields } },
  } as APIGatewayProxyEvent;
}

/** The identity API Gateway attaches for `sub` of `pool` signed in through the identity pool. */
function signedIn(pool: string, sub: string, identityId = `us-east-1:${randomUUID()}`): IdentityFields {
  const issuer = `cognito-idp.${pool.split('_')[0]}.amazonaws.com/${pool}`;
  return { cognitoAuthenticationType: 'authenticated', cognitoAuthenticationProvider: `${issuer},${issuer}:CognitoSignIn:${sub}`, cognitoIdentityId: identityId };
}

const bodyOf = (response: APIGatewayProxyResult) => JSON.parse(response.body) as Record<string, unknown>;
const context = () => lambdaContext(29_000, 'auth-service-test-api');

describe('auth service API against dynalite and cognito-local', () => {
  let dynamo: LocalDynamoDb;
  let cognito: LocalCognito;
  let env: Record<string, string>;
  let modules: {
    health: typeof GetHealth;
    hello: typeof GetHello;
    getProfile: typeof GetProfile;
    putProfile: typeof PutProfile;
    trigger: typeof PostConfirmation;
  };
  let users = 0;
  const newUser = (name: string | undefined = 'Ada Lovelace') => cognito.createUser(`ada+${++users}@example.com`, name === undefined ? {} : { name });
  const identityOf = (user: LocalUser, identityId?: string) => signedIn(cognito.userPoolId, user.sub, identityId);
  const call = (handler: ApiHandler, event: APIGatewayProxyEvent) => handler(event, context());

  beforeAll(async () => {
    dynamo = await startDynalite();
    cognito = await startCognitoLocal();
    // The environment the API functions are deployed with, pointed at the local services.
    env = {
      STAGE: 'test',
      LOG_LEVEL: 'silent',
      AWS_REGION: 'us-east-1',
      PROFILES_TABLE: dynamo.tableName,
      USER_POOL_ID: cognito.userPoolId,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint,
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    };
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    // Imported only now: each module reads its configuration when it loads, as at a cold start.
    modules = {
      health: await import('../../auth-service/src/handlers/get-health.js'),
      hello: await import('../../auth-service/src/handlers/get-hello.js'),
      getProfile: await import('../../auth-service/src/handlers/get-profile.js'),
      putProfile: await import('../../auth-service/src/handlers/put-profile.js'),
      trigger: await import('../../auth-service/src/triggers/post-confirmation.js'),
    };
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await Promise.all([dynamo?.close(), cognito?.close()]);
  });

  /** What Cognito sends the trigger when `user` confirms their sign-up. */
  function confirmed(user: LocalUser, name: string) {
    const event = loadFixture<Record<string, unknown>>('cognito', 'post-confirmation-sign-up');
    return { ...event, userPoolId: cognito.userPoolId, userName: user.sub, request: { userAttributes: { sub: user.sub, email: user.email, email_verified: 'true', name } } };
  }

  describe('GET /health', () => {
    it('answers without an identity', async () => {
      const response = await call(modules.health.handler, loadFixture('apigateway', 'get-health'));

      expect(response.statusCode).toBe(200);
      expect(bodyOf(response)).toEqual({ status: 'ok', service: 'auth-service', stage: 'test' });
    });
  });

  describe('GET /hello', () => {
    it('answers with the identity id and sub of the caller', async () => {
      const user = await newUser();

      const response = await call(modules.hello.handler, request('get-hello', identityOf(user, 'us-east-1:0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0')));

      expect(response.statusCode).toBe(200);
      expect(bodyOf(response)).toEqual({ message: 'Hello', identityId: 'us-east-1:0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0', sub: user.sub });
    });
  });

  describe('private routes', () => {
    const routes: Array<[Variant, () => ApiHandler]> = [
      ['get-hello', () => modules.hello.handler],
      ['get-profile', () => modules.getProfile.handler],
      ['put-profile', () => modules.putProfile.handler],
    ];
    const callers: Array<[string, (sub: string) => IdentityFields | null, number, string]> = [
      ['no Cognito identity', () => null, 401, 'Unauthorized'],
      ['a guest identity', () => ({ cognitoAuthenticationType: 'unauthenticated', cognitoAuthenticationProvider: null, cognitoIdentityId: 'us-east-1:guest' }), 403, 'Forbidden'],
      ['a user of another pool', (sub) => signedIn('us-east-1_Zz99Yy88X', sub), 403, 'Forbidden'],
    ];

    it.each(routes.flatMap(([variant, handler]) => callers.map(([who, identity, status, code]) => [variant, who, handler, identity, status, code] as const)))(
      '%s refuses %s with a JSON error and writes nothing',
      async (variant, _who, handler, identity, status, code) => {
        const user = await newUser();

        const response = await call(handler(), request(variant, identity(user.sub)));

        expect(response.statusCode).toBe(status);
        expect(response.headers).toMatchObject({ 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
        expect(bodyOf(response)).toEqual({ error: code, message: expect.any(String) });
        expect(await dynamo.item(user.sub)).toBeUndefined();
      },
    );
  });

  describe('GET /profile', () => {
    it('creates a missing profile from the user pool attributes and records the identity id', async () => {
      const user = await newUser('Ada Lovelace');
      const identity = identityOf(user);

      const response = await call(modules.getProfile.handler, request('get-profile', identity));

      expect(response.statusCode).toBe(200);
      const profile = bodyOf(response);
      expect(profile).toEqual({ userId: user.sub, email: user.email, name: 'Ada Lovelace', createdAt: expect.any(String), cognitoIdentityId: identity.cognitoIdentityId });
      expect(await dynamo.item(user.sub)).toEqual(profile);
    });

    it('leaves out a user pool name that could not be set as a display name', async () => {
      const user = await newUser('<b>Ada</b>');

      const response = await call(modules.getProfile.handler, request('get-profile', identityOf(user)));

      expect(response.statusCode).toBe(200);
      expect(bodyOf(response)).not.toHaveProperty('name');
    });

    it('returns the profile the trigger wrote and records the identity id on it', async () => {
      const user = await newUser('Ada Lovelace');
      await modules.trigger.handler(confirmed(user, 'Ada from sign-up'), context());
      const written = await dynamo.item(user.sub);
      const identity = identityOf(user);

      const response = await call(modules.getProfile.handler, request('get-profile', identity));

      expect(bodyOf(response)).toEqual({ ...written, cognitoIdentityId: identity.cognitoIdentityId });
      expect(await dynamo.item(user.sub)).toEqual(bodyOf(response));
    });

    it('writes the identity id only when it changed', async () => {
      const { logger, lines } = memoryLogger();
      const handler = modules.getProfile.createGetProfileHandler(createProfileDependencies(loadApiConfig(env), logger));
      const user = await newUser();
      const first = identityOf(user);
      const second = identityOf(user);
      const recorded = () => lines.filter((line) => line.msg === 'identity id recorded on profile').length;

      await call(handler, request('get-profile', first));
      const afterCreate = recorded();
      await call(handler, request('get-profile', first));
      const afterSameIdentity = recorded();
      const response = await call(handler, request('get-profile', second));

      expect([afterCreate, afterSameIdentity, recorded()]).toEqual([0, 0, 1]);
      expect(bodyOf(response).cognitoIdentityId).toBe(second.cognitoIdentityId);
      expect((await dynamo.item(user.sub))?.cognitoIdentityId).toBe(second.cognitoIdentityId);
    });

    it('keeps the profile a concurrent trigger wrote between the read and the create', async () => {
      const user = await newUser('Ada Lovelace');
      const deps = createProfileDependencies(loadApiConfig(env), memoryLogger().logger);
      const real = deps.profiles;
      // The real repository, with the trigger's delivery landing just before the create-on-read's put.
      const racing: ProfileRepository = {
        get: (userId) => real.get(userId),
        createIfAbsent: async (profile) => {
          await modules.trigger.handler(confirmed(user, 'Ada from sign-up'), context());
          return real.createIfAbsent(profile);
        },
        recordIdentityId: (userId, identityId) => real.recordIdentityId(userId, identityId),
        updateName: (userId, name, updatedAt) => real.updateName(userId, name, updatedAt),
      };
      const handler = modules.getProfile.createGetProfileHandler({ ...deps, profiles: racing });
      const identity = identityOf(user);

      const response = await call(handler, request('get-profile', identity));

      expect(response.statusCode).toBe(200);
      expect(bodyOf(response)).toMatchObject({ userId: user.sub, name: 'Ada from sign-up', cognitoIdentityId: identity.cognitoIdentityId });
      expect(await dynamo.item(user.sub)).toEqual(bodyOf(response));
    });

    it('answers 404 when the user is gone from the pool and has no profile', async () => {
      const user = await newUser();
      await cognito.deleteUser(user.sub);

      const response = await call(modules.getProfile.handler, request('get-profile', identityOf(user)));

      expect(response.statusCode).toBe(404);
      expect(bodyOf(response)).toEqual({ error: 'NotFound', message: expect.any(String) });
      expect(await dynamo.item(user.sub)).toBeUndefined();
    });

    it('answers 500 when the user pool client cannot be loaded, and loads it on the next request', async () => {
      const { logger, lines } = memoryLogger();
      const deps = createProfileDependencies(loadApiConfig(env), logger);
      let loads = 0;
      // The create-on-read path's import failing once (a chunk missing from the zip), then the real directory.
      const users = lazyUserDirectory(async () => {
        loads += 1;
        if (loads === 1) throw new Error('Cannot find module chunks/cognito-user-directory.mjs');
        return deps.users;
      });
      const handler = modules.getProfile.createGetProfileHandler({ ...deps, users });
      const user = await newUser('Ada Lovelace');

      const failed = await call(handler, request('get-profile', identityOf(user)));
      const retried = await call(handler, request('get-profile', identityOf(user)));

      expect(failed.statusCode).toBe(500);
      expect(bodyOf(failed)).toEqual({ error: 'InternalServerError', message: 'Internal server error' });
      expect(lines.find((line) => line.msg === 'request failed')).toMatchObject({ err: { message: 'Cannot find module chunks/cognito-user-directory.mjs' } });
      expect(retried.statusCode).toBe(200);
      expect(bodyOf(retried)).toMatchObject({ userId: user.sub, name: 'Ada Lovelace' });
      expect(loads).toBe(2);
    });
  });

  describe('PUT /profile', () => {
    it('changes only the name and updatedAt', async () => {
      const user = await newUser('Ada Lovelace');
      const identity = identityOf(user);
      const before = bodyOf(await call(modules.getProfile.handler, request('get-profile', identity)));

      const response = await call(modules.putProfile.handler, request('put-profile', identity, JSON.stringify({ name: '  Ada King ' })));

      expect(response.statusCode).toBe(200);
      expect(bodyOf(response)).toEqual({ ...before, name: 'Ada King', updatedAt: expect.any(String) });
      expect(await dynamo.item(user.sub)).toEqual(bodyOf(response));
    });

    it('creates a missing profile from the user pool, then changes its name', async () => {
      const user = await newUser('Ada Lovelace');

      const response = await call(modules.putProfile.handler, request('put-profile', identityOf(user), '{"name":"Ada King"}'));

      expect(response.statusCode).toBe(200);
      expect(bodyOf(response)).toMatchObject({ userId: user.sub, email: user.email, name: 'Ada King', updatedAt: expect.any(String) });
    });

    it.each<[string, string, string, Array<{ field: string; message: string }> | undefined]>([
      ['a body that is not JSON', '{"name": "Ada', 'InvalidJson', undefined],
      ['an unknown field', '{"name":"Ada","email":"eve@example.com"}', 'ValidationError', [{ field: 'email', message: 'is not a known field' }]],
      ['a name that is too long', JSON.stringify({ name: 'A'.repeat(65) }), 'ValidationError', [{ field: 'name', message: 'must be at most 64 characters' }]],
      ['control characters', JSON.stringify({ name: 'Ada\u0007King' }), 'ValidationError', [{ field: 'name', message: 'must not contain control characters' }]],
    ])('refuses %s with 400 and changes nothing', async (_case, body, code, details) => {
      const user = await newUser();
      const identity = identityOf(user);
      await call(modules.getProfile.handler, request('get-profile', identity));
      const before = await dynamo.item(user.sub);

      const response = await call(modules.putProfile.handler, request('put-profile', identity, body));

      expect(response.statusCode).toBe(400);
      expect(bodyOf(response)).toEqual({ error: code, message: expect.any(String), ...(details ? { details } : {}) });
      expect(await dynamo.item(user.sub)).toEqual(before);
    });

    it('logs every line with the request id, and never the body or the email', async () => {
      const { logger, lines } = memoryLogger();
      const handler = modules.putProfile.createPutProfileHandler(createProfileDependencies(loadApiConfig(env), logger));
      const user = await newUser('Ada Lovelace');
      const ctx = context();

      await handler(request('put-profile', identityOf(user), '{"name":"Ada Byron"}'), ctx);
      await handler(request('put-profile', identityOf(user), '{"name":"Ada Byron","password":"hunter2"}'), ctx);

      expect(lines.map((line) => line.msg)).toEqual([
        'profile created from user pool attributes',
        'profile updated',
        'request handled',
        'request refused',
        'request handled',
      ]);
      for (const line of lines) expect(line).toMatchObject({ requestId: ctx.awsRequestId });
      expect(JSON.stringify(lines)).not.toMatch(/Ada Byron|Ada Lovelace|hunter2|example\.com/);
    });
  });
});
