// cognito-local runs triggers through an aws-sdk v2 Lambda client (`invoke(params).promise()`),
// the `LambdaClient` of its configuration. This is one that sends the same Invoke request to the
// stack's Lambda Invoke API with the v3 client, so cognito-local builds the trigger event and
// reads the answer exactly as it does against AWS.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

interface InvokeParams {
  FunctionName: string;
  InvocationType?: string;
  Payload?: string;
}

interface InvokeOutput {
  StatusCode?: number;
  FunctionError?: string;
  Payload?: string;
}

/** The part of the aws-sdk v2 Lambda client cognito-local's LambdaService uses. */
export interface TriggerLambdaClient {
  invoke(params: InvokeParams): { promise(): Promise<InvokeOutput> };
  destroy(): void;
}

/** Credentials for the local Invoke API, which checks none. */
const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export function triggerLambdaClient(endpoint: string, region: string): TriggerLambdaClient {
  const client = new LambdaClient({ endpoint, region, credentials: localCredentials });
  async function invoke({ FunctionName, InvocationType, Payload }: InvokeParams): Promise<InvokeOutput> {
    const output = await client.send(
      new InvokeCommand({
        FunctionName,
        InvocationType: InvocationType === 'Event' ? 'Event' : 'RequestResponse',
        Payload: Payload === undefined ? undefined : Buffer.from(asDeployed(Payload, region)),
      }),
    );
    return {
      StatusCode: output.StatusCode,
      FunctionError: output.FunctionError,
      Payload: output.Payload === undefined ? undefined : Buffer.from(output.Payload).toString('utf8'),
    };
  }
  return {
    invoke: (params) => ({ promise: () => invoke(params) }),
    destroy: () => client.destroy(),
  };
}

// cognito-local writes `"region": "local"` and `"version": "0"` into every trigger event; Cognito
// sends the pool's region and version "1".
function asDeployed(payload: string, region: string): string {
  const event = JSON.parse(payload) as Record<string, unknown>;
  return JSON.stringify({ ...event, version: '1', region });
}
