// DynamoDB for the offline stack: dynalite on loopback, its LevelDB files under
// `<stateDir>/dynamodb` so the data outlives a restart, and the template's tables created in it.
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceInUseException, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import type { TableSpec } from './model.js';

interface DynaliteOptions {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}

// dynalite is CommonJS without type declarations: one function returning an http.Server whose
// close() also closes the database (and releases its lock on the directory).
const dynalite = createRequire(import.meta.url)('dynalite') as (options: DynaliteOptions) => Server;

/** dynalite checks that requests are signed, not by whom. */
const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface DynamoDbOptions {
  /** The stack's state folder; the data lives in its `dynamodb/` folder. */
  stateDir: string;
  /** The template's `AWS::DynamoDB::Table` resources, created unless they exist. */
  tables: TableSpec[];
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
}

export interface LocalDynamoDb {
  /** The `endpoint` for DynamoDBClient, and AWS_ENDPOINT_URL_DYNAMODB. */
  endpoint: string;
  close(): Promise<void>;
}

/** Starts dynalite, persistent under `<stateDir>/dynamodb`, with every table of `tables`. */
export async function startDynamoDb({ stateDir, tables, port = 0, host = '127.0.0.1' }: DynamoDbOptions): Promise<LocalDynamoDb> {
  const directory = path.join(stateDir, 'dynamodb');
  mkdirSync(directory, { recursive: true });
  const server = dynalite({ path: directory, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const endpoint = `http://${host}:${(server.address() as AddressInfo).port}`;
  const close = async () => {
    // Keep-alive sockets of clients would hold close() until they time out.
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  };

  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: localCredentials });
  try {
    for (const table of tables) await ensureTable(client, createTableInput(table));
  } catch (error) {
    await close();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, close };
}

async function ensureTable(client: DynamoDBClient, input: CreateTableCommandInput): Promise<void> {
  try {
    await client.send(new CreateTableCommand(input));
  } catch (error) {
    // Created at an earlier start: its data is what a second start keeps.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  // dynalite answers CREATING first, even with createTableMs 0.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: input.TableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`table ${input.TableName} is still ${Table?.TableStatus} after 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const keySchema = z.array(z.object({ AttributeName: z.string(), KeyType: z.enum(['HASH', 'RANGE']) }));
const projection = z.object({ ProjectionType: z.optional(z.enum(['ALL', 'KEYS_ONLY', 'INCLUDE'])), NonKeyAttributes: z.optional(z.array(z.string())) });
const throughput = z.object({ ReadCapacityUnits: z.number(), WriteCapacityUnits: z.number() });

// The properties of AWS::DynamoDB::Table that CreateTable takes and dynalite implements. The rest
// (PointInTimeRecoverySpecification, SSESpecification, DeletionProtectionEnabled, Tags,
// StreamSpecification, TimeToLiveSpecification, TableClass, ...) dynalite rejects or ignores,
// and none of them changes what a table stores or answers.
const tablePropertiesSchema = z.object({
  AttributeDefinitions: z.array(z.object({ AttributeName: z.string(), AttributeType: z.enum(['S', 'N', 'B']) })),
  KeySchema: keySchema,
  BillingMode: z.optional(z.enum(['PROVISIONED', 'PAY_PER_REQUEST'])),
  ProvisionedThroughput: z.optional(throughput),
  GlobalSecondaryIndexes: z.optional(
    z.array(z.object({ IndexName: z.string(), KeySchema: keySchema, Projection: projection, ProvisionedThroughput: z.optional(throughput) })),
  ),
  LocalSecondaryIndexes: z.optional(z.array(z.object({ IndexName: z.string(), KeySchema: keySchema, Projection: projection }))),
});

/** The CreateTable input of a table as the template declares it. */
export function createTableInput(table: TableSpec): CreateTableCommandInput {
  const parsed = tablePropertiesSchema.safeParse(table.properties);
  if (!parsed.success) throw new Error(`table ${table.name}: not a DynamoDB table definition: ${z.prettifyError(parsed.error)}`);
  const properties = parsed.data;
  // CloudFormation's default, like CreateTable's, is provisioned capacity.
  const billingMode = properties.BillingMode ?? 'PROVISIONED';
  const provisioned = billingMode === 'PROVISIONED';
  return {
    TableName: table.name,
    AttributeDefinitions: properties.AttributeDefinitions,
    KeySchema: properties.KeySchema,
    BillingMode: billingMode,
    ...(provisioned && properties.ProvisionedThroughput ? { ProvisionedThroughput: properties.ProvisionedThroughput } : {}),
    ...(properties.GlobalSecondaryIndexes
      ? { GlobalSecondaryIndexes: properties.GlobalSecondaryIndexes.map(({ ProvisionedThroughput, ...index }) => ({ ...index, ...(provisioned && ProvisionedThroughput ? { ProvisionedThroughput } : {}) })) }
      : {}),
    ...(properties.LocalSecondaryIndexes ? { LocalSecondaryIndexes: properties.LocalSecondaryIndexes } : {}),
  };
}
