// The context object a handler gets, with the fields and methods of the Node.js runtime's.
import type { InitMessage, InvokeMessage } from '../protocol.js';

export interface LambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  identity?: undefined;
  clientContext?: undefined;
  getRemainingTimeInMillis(): number;
  done(error?: unknown, result?: unknown): void;
  fail(error: unknown): void;
  succeed(result: unknown): void;
}

/** A context for one invocation; `done`, `fail` and `succeed` are wired by callHandler. */
export function createContext(fields: InitMessage['context'], invoke: InvokeMessage): LambdaContext {
  const unset = () => undefined;
  return {
    callbackWaitsForEmptyEventLoop: true,
    ...fields,
    invokedFunctionArn: invoke.invokedFunctionArn,
    awsRequestId: invoke.requestId,
    getRemainingTimeInMillis: () => Math.max(0, invoke.deadline - Date.now()),
    done: unset,
    fail: unset,
    succeed: unset,
  };
}
