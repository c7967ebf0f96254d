import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiClientOptions } from '../../auth-service/src/clients/options.js';
import { createDynamoDbClient } from '../../auth-service/src/clients/dynamodb.js';
import type { Profile } from '../../auth-service/src/domain/profile.js';
import { DynamoDbProfileRepository } from '../../auth-service/src/repositories/dynamodb-profile-repository.js';
import { localCredentials, startDynalite, type LocalDynamoDb } from '../helpers/dynalite.js';

const profileOf = (userId: string, overrides: Partial<Profile> = {}): Profile => ({
  userId,
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  createdAt: '2026-11-23T10:00:00.000Z',
  ...overrides,
});

describe('DynamoDbProfileRepository against dynalite', () => {
  let dynamo: LocalDynamoDb;
  let repository: DynamoDbProfileRepository;
  let client: ReturnType<typeof createDynamoDbClient>;

  beforeAll(async () => {
    dynamo = await startDynalite();
    // Credentials as Lambda provides them: in the environment, for the SDK's default chain.
    vi.stubEnv('AWS_ACCESS_KEY_ID', localCredentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', localCredentials.secretAccessKey);
    // The service's own client factory, pointed at the local endpoint as AWS_ENDPOINT_URL_DYNAMODB would.
    client = createDynamoDbClient({ region: 'us-east-1', endpoint: dynamo.endpoint, ...apiClientOptions });
    repository = new DynamoDbProfileRepository(client, dynamo.tableName);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    client?.destroy();
    await dynamo?.close();
  });

  it('creates a profile when there is none, and reads it back', async () => {
    const profile = profileOf(randomUUID());

    await expect(repository.createIfAbsent(profile)).resolves.toBe(true);

    await expect(repository.get(profile.userId)).resolves.toEqual(profile);
    expect(await dynamo.item(profile.userId)).toEqual(profile);
  });

  it('leaves an existing profile as it is and reports that it exists', async () => {
    const userId = randomUUID();
    await repository.createIfAbsent(profileOf(userId));

    const created = await repository.createIfAbsent(profileOf(userId, { email: 'other@example.com', name: 'Someone Else', createdAt: '2026-11-24T00:00:00.000Z' }));

    expect(created).toBe(false);
    expect(await dynamo.item(userId)).toEqual(profileOf(userId));
  });

  it('lets exactly one of many concurrent creates win', async () => {
    const userId = randomUUID();
    const names = ['Ada', 'Grace', 'Hedy', 'Radia', 'Katherine'];

    const results = await Promise.all(names.map((name) => repository.createIfAbsent(profileOf(userId, { name }))));

    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await dynamo.item(userId))?.name).toBe(names[results.indexOf(true)]);
  });

  it('answers undefined for a profile that does not exist', async () => {
    await expect(repository.get(randomUUID())).resolves.toBeUndefined();
  });

  it('records the identity id on an existing profile', async () => {
    const profile = profileOf(randomUUID());
    await repository.createIfAbsent(profile);

    const updated = await repository.recordIdentityId(profile.userId, 'us-east-1:5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9');

    expect(updated).toEqual({ ...profile, cognitoIdentityId: 'us-east-1:5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9' });
    expect(await dynamo.item(profile.userId)).toEqual(updated);
  });

  it('updates only the name and updatedAt', async () => {
    const profile = profileOf(randomUUID(), { cognitoIdentityId: 'us-east-1:5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9' });
    await repository.createIfAbsent(profile);

    const updated = await repository.updateName(profile.userId, 'Ada King', '2026-11-24T09:30:00.000Z');

    expect(updated).toEqual({ ...profile, name: 'Ada King', updatedAt: '2026-11-24T09:30:00.000Z' });
    expect(await dynamo.item(profile.userId)).toEqual(updated);
  });

  it('never creates a partial profile by updating one that does not exist', async () => {
    const userId = randomUUID();

    await expect(repository.recordIdentityId(userId, 'us-east-1:x')).resolves.toBeUndefined();
    await expect(repository.updateName(userId, 'Ada', '2026-11-24T09:30:00.000Z')).resolves.toBeUndefined();

    expect(await dynamo.item(userId)).toBeUndefined();
  });
});
