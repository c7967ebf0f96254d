// The messages between the runtime and the worker process of an execution environment. The
// runtime writes JSON lines to the worker's stdin; the worker answers with frames on its own
// stdout (and a barrier on stderr), so its console records, results and the raw lines the
// function writes arrive in the one order they were written.

/** Starts every frame; the environment's random nonce follows, then the frame's JSON. */
export const frameStart = '\u001e';

/** The error body of Lambda's Invoke API (`X-Amz-Function-Error: Unhandled`). */
export interface ErrorBody {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** The first line on stdin: what to load. */
export interface InitMessage {
  type: 'init';
  handlerFile: string;
  handlerExport: string;
  nonce: string;
  /** The context fields that stay the same for every invocation of the environment. */
  context: {
    functionName: string;
    functionVersion: string;
    memoryLimitInMB: string;
    logGroupName: string;
    logStreamName: string;
  };
}

export interface InvokeMessage {
  type: 'invoke';
  requestId: string;
  /** The event as JSON text. */
  event: string;
  /** Epoch milliseconds when the function times out. */
  deadline: number;
  traceId: string;
  invokedFunctionArn: string;
}

export type ToWorker = InitMessage | InvokeMessage;

export type FromWorker =
  /** One console call, already in the runtime's text format. */
  | { type: 'log'; time: number; message: string }
  | { type: 'ready'; maxMemoryMb: number }
  | { type: 'init-error'; error: ErrorBody }
  | {
      type: 'result';
      requestId: string;
      /** The handler's answer as JSON text; absent when it failed. */
      payload?: string;
      error?: ErrorBody;
      /** The worker exits after this result (an uncaught exception or rejection). */
      exiting?: boolean;
      maxMemoryMb: number;
    }
  /** Written on stderr just before a result: everything the function wrote there came first. */
  | { type: 'mark'; requestId: string };
