import { pino, type DestinationStream, type Logger, type LoggerOptions as PinoOptions } from 'pino';
import { currentTraceId, type Env } from './config.js';

export type { Logger } from 'pino';

/** Keys whose values never reach a log line: at the root, one object deep, and in `headers`. */
const secretKeys = [
  'authorization',
  'Authorization',
  'password',
  'newPassword',
  'token',
  'accessToken',
  'idToken',
  'refreshToken',
  'sessionToken',
  'secretAccessKey',
  'SecretKey',
  'SessionToken',
  'cookie',
  'Cookie',
] as const;
const secretHeaders = ['x-amz-security-token', 'X-Amz-Security-Token'] as const;

/** pino redaction paths built from the keys above. */
export const redactPaths: readonly string[] = [
  ...secretKeys.flatMap((key) => [key, `*.${key}`, `headers.${key}`, `*.headers.${key}`]),
  ...secretHeaders.flatMap((key) => [`headers["${key}"]`, `*.headers["${key}"]`]),
];

export interface LoggerOptions {
  /** The service, e.g. `log-forwarder` or `auth-service`. */
  service: string;
  stage: string;
  /** The Lambda function name (`AWS_LAMBDA_FUNCTION_NAME`) when running in Lambda. */
  functionName?: string;
  level?: string;
  /** Where lines go; defaults to a synchronous stdout destination, as Lambda needs. */
  destination?: DestinationStream;
}

/**
 * Creates the root logger of a Lambda function: JSON lines on stdout written synchronously (so
 * nothing is lost when the execution environment freezes), ISO timestamps, base fields `service`,
 * `stage` and `function`, and secrets redacted.
 */
export function createLogger(options: LoggerOptions): Logger {
  const config: PinoOptions = {
    level: options.level ?? 'info',
    base: {
      service: options.service,
      stage: options.stage,
      ...(options.functionName ? { function: options.functionName } : {}),
    },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...redactPaths], censor: '[REDACTED]' },
  };
  return pino(config, options.destination ?? pino.destination({ dest: 1, sync: true }));
}

/**
 * A child logger for one invocation, carrying its `requestId` and the X-Ray `traceId` that the
 * runtime set for it in `_X_AMZN_TRACE_ID`.
 */
export function invocationLogger(
  logger: Logger,
  context: { awsRequestId: string },
  env: Env = process.env,
): Logger {
  const traceId = currentTraceId(env);
  return logger.child({ requestId: context.awsRequestId, ...(traceId ? { traceId } : {}) });
}
