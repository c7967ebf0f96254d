// In-process functions behind the offline stack's own Lambda Invoke API (local/lambda/invoke-api.ts).
import { randomUUID } from 'node:crypto';
import { FunctionNotFoundError } from '../../local/lambda/errors.js';
import { startInvokeApi } from '../../local/lambda/invoke-api.js';

/** The part of the Lambda context the local functions get. */
export interface LocalLambdaContext {
  awsRequestId: string;
  functionName: string;
  getRemainingTimeInMillis(): number;
}

export type LocalFunction = (event: unknown, context: LocalLambdaContext) => Promise<unknown>;

export interface LocalLambda {
  /** The `endpoint` to give LambdaClient. */
  endpoint: string;
  /** Every invocation that reached a function, in order. */
  invocations: Array<{ functionName: string; payload: unknown }>;
  close(): Promise<void>;
}

const arnOf = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

/**
 * The stack's Invoke API running the given functions in this process instead of in execution
 * environments. As on Lambda, a function that throws still answers 200, with the error in
 * `X-Amz-Function-Error` and an `{errorType, errorMessage}` body.
 */
export async function startLocalLambda(functions: Record<string, LocalFunction>, timeoutMs = 60_000): Promise<LocalLambda> {
  const invocations: LocalLambda['invocations'] = [];
  const named = (functionName: string): LocalFunction => {
    const run = functions[functionName.startsWith('arn:') ? functionName.split(':')[6]! : functionName];
    if (!run) throw new FunctionNotFoundError(arnOf(functionName));
    return run;
  };
  const api = await startInvokeApi(
    {
      lookup: named,
      async invoke(functionName, event) {
        const run = named(functionName);
        invocations.push({ functionName, payload: event });
        const requestId = randomUUID();
        const deadline = Date.now() + timeoutMs;
        try {
          const payload = await run(event, { awsRequestId: requestId, functionName, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) });
          return { requestId, payload };
        } catch (error) {
          const { name: errorType = 'Error', message: errorMessage = String(error) } = error instanceof Error ? error : {};
          return { requestId, error: { errorType, errorMessage } };
        }
      },
    },
    { host: '127.0.0.1' },
  );
  return { endpoint: api.endpoint, invocations, close: api.close };
}
