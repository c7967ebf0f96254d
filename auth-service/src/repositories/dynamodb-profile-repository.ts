import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { profileSchema, type Profile } from '../domain/profile.js';
import type { ProfileRepository } from './profile-repository.js';

/** {@link ProfileRepository} on a DynamoDB table keyed by `userId` (the user pool `sub`). */
export class DynamoDbProfileRepository implements ProfileRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(userId: string): Promise<Profile | undefined> {
    // Consistent, so a read right after losing a conditional put sees the winner's item.
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { userId }, ConsistentRead: true }));
    return Item ? profileSchema.parse(Item) : undefined;
  }

  async createIfAbsent(profile: Profile): Promise<boolean> {
    // attribute_not_exists on the key: the put succeeds only when no item has this userId, so a
    // redelivered PostConfirmation (or a create-on-read racing it) never overwrites a profile.
    const put = new PutCommand({ TableName: this.tableName, Item: profile, ConditionExpression: 'attribute_not_exists(userId)' });
    return (await conditional(this.client.send(put))) !== undefined;
  }

  async recordIdentityId(userId: string, identityId: string): Promise<Profile | undefined> {
    return this.updateExisting(userId, 'SET cognitoIdentityId = :identityId', { ':identityId': identityId });
  }

  async updateName(userId: string, name: string, updatedAt: string): Promise<Profile | undefined> {
    return this.updateExisting(userId, 'SET #name = :name, updatedAt = :updatedAt', { ':name': name, ':updatedAt': updatedAt }, { '#name': 'name' });
  }

  // attribute_exists on the key: an update of a missing profile would otherwise create a partial one.
  private async updateExisting(
    userId: string,
    expression: string,
    values: Record<string, string>,
    names?: Record<string, string>,
  ): Promise<Profile | undefined> {
    const update = new UpdateCommand({
      TableName: this.tableName,
      Key: { userId },
      UpdateExpression: expression,
      ConditionExpression: 'attribute_exists(userId)',
      ExpressionAttributeValues: values,
      ...(names ? { ExpressionAttributeNames: names } : {}),
      ReturnValues: 'ALL_NEW',
    });
    const result = await conditional(this.client.send(update));
    return result?.Attributes ? profileSchema.parse(result.Attributes) : undefined;
  }
}

/** Resolves to undefined when DynamoDB refused the request because its condition failed. */
async function conditional<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    // By name, not instanceof: the error class is per SDK copy, and bundles may hold two.
    if ((error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException') return undefined;
    throw error;
  }
}
