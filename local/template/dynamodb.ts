// A DynamoDB table resource as the CreateTable input that makes the same table: the
// CloudFormation property names mostly match the API's, except streams, encryption and the
// settings CreateTable does not take (point-in-time recovery, TTL, contributor insights).
import type { TableSpec } from '../model.js';
import { isRecord } from './template.js';

/** Properties that CreateTable takes under the same name and shape. */
const sameAsApi = [
  'AttributeDefinitions',
  'KeySchema',
  'BillingMode',
  'ProvisionedThroughput',
  'OnDemandThroughput',
  'LocalSecondaryIndexes',
  'DeletionProtectionEnabled',
  'TableClass',
  'Tags',
] as const;

/** A global secondary index without the CloudFormation-only ContributorInsightsSpecification. */
function indexInput(index: unknown): unknown {
  if (!isRecord(index)) return index;
  const { ContributorInsightsSpecification: _insights, ...input } = index;
  return input;
}

/** The CreateTable input for a table named `name` with the resolved resource `properties`. */
export function tableSpec(name: string, properties: Record<string, unknown>): TableSpec {
  const input: Record<string, unknown> = { TableName: name };
  for (const key of sameAsApi) {
    if (properties[key] !== undefined) input[key] = properties[key];
  }
  if (Array.isArray(properties.GlobalSecondaryIndexes)) {
    input.GlobalSecondaryIndexes = properties.GlobalSecondaryIndexes.map(indexInput);
  }
  const stream = properties.StreamSpecification;
  if (isRecord(stream) && stream.StreamViewType !== undefined) {
    input.StreamSpecification = { StreamEnabled: true, StreamViewType: stream.StreamViewType };
  }
  const sse = properties.SSESpecification;
  if (isRecord(sse)) {
    input.SSESpecification = {
      Enabled: sse.SSEEnabled === true || sse.SSEEnabled === 'true',
      ...(sse.SSEType === undefined ? {} : { SSEType: sse.SSEType }),
      ...(sse.KMSMasterKeyId === undefined ? {} : { KMSMasterKeyId: sse.KMSMasterKeyId }),
    };
  }
  return { name, properties: input };
}
