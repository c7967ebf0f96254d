import { boolean, integer, oneOf, optionalString, regex, requiredString, type Env } from '../../shared/config.js';
import { ConfigError } from '../../shared/errors.js';
import type { FilterOptions } from './filter.js';
import { logLevels } from './parse/levels.js';
import { builtInRules, customRules, type BuiltInRuleName, type CustomRule, type RedactionRule } from './redact.js';
import { secretLocation } from './secrets.js';
import type { FailureQueueConfig } from './failure-queue.js';
import type { SinkLimits } from './sinks/types.js';

/** Everything the forwarder reads from its environment, once, at cold start. */
export interface ForwarderConfig {
  /** LOG_SINK: where records go; its scheme picks the sink. */
  sink: string;
  /** LOG_SINK_TOKEN: the sink's token in plain text, for local use. */
  sinkToken?: string;
  /** LOG_SINK_SECRET_ID: where deployed stages keep the sink's credentials (Secrets Manager or SSM). */
  sinkSecretId?: string;
  sinkGzip: boolean;
  /** Overrides of the sink's batch and message limits. */
  limits: Partial<SinkLimits>;
  concurrency: number;
  requestTimeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** LOG_RETRY_WINDOW_MS: how long transient failures are retried before the rest is parked; the whole invocation when unset. */
  retryWindowMs?: number;
  filter: FilterOptions;
  redaction: RedactionRule[];
  stage?: string;
  region?: string;
  /** This function's own name: its log group is never forwarded. */
  functionName?: string;
  logLevel: string;
  /** FAILURE_QUEUE_URL and DEAD_LETTER_QUEUE_URL: where undelivered records are parked; absent, an undelivered record fails the invocation. */
  failureQueue?: FailureQueueConfig;
}

/** Reads and checks the configuration; a bad value throws a ConfigError naming its variable. */
export function loadConfig(env: Env): ForwarderConfig {
  const limits: Partial<SinkLimits> = {};
  const maxRecords = integer(env, 'LOG_BATCH_MAX_RECORDS', 0, { min: 0, max: 100_000 });
  const maxBytes = integer(env, 'LOG_BATCH_MAX_BYTES', 0, { min: 0, max: 64 * 1024 * 1024 });
  const maxMessage = integer(env, 'LOG_MAX_MESSAGE_BYTES', 0, { min: 0, max: 16 * 1024 * 1024 });
  const maxRecord = integer(env, 'LOG_MAX_RECORD_BYTES', 0, { min: 0, max: 16 * 1024 * 1024 });
  if (maxRecords) limits.maxBatchRecords = maxRecords;
  if (maxBytes) limits.maxBatchBytes = maxBytes;
  if (maxMessage) limits.maxMessageBytes = maxMessage;
  if (maxRecord) limits.maxRecordBytes = maxRecord;
  const minLevel = optionalString(env, 'LOG_MIN_LEVEL') ? oneOf(env, 'LOG_MIN_LEVEL', logLevels, 'trace') : undefined;
  const sinkToken = optionalString(env, 'LOG_SINK_TOKEN');
  const sinkSecretId = optionalString(env, 'LOG_SINK_SECRET_ID');
  if (sinkToken && sinkSecretId) {
    throw new ConfigError('LOG_SINK_TOKEN', 'set either LOG_SINK_TOKEN (local use) or LOG_SINK_SECRET_ID, not both');
  }
  // Checked here so a bad value fails the cold start, not the first secret read.
  if (sinkSecretId) secretLocation(sinkSecretId);
  const failureQueue = failureQueueConfig(env);
  // With a failure queue, parking after 20 s beats spending a whole timeout on a sink that is down.
  const retryWindowMs = integer(env, 'LOG_RETRY_WINDOW_MS', failureQueue ? 20_000 : 0, { min: 0, max: 900_000 });
  return {
    sink: requiredString(env, 'LOG_SINK'),
    sinkToken,
    sinkSecretId,
    sinkGzip: boolean(env, 'LOG_SINK_GZIP', true),
    limits,
    concurrency: integer(env, 'LOG_SINK_CONCURRENCY', 4, { min: 1, max: 64 }),
    requestTimeoutMs: integer(env, 'LOG_SINK_TIMEOUT_MS', 10_000, { min: 100, max: 900_000 }),
    retryBaseMs: integer(env, 'LOG_RETRY_BASE_MS', 200, { min: 1, max: 60_000 }),
    retryMaxMs: integer(env, 'LOG_RETRY_MAX_MS', 5_000, { min: 1, max: 300_000 }),
    ...(retryWindowMs > 0 ? { retryWindowMs } : {}),
    filter: {
      include: regex(env, 'LOG_INCLUDE_PATTERN'),
      exclude: regex(env, 'LOG_EXCLUDE_PATTERN'),
      ...(minLevel ? { minLevel } : {}),
    },
    redaction: [...builtInRedaction(env), ...customRedaction(env)],
    stage: optionalString(env, 'STAGE'),
    region: optionalString(env, 'AWS_REGION'),
    functionName: optionalString(env, 'AWS_LAMBDA_FUNCTION_NAME'),
    logLevel: oneOf(env, 'LOG_LEVEL', ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], 'info'),
    ...(failureQueue ? { failureQueue } : {}),
  };
}

