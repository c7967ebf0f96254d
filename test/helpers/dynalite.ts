import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

// dynalite is CommonJS without type declarations: one function returning an http.Server.
const dynalite = createRequire(import.meta.url)('dynalite') as (options?: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

/** Credentials dynalite accepts (it checks that requests are signed, not by whom). */
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface LocalDynamoDb {
  /** The `endpoint` for DynamoDBClient, and AWS_ENDPOINT_URL_DYNAMODB. */
  endpoint: string;
  /** The profiles table (`userId` S), created at start. */
  tableName: string;
  /** A document client on the local endpoint, for tests to read what the code wrote. */
  client: DynamoDBDocumentClient;
  /** The item of `userId`, read consistently, or undefined. */
  item(userId: string): Promise<Record<string, unknown> | undefined>;
  close(): Promise<void>;
}

/**
 * Starts dynalite in this process on 127.0.0.1 and a free port, in memory, and creates the
 * profiles table as resources/ declares it: key `userId` (S), on-demand billing.
 */
export async function startDynalite(tableName = 'auth-service-test-profiles'): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const raw = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: localCredentials });
  await raw.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'userId', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
    }),
  );
  const client = DynamoDBDocumentClient.from(raw);
  return {
    endpoint,
    tableName,
    client,
    async item(userId) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: { userId }, ConsistentRead: true }));
      return Item;
    },
    async close() {
      raw.destroy();
      // The SDK keeps sockets alive; close them, or close() waits for them to time out.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
