import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDb, type LocalDynamoDb } from '../../local/dynamodb.js';
import type { TableSpec } from '../../local/model.js';
import { profilesTable } from '../helpers/auth-specs.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

// A provisioned table with a range key, a global index and properties dynalite has no use for.
const eventsTable: TableSpec = {
  name: 'local-test-events',
  properties: {
    TableName: 'local-test-events',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
      { AttributeName: 'kind', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
    GlobalSecondaryIndexes: [
      {
        IndexName: 'by-kind',
        KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        ContributorInsightsSpecification: { Enabled: false },
      },
    ],
    StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
    TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    Tags: [{ Key: 'team', Value: 'platform' }],
  },
};

describe('local DynamoDB (dynalite, persistent)', () => {
  let stateDir: string;
  let dynamo: LocalDynamoDb | undefined;
  let client: DynamoDBClient | undefined;

  const start = async () => {
    dynamo = await startDynamoDb({ stateDir, tables: [profilesTable, eventsTable] });
    client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials });
  };
  const stop = async () => {
    client?.destroy();
    await dynamo?.close();
    client = undefined;
    dynamo = undefined;
  };

  beforeAll(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'local-dynamodb-'));
    await start();
  });
  afterAll(async () => {
    await stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('creates the template tables with their keys, indexes and billing mode', async () => {
    const { Table: profiles } = await client!.send(new DescribeTableCommand({ TableName: 'auth-service-dev-profiles' }));
    const { Table: events } = await client!.send(new DescribeTableCommand({ TableName: 'local-test-events' }));

    expect(dynamo!.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(profiles).toMatchObject({
      TableStatus: 'ACTIVE',
      KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
    });
    expect(events).toMatchObject({
      TableStatus: 'ACTIVE',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
      GlobalSecondaryIndexes: [{ IndexName: 'by-kind', Projection: { ProjectionType: 'KEYS_ONLY' } }],
    });
  });

  it('keeps the data when started again on the same state folder', async () => {
    const item = { userId: { S: 'user-1' }, email: { S: 'ada@example.com' } };
    await client!.send(new PutItemCommand({ TableName: 'auth-service-dev-profiles', Item: item }));

    await stop();
    // The second start finds the tables in place and creates nothing.
    await start();

    const { Item } = await client!.send(new GetItemCommand({ TableName: 'auth-service-dev-profiles', Key: { userId: { S: 'user-1' } }, ConsistentRead: true }));
    expect(Item).toEqual(item);
  });

  it('refuses a table definition it cannot create, naming the table, and stops the server', async () => {
    const otherDir = mkdtempSync(path.join(tmpdir(), 'local-dynamodb-bad-'));
    const broken: TableSpec = { name: 'broken', properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] } };
    try {
      await expect(startDynamoDb({ stateDir: otherDir, tables: [broken] })).rejects.toThrow(/^table broken: not a DynamoDB table definition: .*AttributeDefinitions/s);
      // The database was closed with the server: the folder can be opened again at once.
      const again = await startDynamoDb({ stateDir: otherDir, tables: [] });
      await again.close();
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});