const queueUrl = /^https?:\/\/[^/\s]+\/\d{12}\/[A-Za-z0-9_-]{1,80}$/;

function failureQueueConfig(env: Env): FailureQueueConfig | undefined {
  const failureQueueUrl = optionalString(env, 'FAILURE_QUEUE_URL');
  const deadLetterQueueUrl = optionalString(env, 'DEAD_LETTER_QUEUE_URL');
  if (!failureQueueUrl) {
    if (deadLetterQueueUrl) throw new ConfigError('DEAD_LETTER_QUEUE_URL', 'needs FAILURE_QUEUE_URL too: the failure queue is where undelivered records go first');
    return undefined;
  }
  for (const [name, url] of [['FAILURE_QUEUE_URL', failureQueueUrl], ['DEAD_LETTER_QUEUE_URL', deadLetterQueueUrl]] as const) {
    if (url !== undefined && !queueUrl.test(url)) throw new ConfigError(name, `must be an SQS queue URL, https://sqs.<region>.amazonaws.com/<account id>/<queue name>, got ${url}`);
  }
  // The SDK's own variables; read here so that the queue URLs' host does not override them.
  const endpoint = optionalString(env, 'AWS_ENDPOINT_URL_SQS') ?? optionalString(env, 'AWS_ENDPOINT_URL');
  return {
    failureQueueUrl,
    ...(deadLetterQueueUrl ? { deadLetterQueueUrl } : {}),
    ...(endpoint ? { endpoint } : {}),
    maxMessageBytes: integer(env, 'FAILURE_QUEUE_MESSAGE_BYTES', 256 * 1024, { min: 16 * 1024, max: 1024 * 1024 }),
  };
}

function builtInRedaction(env: Env): RedactionRule[] {
  const raw = optionalString(env, 'LOG_REDACT');
  if (!raw || raw === 'none') return [];
  const names = raw === 'all' ? (Object.keys(builtInRules) as BuiltInRuleName[]) : raw.split(',').map((n) => n.trim());
  return names.map((name) => {
    if (!(name in builtInRules)) {
      throw new ConfigError('LOG_REDACT', `unknown rule "${name}"; use all, none or a list of ${Object.keys(builtInRules).join(', ')}`);
    }
    return builtInRules[name as BuiltInRuleName];
  });
}

function customRedaction(env: Env): RedactionRule[] {
  const raw = optionalString(env, 'LOG_REDACT_RULES');
  if (!raw) return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (cause) {
    throw new ConfigError('LOG_REDACT_RULES', 'must be a JSON array of {name, pattern, flags?, replacement?}', { cause });
  }
  let rules: CustomRule[];
  try {
    rules = customRules(json);
  } catch (error) {
    throw new ConfigError('LOG_REDACT_RULES', (error as Error).message);
  }
  return rules.map((rule) => {
    try {
      return {
        name: rule.name,
        pattern: new RegExp(rule.pattern, `g${rule.flags ?? ''}`),
        replacement: rule.replacement ?? `[REDACTED:${rule.name}]`,
      };
    } catch (cause) {
      throw new ConfigError('LOG_REDACT_RULES', `rule "${rule.name}" has an invalid pattern: ${(cause as Error).message}`, { cause });
    }
  });
}
