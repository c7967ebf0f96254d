// Runs the stack's functions like Lambda: RequestResponse invocations answer with the handler's
// result or error, Event invocations are queued and retried twice like Lambda's asynchronous
// invoke, and every line of every environment goes to the log writer.
import { randomUUID } from 'node:crypto';
import type { FunctionSpec, InvokeResult, Invoker, LogWriter, StackSettings } from '../model.js';
import { FunctionNotFoundError, RuntimeClosedError } from './errors.js';
import { FunctionPool } from './function-pool.js';
import { functionArn, parseFunctionRef } from './function-ref.js';
import type { InvocationRequest } from './environment.js';
import { traceHeader } from './platform-lines.js';
import { bundleWorker } from './worker-bundle.js';

export interface LambdaRuntimeOptions<Logs extends LogWriter = LogWriter> {
  functions: readonly FunctionSpec[];
  settings: StackSettings;
  /**
   * Where every line of every environment goes, made from the runtime itself: a log pipeline
   * invokes a function of this runtime (the forwarder) with what the others wrote.
   */
  logs: (runtime: Invoker) => Logs;
  /** Added to every environment: the local endpoints (AWS_ENDPOINT_URL_*) and the like. */
  baseEnv: Readonly<Record<string, string>>;
  /** Echo every function line to stderr. */
  verbose?: boolean;
  /** Execution environments per function before invocations wait in line; 10 by default. */
  maxEnvironmentsPerFunction?: number;
  /** Waits before the two retries of a failed Event invocation; Lambda waits 1 and 2 minutes. */
  asyncRetryDelaysMs?: readonly number[];
  /** The orchestrator's own log; stderr by default. */
  report?: (message: string) => void;
}

export interface LambdaRuntime<Logs extends LogWriter = LogWriter> extends Invoker {
  /** The writer `logs` made: every line of every environment. */
  readonly logs: Logs;
  /** The function a name, partial ARN or ARN names; throws FunctionNotFoundError. */
  lookup(functionName: string): FunctionSpec;
  /** Resolves once every Event invocation accepted so far has finished, retries included. */
  drain(): Promise<void>;
  /** Stops every execution environment; Event invocations still queued are dropped. */
  close(): Promise<void>;
}

export async function createLambdaRuntime<Logs extends LogWriter>(options: LambdaRuntimeOptions<Logs>): Promise<LambdaRuntime<Logs>> {
  const { settings } = options;
  const workerFile = await bundleWorker(settings.stateDir);
  const report = options.report ?? ((message: string) => void process.stderr.write(`${message}\n`));
  const retryDelays = options.asyncRetryDelaysMs ?? [1_000, 2_000];
  // The writer calls back into `runtime` only when it ships lines, after this function returned.
  const logs = options.logs({ invoke: (name, event, invokeOptions) => runtime.invoke(name, event, invokeOptions) });
  const environmentOptions = { settings, workerFile, baseEnv: options.baseEnv, logs, verbose: options.verbose ?? false, report };
  const pools = new Map(options.functions.map((spec) => [spec.name, new FunctionPool(spec, environmentOptions, options.maxEnvironmentsPerFunction ?? 10)]));
  const inFlight = new Set<Promise<void>>();
  const sleepers = new Set<() => void>();
  let closed = false;

  async function runOnce(pool: FunctionPool, request: InvocationRequest): Promise<InvokeResult> {
    const environment = await pool.acquire();
    try {
      return await environment.invoke(request);
    } finally {
      pool.release(environment);
    }
  }

  /** False when the runtime closed while waiting. */
  function sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve(!closed);
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  }

  async function runAsync(pool: FunctionPool, request: InvocationRequest): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      let result: InvokeResult;
      try {
        result = await runOnce(pool, request);
      } catch (error) {
        if (closed) return;
        result = { requestId: request.requestId, error: { errorType: 'LocalLambdaError', errorMessage: String(error) } };
      }
      if (!result.error || closed) return;
      const failure = `${result.error.errorType}: ${result.error.errorMessage}`;
      const delay = retryDelays[attempt];
      if (delay === undefined) {
        report(
          `local lambda: ERROR the asynchronous invocation ${request.requestId} of ${pool.spec.name} failed ${attempt + 1} times ` +
            `(last: ${failure}); the event is DROPPED. A deployed stack would send it to the function's on-failure destination ` +
            '(for the forwarder, its SQS failure queue).',
        );
        return;
      }
      if (options.verbose) report(`local lambda: asynchronous invocation ${request.requestId} of ${pool.spec.name} failed (${failure}); retrying in ${delay} ms`);
      if (!(await sleep(delay))) return;
    }
  }

  function poolOf(functionName: string): FunctionPool {
    const ref = parseFunctionRef(functionName);
    const pool = ref && (ref.qualifier === undefined || ref.qualifier === '$LATEST') ? pools.get(ref.name) : undefined;
    if (!pool) {
      throw new FunctionNotFoundError(functionName.startsWith('arn:') ? functionName : functionArn(settings.region, settings.accountId, ref?.name ?? functionName));
    }
    return pool;
  }

  const runtime: LambdaRuntime<Logs> = {
    logs,
    lookup: (functionName) => poolOf(functionName).spec,

    async invoke(functionName, event, invokeOptions = {}) {
      if (closed) throw new RuntimeClosedError();
      const pool = poolOf(functionName);
      const request: InvocationRequest = {
        requestId: randomUUID(),
        event: event === undefined ? '{}' : JSON.stringify(event),
        invokedFunctionArn: functionName.startsWith('arn:') ? functionName : functionArn(settings.region, settings.accountId, pool.spec.name),
        traceId: traceHeader(Date.now(), invokeOptions.traceHeader),
      };
      if (invokeOptions.invocationType !== 'Event') return runOnce(pool, request);
      const task = runAsync(pool, request).finally(() => inFlight.delete(task));
      inFlight.add(task);
      return { requestId: request.requestId };
    },

    async drain() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const wake of [...sleepers]) wake();
      await Promise.all([...pools.values()].map((pool) => pool.close()));
      await Promise.allSettled([...inFlight]);
    },
  };
  return runtime;
}
