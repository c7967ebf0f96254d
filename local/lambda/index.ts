// The local Lambda runtime: execution environments as child processes, and the Invoke API.
export { createLambdaRuntime, type LambdaRuntime, type LambdaRuntimeOptions } from './runtime.js';
export { startInvokeApi, type InvokeApi, type InvokeApiOptions } from './invoke-api.js';
export { FunctionNotFoundError, LocalLambdaError, RuntimeClosedError } from './errors.js';
