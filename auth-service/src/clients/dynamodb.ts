import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ClientOptions } from './options.js';

/**
 * The one place a DynamoDB client is made: once per cold start, with the endpoint from config
 * (AWS_ENDPOINT_URL_DYNAMODB, e.g. dynalite) passed explicitly, and bounded request times. The
 * plain client, not lib-dynamodb's document client: a profile is a handful of strings, which the
 * repository maps to attribute values itself, and the bundle is spared the marshalling library.
 */
export function createDynamoDbClient(options: ClientOptions): DynamoDBClient {
  return new DynamoDBClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    maxAttempts: options.maxAttempts,
    requestHandler: { connectionTimeout: options.connectionTimeoutMs, requestTimeout: options.requestTimeoutMs },
  });
}
