import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadProfilesConfig } from '../../auth-service/src/config.js';
import type { ConfirmSignUpEvent, PostConfirmationEvent } from '../../auth-service/src/domain/post-confirmation.js';
import { createTriggerStore } from '../../auth-service/src/runtime.js';
import type * as PostConfirmation from '../../auth-service/src/triggers/post-confirmation.js';
import { lambdaContext, loadFixture } from '../helpers/fixtures.js';
import { localCredentials, startDynalite, type LocalDynamoDb } from '../helpers/dynalite.js';
import { memoryLogger } from '../helpers/memory-logger.js';

type TriggerModule = typeof PostConfirmation;

/** A fixture event for a new user, with attributes changed or removed (undefined). */
function confirmation(variant: 'sign-up' | 'forgot-password', attributes: Record<string, string | undefined> = {}): PostConfirmationEvent {
  const event = loadFixture<ConfirmSignUpEvent>('cognito', `post-confirmation-${variant}`);
  const sub = attributes.sub ?? randomUUID();
  const merged = { ...event.request.userAttributes, sub, ...attributes };
  const userAttributes = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined)) as ConfirmSignUpEvent['request']['userAttributes'];
  return { ...event, userName: sub, request: { userAttributes } } as PostConfirmationEvent;
}

const context = () => lambdaContext(5_000, 'auth-service-test-postConfirmation');

describe('PostConfirmation trigger against dynalite', () => {
  let dynamo: LocalDynamoDb;
  let trigger: TriggerModule;
  let env: Record<string, string>;
  const invoke = (event: unknown) => trigger.handler(event, context());

  beforeAll(async () => {
    dynamo = await startDynalite();
    // The environment the function is deployed with (no USER_POOL_ID: the pool is in the event).
    env = {
      STAGE: 'test',
      LOG_LEVEL: 'silent',
      AWS_REGION: 'us-east-1',
      PROFILES_TABLE: dynamo.tableName,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    };
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    // Imported only now: the module reads its configuration when it loads, as at a cold start.
    trigger = await import('../../auth-service/src/triggers/post-confirmation.js');
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await dynamo?.close();
  });

  it('writes the profile of a confirmed sign-up and hands the event back', async () => {
    const event = confirmation('sign-up');
    const { sub } = event.request.userAttributes;

    await expect(invoke(event)).resolves.toBe(event);

    const item = await dynamo.item(sub);
    expect(item).toEqual({ userId: sub, email: 'ada@example.com', name: 'Ada Lovelace', createdAt: expect.any(String) });
    expect(new Date(item!.createdAt as string).toISOString()).toBe(item!.createdAt);
  });

  it('succeeds on a redelivery and keeps the first profile', async () => {
    const event = confirmation('sign-up');
    const { sub } = event.request.userAttributes;
    await invoke(event);
    const first = await dynamo.item(sub);
    const redelivered = confirmation('sign-up', { sub, name: 'Ada King', email: 'ada.king@example.com' });

    await expect(invoke(redelivered)).resolves.toBe(redelivered);

    expect(await dynamo.item(sub)).toEqual(first);
  });

  it('keeps a profile the user has changed since', async () => {
    const event = confirmation('sign-up');
    const { sub } = event.request.userAttributes;
    await invoke(event);
    await dynamo.client.send(new UpdateCommand({ TableName: dynamo.tableName, Key: { userId: sub }, UpdateExpression: 'SET #n = :n', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':n': 'Countess of Lovelace' } }));

    await invoke(event);

    expect((await dynamo.item(sub))?.name).toBe('Countess of Lovelace');
  });

  it('writes a profile without a name when the user has none', async () => {
    const event = confirmation('sign-up', { name: undefined });

    await invoke(event);

    expect(await dynamo.item(event.request.userAttributes.sub)).toEqual({ userId: event.request.userAttributes.sub, email: 'ada@example.com', createdAt: expect.any(String) });
  });

  it('writes nothing for a confirmed password reset', async () => {
    const event = confirmation('forgot-password');

    await expect(invoke(event)).resolves.toBe(event);

    expect(await dynamo.item(event.request.userAttributes.sub)).toBeUndefined();
  });

  it('leaves the profile alone on a password reset', async () => {
    const signUp = confirmation('sign-up');
    const { sub } = signUp.request.userAttributes;
    await invoke(signUp);
    const before = await dynamo.item(sub);

    await invoke(confirmation('forgot-password', { sub, name: 'Reset Name' }));

    expect(await dynamo.item(sub)).toEqual(before);
  });

  it.each<[string, (sub: string) => unknown]>([
    ['without a sub', () => ({ ...confirmation('sign-up'), request: { userAttributes: { email: 'ada@example.com' } } })],
    ['without an email', (sub) => confirmation('sign-up', { sub, email: undefined })],
    ['from another trigger', (sub) => ({ ...confirmation('sign-up', { sub }), triggerSource: 'PostAuthentication_Authentication' })],
    ['that is not an object', () => 'PostConfirmation_ConfirmSignUp'],
  ])('refuses an event %s with a clear error and writes nothing', async (_case, eventFor) => {
    const sub = randomUUID();

    const failure = invoke(eventFor(sub));

    await expect(failure).rejects.toMatchObject({ name: 'InvalidTriggerEventError' });
    await expect(failure).rejects.toThrow(/^not a PostConfirmation event: \S+: /);
    expect(await dynamo.item(sub)).toBeUndefined();
  });

  describe('logs', () => {
    /** The trigger built as its module builds it, from the same configuration, logging to memory. */
    function triggerWithLogs() {
      const { logger, lines } = memoryLogger();
      const handler = trigger.createPostConfirmationHandler(createTriggerStore(loadProfilesConfig(env), logger));
      return { handler, lines };
    }

    it('logs a created profile and a redelivery at info, with the request id and never the email or name', async () => {
      const { handler, lines } = triggerWithLogs();
      const event = confirmation('sign-up');
      const ctx = context();

      await handler(event, ctx);
      await handler(event, ctx);

      expect(lines.map((line) => [line.level, line.msg])).toEqual([
        [30, 'profile created'],
        [30, 'profile already exists; redelivered confirmation treated as success'],
      ]);
      for (const line of lines) {
        expect(line).toMatchObject({ requestId: ctx.awsRequestId, userId: event.request.userAttributes.sub, triggerSource: 'PostConfirmation_ConfirmSignUp', userPoolId: 'us-east-1_Ab12Cd34E' });
      }
      expect(JSON.stringify(lines)).not.toMatch(/ada@example\.com|Ada Lovelace/);
    });

    it('logs a malformed event by what is wrong with it, without its contents', async () => {
      const { handler, lines } = triggerWithLogs();
      const event = confirmation('sign-up', { sub: 'ada@example.com' });

      await expect(handler(event, context())).rejects.toThrow('request.userAttributes.sub: must be a valid uuid');

      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 50, msg: 'trigger failed', err: { type: 'InvalidTriggerEventError' } });
      expect(JSON.stringify(lines)).not.toMatch(/ada@example\.com|Ada Lovelace/);
    });
  });
});
