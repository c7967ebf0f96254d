import * as z from 'zod/mini';

// The shape of `awslogs.data` once decoded, as Powertools' `CloudWatchLogsDecodeSchema` has it
// (@aws-lambda-powertools/parser/schemas/cloudwatch). That schema is built on zod's classic API,
// which puts about 440 KB and 60–70 ms of module init into the forwarder's cold start; the same
// shape in zod/mini costs about 15 KB. test/unit/schema.test.ts holds the two to the same verdicts.

export const logEventSchema = z.object({
  id: z.string(),
  timestamp: z.number(),
  message: z.string(),
});

export const subscriptionPayloadSchema = z.object({
  messageType: z.string(),
  owner: z.string(),
  logGroup: z.string(),
  logStream: z.string(),
  subscriptionFilters: z.array(z.string()),
  logEvents: z.array(logEventSchema).check(z.minLength(1)),
});

/** The JSON inside `awslogs.data`. */
export type DecodedPayload = z.infer<typeof subscriptionPayloadSchema>;
