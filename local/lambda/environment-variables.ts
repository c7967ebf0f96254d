// The environment variables of an execution environment: what Lambda sets, the function's own
// (from the template, references resolved) and the stack's local endpoints.
import path from 'node:path';
import type { FunctionSpec, StackSettings } from '../model.js';

/** Temporary-looking credentials that no AWS account knows; the local services accept any. */
export const localCredentials = {
  AWS_ACCESS_KEY_ID: 'ASIALOCALLAMBDA00000',
  AWS_SECRET_ACCESS_KEY: 'local-lambda-secret-access-key-not-for-aws',
  AWS_SESSION_TOKEN: 'local-lambda-session-token',
} as const;

export function lambdaEnvironment(
  spec: FunctionSpec,
  settings: StackSettings,
  baseEnv: Readonly<Record<string, string>>,
  logStream: string,
): Record<string, string> {
  const taskRoot = path.dirname(spec.handlerFile);
  const module = path.basename(spec.handlerFile).replace(/\.[cm]?js$/, '');
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    ...localCredentials,
    ...spec.environment,
    ...baseEnv,
    // Reserved: Lambda sets these whatever the function's configuration says.
    TZ: ':UTC',
    AWS_REGION: settings.region,
    AWS_DEFAULT_REGION: settings.region,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: spec.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: spec.logGroup,
    AWS_LAMBDA_LOG_STREAM_NAME: logStream,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: taskRoot,
    _HANDLER: `${module}.${spec.handlerExport}`,
  };
}
