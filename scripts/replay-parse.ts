// Pure parts of `npm run replay`: the command line and the on-failure destination records.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { InvalidRecordError, UsageError } from '../tools/errors.js';

/** The serverless.yml default region, used when --region is not given. */
export const defaultRegion = 'us-east-1';
export const defaultMax = 100;
const maxLimit = 10_000;

export interface ReplayOptions {
  stage: string;
  region: string;
  /** How many queue messages to handle at most in this run. */
  max: number;
  /** Read and report only: no invocation, no deletion. */
  dryRun: boolean;
}

export const replayUsage =
  'usage: npm run replay -- --stage <stage> [--region <region>] [--max <n>] [--dry-run]';

/** Parses the arguments after `npm run replay --`; throws a UsageError saying what is wrong. */
export function parseReplayArgs(argv: readonly string[]): ReplayOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        stage: { type: 'string' },
        region: { type: 'string' },
        max: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (cause) {
    throw new UsageError(`${(cause as Error).message}\n${replayUsage}`, { cause });
  }
  const stage = values.stage?.trim();
  // A stage is mandatory: replay deletes messages, so it never guesses which stack to touch.
  if (!stage) throw new UsageError(`--stage is required\n${replayUsage}`);
  if (!/^[a-zA-Z0-9-]+$/.test(stage)) {
    throw new UsageError(`--stage may hold only letters, digits and hyphens, got "${stage}"`);
  }
  const region = values.region?.trim() || defaultRegion;
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new UsageError(`--region must look like us-east-1, got "${region}"`);
  }
  return { stage, region, max: parseMax(values.max), dryRun: values['dry-run'] };
}

function parseMax(raw: string | undefined): number {
  if (raw === undefined) return defaultMax;
  if (!/^\d+$/.test(raw.trim())) throw new UsageError(`--max must be a whole number, got "${raw}"`);
  const max = Number(raw);
  if (max < 1 || max > maxLimit) throw new UsageError(`--max must be between 1 and ${maxLimit}, got ${max}`);
  return max;
}

/** Queue name of serverless.yml's on-failure destination (resources/forwarder-failure-queue.yml). */
export function failureQueueName(stage: string): string {
  return `log-forwarder-${stage}-failed`;
}

/** The name osls gives the `forwarder` function of service `log-forwarder`. */
export function forwarderFunctionName(stage: string): string {
  return `log-forwarder-${stage}-forwarder`;
}

/** A CloudWatch Logs subscription event, kept as received (unknown keys included) to resend as is. */
const SubscriptionEventSchema = z.looseObject({
  awslogs: z.looseObject({ data: z.base64().min(1) }),
});

/**
 * The record Lambda sends to an asynchronous invocation's destination (Lambda developer guide,
 * "Capturing records of Lambda asynchronous invocations", example invocation record).
 * `responseContext` and `responsePayload` are optional: an event that expired in Lambda's queue
 * (`EventAgeExceeded`) may never have reached the function.
 */
export const DestinationRecordSchema = z.object({
  version: z.string(),
  timestamp: z.string(),
  requestContext: z.object({
    requestId: z.string().min(1),
    functionArn: z.string().startsWith('arn:'),
    condition: z.string().min(1), // RetriesExhausted, EventAgeExceeded (or Success on success)
    approximateInvokeCount: z.number().int().nonnegative(),
  }),
  requestPayload: SubscriptionEventSchema,
  responseContext: z
    .object({
      statusCode: z.number().int(),
      executedVersion: z.string().optional(),
      functionError: z.string().optional(),
    })
    .optional(),
  responsePayload: z.unknown().optional(),
});
export type DestinationRecord = z.infer<typeof DestinationRecordSchema>;

/** Parses an SQS message body into a destination record; throws InvalidRecordError naming the fields. */
export function parseDestinationRecord(body: string | undefined): DestinationRecord {
  if (!body) throw new InvalidRecordError('the message has no body');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (cause) {
    throw new InvalidRecordError('the message body is not JSON', { cause });
  }
  const parsed = DestinationRecordSchema.safeParse(json);
  if (!parsed.success) {
    // Paths and zod's messages only: the payload itself (log lines) never reaches the output.
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`);
    throw new InvalidRecordError(`not a Lambda destination record: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** `arn:aws:lambda:us-east-1:123456789012:function:name[:qualifier]` → `name`. */
export function functionNameFromArn(arn: string): string | undefined {
  return /^arn:[^:]+:lambda:[^:]*:\d*:function:([^:]+)/.exec(arn)?.[1];
}

/** What the original failure was, for the operator's report; no payload content. */
export function describeFailure(record: DestinationRecord): string {
  const { requestId, condition, approximateInvokeCount } = record.requestContext;
  const response = record.responsePayload as { errorType?: unknown; errorMessage?: unknown } | undefined;
  const errorType = typeof response?.errorType === 'string' ? response.errorType : record.responseContext?.functionError;
  const message = typeof response?.errorMessage === 'string' ? `: ${response.errorMessage.slice(0, 200)}` : '';
  return `${requestId} ${condition} after ${approximateInvokeCount} attempt(s)${errorType ? ` — ${errorType}${message}` : ''}`;
}

export const replayOutcomes = { delivered: 'delivered', failed: 'failed' } as const;
export type ReplayOutcome = (typeof replayOutcomes)[keyof typeof replayOutcomes];

/**
 * Judges a synchronous Invoke response. Lambda answers 200 even when the handler threw; the
 * error shows only as `FunctionError` (Handled or Unhandled). Only a clean 200 counts as delivered.
 */
export function judgeInvocation(response: { StatusCode?: number; FunctionError?: string }): ReplayOutcome {
  if (response.FunctionError) return replayOutcomes.failed;
  return response.StatusCode === 200 ? replayOutcomes.delivered : replayOutcomes.failed;
}
