import { GetItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { profileSchema, type Profile } from '../domain/profile.js';
import type { ProfileRepository } from './profile-repository.js';

/** {@link ProfileRepository} on a DynamoDB table keyed by `userId` (the user pool `sub`). */
export class DynamoDbProfileRepository implements ProfileRepository {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async get(userId: string): Promise<Profile | undefined> {
    // Consistent, so a read right after losing a conditional put sees the winner's item.
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { userId: { S: userId } }, ConsistentRead: true }));
    return Item ? fromItem(Item) : undefined;
  }

  async createIfAbsent(profile: Profile): Promise<boolean> {
    // attribute_not_exists on the key: the put succeeds only when no item has this userId, so a
    // redelivered PostConfirmation (or a create-on-read racing it) never overwrites a profile.
    const put = new PutItemCommand({ TableName: this.tableName, Item: toItem(profile), ConditionExpression: 'attribute_not_exists(userId)' });
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
    const update = new UpdateItemCommand({
      TableName: this.tableName,
      Key: { userId: { S: userId } },
      UpdateExpression: expression,
      ConditionExpression: 'attribute_exists(userId)',
      ExpressionAttributeValues: toItem(values),
      ...(names ? { ExpressionAttributeNames: names } : {}),
      ReturnValues: 'ALL_NEW',
    });
    const result = await conditional(this.client.send(update));
    return result?.Attributes ? fromItem(result.Attributes) : undefined;
  }
}

// Every attribute of a profile is a string: `{S: …}` both ways, and an absent field is no
// attribute at all (what the document client's removeUndefinedValues did).
function toItem(fields: Readonly<Record<string, string | undefined>>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(fields).flatMap(([name, value]) => (value === undefined ? [] : [[name, { S: value }]])));
}

// An attribute of another type stays an AttributeValue object, which the schema refuses for a
// profile field (and drops for any other attribute), as it refused the unmarshalled value before.
function fromItem(item: Record<string, AttributeValue>): Profile {
  return profileSchema.parse(Object.fromEntries(Object.entries(item).map(([name, value]) => [name, value.S ?? value])));
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
